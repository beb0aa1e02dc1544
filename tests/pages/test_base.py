"""liveops_nb.pages.base: a page that cannot open shows a friendly error, or raises in a static run."""
from __future__ import annotations

import pytest


def test_a_page_that_cannot_open_shows_a_friendly_error_or_raises_when_static(tiny_dir, monkeypatch):
    from liveops_nb.errors import LiveOpsError
    from liveops_nb.pages import base

    shown: list = []
    monkeypatch.setattr(base, "display", shown.append)

    class Broken(base.Page):
        makes_charts = False

        def _opened(self) -> None:
            raise LiveOpsError("this dataset is not for this page")

    page = Broken(data_dir=str(tiny_dir))
    assert isinstance(page.error, LiveOpsError) and not page._ready()
    page.controls()
    assert len(shown) == 2  # page style, then the language toggle above the header area
    header = "".join(o["data"].get("text/html", "") for o in page.header_area.outputs)
    assert "this dataset is not for this page" in header
    page.section("anything")
    assert page.outputs == {} and len(shown) == 2
    with pytest.raises(LiveOpsError):
        Broken(data_dir=str(tiny_dir), mode="static")
