"""The demo's experiments, assignments and true effects (:mod:`liveops_nb.demo.experiments`)."""
from __future__ import annotations

import pandas as pd

from .helpers import week_start


def test_experiments_and_assignments(t: dict[str, pd.DataFrame], planted: dict) -> None:
    ex = t["experiments"].set_index("experiment_id")
    asg = t["assignments"]
    assert ex.loc["EXP-SCENE", "status"] == "planned"
    assert "EXP-SCENE" not in set(asg["experiment_id"])
    row = ex.loc["EXP-SCRIPT"]
    assert (row["unit"], row["variable"], row["control_variant"], row["planned_split"], row["primary_metric"]) == (
        "session", "script", "A", "A:0.5,B:0.5", "click_to_order_rate")
    sc = asg[asg["experiment_id"] == "EXP-SCRIPT"]
    win = t["sessions"][t["sessions"]["session_id"].str.startswith("R02")
                        & t["sessions"]["start_time"].between(week_start(3), week_start(7))]
    assert len(sc) == len(win) >= 8 and set(sc["unit_id"]) == set(win["session_id"])
    assert sc["variant"].value_counts().to_dict() == {"A": len(sc) // 2, "B": len(sc) // 2}
    assert ex.loc["EXP-COUPON", "primary_metric"] == "view_to_order_rate"
    assert ex.loc["EXP-CREATIVE", "planned_split"] == "15s:0.3333,30s:0.3333,60s:0.3334"
    for eid, n_arms in (("EXP-COUPON", 2), ("EXP-CREATIVE", 3)):
        share = asg[asg["experiment_id"] == eid]["variant"].value_counts(normalize=True)
        assert len(share) == n_arms and (share - 1 / n_arms).abs().max() < 0.03
    # EXP-COUPON covers exactly the viewers who entered an R01 session in weeks 4-7
    ev = t["events"]
    win = ev[(ev["ts"] >= week_start(4)) & (ev["ts"] < week_start(8)) & ev["session_id"].str.startswith("R01")]
    entered = set(win.loc[win["event_type"] == "enter", "user_id"])
    assert set(asg.loc[asg["experiment_id"] == "EXP-COUPON", "unit_id"]) == entered
    assert planted["experiments"]["EXP-SCRIPT"]["true_effect"]["multiplier"] == {"A": 1.0, "B": 1.2}


def test_script_experiment_effect(t: dict[str, pd.DataFrame]) -> None:
    asg = t["assignments"]
    arm = asg[asg["experiment_id"] == "EXP-SCRIPT"].set_index("unit_id")["variant"]
    s = t["sessions"].join(arm.rename("variant"), on="session_id").dropna(subset=["variant"])
    g = s.groupby("variant")[["buyers", "product_click_uv"]].sum()
    rate = g["buyers"] / g["product_click_uv"]
    assert 1.0 < rate["B"] / rate["A"] < 1.5  # true ratio 1.20
    # nothing else moves much: product-click rate per viewer is similar
    per_uv = s.groupby("variant")["product_click_uv"].sum() / s.groupby("variant")["uv"].sum()
    assert abs(per_uv["B"] / per_uv["A"] - 1) < 0.1


def test_coupon_experiment_effect(t: dict[str, pd.DataFrame], planted: dict) -> None:
    sids = planted["experiments"]["EXP-COUPON"]["session_ids"]
    ev = t["events"][t["events"]["session_id"].isin(sids)]
    viewers = ev[ev["event_type"] == "enter"][["session_id", "user_id"]].drop_duplicates()
    buyers = ev[ev["event_type"] == "order"][["session_id", "user_id"]].drop_duplicates().assign(bought=1)
    asg = t["assignments"]
    arm = asg[asg["experiment_id"] == "EXP-COUPON"].rename(columns={"unit_id": "user_id"})
    v = viewers.merge(buyers, how="left").fillna({"bought": 0}).merge(arm, on="user_id")
    rate = v.groupby("variant")["bought"].mean()
    control, grid = planted["experiments"]["EXP-COUPON"]["variants"]  # 列表 (list), 宫格 (grid)
    assert rate[grid] > rate[control]  # true ratio 1.15


def test_creative_experiment_effect(t: dict[str, pd.DataFrame], planted: dict) -> None:
    sids = planted["experiments"]["EXP-CREATIVE"]["session_ids"]
    assert all(s.startswith("R03-") for s in sids)
    ev = t["events"][t["events"]["session_id"].isin(sids)]
    imp = ev[ev["event_type"] == "impression"][["session_id", "user_id"]].drop_duplicates()
    ent = ev[ev["event_type"] == "enter"][["session_id", "user_id"]].drop_duplicates().assign(entered=1)
    asg = t["assignments"]
    arm = asg[asg["experiment_id"] == "EXP-CREATIVE"].rename(columns={"unit_id": "user_id"})
    v = imp.merge(ent, how="left").fillna({"entered": 0}).merge(arm, on="user_id")
    assert len(v) == len(imp)
    rate = v.groupby("variant")["entered"].mean()
    assert 1.02 < rate["30s"] / rate["15s"] < 1.2  # true ratio 1.10
    assert 0.92 < rate["60s"] / rate["15s"] < 1.08  # true ratio 1.00
