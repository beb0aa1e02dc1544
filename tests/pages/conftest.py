"""Fixtures of the page tests: a fresh URL query (no request seen yet, not pre-heating)."""
from __future__ import annotations

import pytest


@pytest.fixture()
def fresh_query(monkeypatch):
    from liveops_nb.pages import app

    monkeypatch.setattr(app, "_QUERY", None)
    monkeypatch.setattr(app, "_WAITER", None)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return app
