"""Number checks of the corpus: GMV of the damaged dataset against the undamaged one, by hand.

GMV (docs/metrics.md) is the amount paid for the orders placed in a session, refunds included; the
reference values are pandas sums over the undamaged ``orders`` file (:func:`tests.corpus.harness.base_numbers`).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.corpus.harness import Base

TOL = 1e-6  # sums of two-decimal amounts in another order differ in the last bits only


def gmv_by_session(ds: Any, base: Base) -> dict[str, float]:
    """GMV of every session with orders (one query; the total is their sum); one row per session of the data."""
    k = ds.kpis(["gmv"], by="session_id")
    assert len(k) == base.n_sessions and k["session_id"].is_unique
    return {s: float(v) for s, v in zip(k["session_id"], k["gmv"], strict=True) if v}


def same_numbers(ds: Any, base: Base) -> None:
    """Same sessions, same GMV per session and in total as the undamaged data."""
    got = gmv_by_session(ds, base)
    assert sum(got.values()) == pytest.approx(base.gmv, abs=TOL)
    assert set(got) == set(base.gmv_by_session)
    for s, v in base.gmv_by_session.items():
        assert got[s] == pytest.approx(v, abs=TOL), s


def gmv_changed(session: str, delta: float) -> Callable[[Any, Base], None]:
    """GMV of ``session`` (and the total) changed by exactly ``delta``; every other session unchanged."""
    def check(ds: Any, base: Base) -> None:
        got = gmv_by_session(ds, base)
        assert sum(got.values()) == pytest.approx(base.gmv + delta, abs=TOL)
        for s, v in base.gmv_by_session.items():
            want = v + delta if s == session else v
            assert got.get(s, 0.0) == pytest.approx(want, abs=TOL), s
    return check


def spend_not_reported(ds: Any, base: Base) -> None:
    """GMV unchanged; paid spend and paid ROI not available (not 0) because the export has no spend."""
    same_numbers(ds, base)
    k = ds.kpis(["paid_spend", "paid_roi"], by=None)
    assert k["paid_spend"].isna().all() and k["paid_roi"].isna().all()
    assert set(k.attrs["missing"]) == {"paid_spend", "paid_roi"}
