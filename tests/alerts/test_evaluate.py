"""Each rule type on crafted minute series (hand-worked alerts)."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.alerts import evaluate_frame

from .helpers import frame, minute, rules


def _run(rows, rs, **kw):
    return evaluate_frame(rows, rs, session_id="S", room_id="R1", **kw)


ONLINE = [10, 10, 10, 2, 2, 2, 10, 10]


def test_absolute_threshold_with_minimum_duration() -> None:
    (a,) = _run(frame("online", ONLINE), rules({"id": "low", "metric": "online", "threshold": 5, "min_duration": 2}))
    assert (a.start, a.end, a.fired_at) == (minute(3), minute(6), minute(4))  # fires at the run's 2nd minute
    assert (a.value, a.threshold, a.code, a.severity) == (2.0, 5.0, "threshold_below", "medium")
    assert a.params["minutes"] == 3
    assert not _run(frame("online", ONLINE), rules({"id": "low", "metric": "online", "threshold": 5,
                                                    "min_duration": 4}))


def test_window_mean_and_above() -> None:
    # 2-minute means: –, 10, 10, 6, 2, 2, 6, 10 → below 5 at minutes 4 and 5
    (a,) = _run(frame("online", ONLINE), rules({"id": "w", "metric": "online", "window": 2, "threshold": 5}))
    assert (a.start, a.end, a.value) == (minute(4), minute(6), 2.0)
    (b,) = _run(frame("gmv_per_minute", [0, 0, 900, 0]), rules({"id": "big", "metric": "gmv_per_minute",
                                                                "comparison": "above", "threshold": 500}))
    assert (b.start, b.code, b.value) == (minute(2), "threshold_above", 900.0)


def test_quiet_period_merges_repeats() -> None:
    x = [10, 10, 1, 1, 10, 10, 1, 1, 10]  # runs at minutes 2–3 and 6–7; the first ends at 20:04
    one = rules({"id": "q", "metric": "online", "threshold": 5, "quiet_minutes": 5})
    (a,) = _run(frame("online", x), one)
    assert (a.start, a.end, a.params["repeats"], a.params["minutes"]) == (minute(2), minute(8), 1, 4)
    two = _run(frame("online", x), rules({"id": "q", "metric": "online", "threshold": 5, "quiet_minutes": 2}))
    assert [(b.start, b.end) for b in two] == [(minute(2), minute(4)), (minute(6), minute(8))]


def test_recent_median_is_held_during_the_run() -> None:
    x = [10] * 10 + [1, 1, 1] + [10] * 3
    rs = rules({"id": "outage", "metric": "online", "threshold": {"ratio": 0.3, "of": "recent_median"},
                "min_duration": 2})
    (a,) = _run(frame("online", x), rs)
    assert (a.start, a.end, a.fired_at, a.threshold) == (minute(10), minute(13), minute(11), 3.0)


def test_onset_keeps_a_slow_drift_out() -> None:
    x = [10] * 10 + [6, 4, 2, 1, 1, 1]
    base = {"id": "outage", "metric": "online", "threshold": {"ratio": 0.3, "of": "recent_median"},
            "min_duration": 2}
    (a,) = _run(frame("online", x), rules(base))
    assert a.start == minute(12)  # 2 < 3 (30 % of the median 10) from minute 12
    assert not _run(frame("online", x), rules({**base, "onset": 0.7}))  # 6 and 4 before: never ≥ 7


def test_room_median_reference_and_min_reference() -> None:
    rows = frame("online", [10, 10, 5, 5, 10, 10])
    curve = pd.Series(10.0, index=range(6))
    rs = rules({"id": "typ", "metric": "online", "threshold": {"ratio": 0.6, "of": "room_median"},
                "min_duration": 2})
    (a,) = _run(rows, rs, baselines={"typ": curve})
    assert (a.start, a.threshold, a.params["reference"]) == (minute(2), 6.0, "room_median")
    assert not _run(rows, rs)  # no baseline: not judged
    strict = rules({"id": "typ", "metric": "online", "threshold": {"ratio": 0.6, "of": "room_median"},
                    "min_reference": 12})
    assert not _run(rows, strict, baselines={"typ": curve})


def test_per_room_override_and_disabled_rule() -> None:
    rs = rules({"id": "low", "metric": "online", "threshold": 5,
                "rooms": {"R1": {"threshold": 1, "severity": "high"}, "R2": {"enabled": False}}})
    assert not _run(frame("online", ONLINE), rs)  # R1: below 1 never happens
    (a,) = evaluate_frame(frame("online", ONLINE), rs, session_id="S", room_id="R9")
    assert a.threshold == 5.0
    assert not evaluate_frame(frame("online", ONLINE), rs, session_id="S", room_id="R2")
    rs2 = rules({"id": "low", "metric": "online", "threshold": 5, "rooms": {"R1": {"severity": "high"}}})
    assert _run(frame("online", ONLINE), rs2)[0].severity == "high"


def test_anomaly_rule() -> None:
    x = [10, 11, 12] * 6 + [2, 11, 12]
    (a,) = _run(frame("online", x), rules({"id": "an", "kind": "anomaly", "metric": "online", "z": 4}))
    assert (a.start, a.end, a.code) == (minute(18), minute(19), "anomaly_below")
    assert not _run(frame("online", x), rules({"id": "an", "kind": "anomaly", "metric": "online", "z": 4,
                                               "comparison": "above"}))


def test_level_shift_rule() -> None:
    x = [10] * 30 + [4] * 30
    rs = rules({"id": "shift", "kind": "level_shift", "metric": "online", "min_shift": 0.4, "min_duration": 5})
    (a,) = _run(frame("online", x), rs)
    assert (a.start, a.fired_at, a.end, a.code) == (minute(30), minute(34), minute(60), "level_shift_down")
    assert a.params["before"] == 10.0 and a.params["after"] == 4.0 and a.params["shift"] == pytest.approx(-0.6)
    mild = rules({"id": "shift", "kind": "level_shift", "metric": "online", "min_shift": 0.7})
    assert not _run(frame("online", x), mild)  # a 60 % fall is not 70 %


def test_stock_rules_per_product() -> None:
    stock = pd.DataFrame({"product_id": ["P1"] * 5 + ["P2"] * 5, "minute": [minute(i) for i in range(5)] * 2,
                          "stock": [5.0] * 5 + [100.0] * 5, "stock_left": [5, 3, 1, 0, 0, 100, 99, 98, 97, 96]})
    rs = rules({"id": "sold_out", "metric": "stock_left", "comparison": "at_or_below", "threshold": 0,
                "severity": "high"},
               {"id": "stock_low", "metric": "stock_left", "threshold": {"ratio": 0.1, "of": "stock"}})
    got = _run(frame("online", [1] * 5), rs, stock=stock)
    assert [(a.rule_id, a.product_id, a.start, a.fired_at, a.code) for a in got] == [
        ("sold_out", "P1", minute(3), minute(3), "stock_out"),  # the high one first at the same minute
        ("stock_low", "P1", minute(3), minute(3), "stock_low")]  # 0 < 0.5 (10 % of 5); 1 is not


def test_open_end_while_live() -> None:
    (a,) = _run(frame("online", [10, 10, 1, 1]), rules({"id": "low", "metric": "online", "threshold": 5}),
                open_end=True)
    assert a.end is None and a.start == minute(2)
    d = a.to_dict()
    assert d["end"] is None and d["alert_id"] == a.id and d["start"] == "2026-09-07T20:02:00+08:00"


def test_ratio_over_a_window_is_the_formula_on_sums() -> None:
    """view_to_order_rate = buyers / uv; over 2 minutes (3 + 0) / (10 + 30) = 0.075, not the mean of 0.3 and 0."""
    import ibis

    rows = frame("view_to_order_rate", [0.3, 0.0, 0.25])
    rows["buyers"], rows["uv"] = [3.0, 0.0, 10.0], [10.0, 30.0, 40.0]  # minute 2: (0 + 10) / 70 = 0.143
    rs = rules({"id": "conv", "metric": "view_to_order_rate", "window": 2, "threshold": 0.1})
    (a,) = _run(rows, rs, con=ibis.duckdb.connect())
    assert (a.start, a.end, a.value) == (minute(1), minute(2), pytest.approx(0.075))


def test_two_falls_in_a_row_are_one_alert() -> None:
    x = [20] * 30 + [10] * 30 + [4] * 30  # −50 %, then −60 %: one run from minute 30 to the end
    rs = rules({"id": "shift", "kind": "level_shift", "metric": "online", "min_shift": 0.4, "min_duration": 5})
    (a,) = _run(frame("online", x), rs)
    assert (a.start, a.end, a.value) == (minute(30), minute(90), 4.0)
    assert (a.params["before"], a.params["after"]) == (20.0, 10.0)
