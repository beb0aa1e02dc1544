"""``ds.kpis(..., by=[viewer attribute])``: gender, age band, region and member tier from ``users``.

Hand counts on devtools/tiny.py:
  users: u1 广东 普通, u2 浙江 金卡, u3 北京 普通, u4 上海 银卡, u5 四川 普通; all 女, 25-30.
  S1 viewers (entered) u1, u2, u4; u3 only impressed. Buyers u1 (o1 ¥100), u4 (o2 ¥300, o3 ¥100).
  S2 viewer u1 (buys o4 ¥100); u5 only impressed. Views: S1 4 entries (u2 twice), S2 1.
"""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.errors import GrainNotAvailableError, UnknownGrainError


def _at(df: pd.DataFrame, **where) -> pd.Series:
    hit = df
    for k, v in where.items():
        hit = hit[hit[k] == v]
    assert len(hit) == 1, f"{where}: {len(hit)} rows"
    return hit.iloc[0]


def test_member_tier_per_session_counts_viewers_and_buyers(tiny_ds):
    k = tiny_ds.kpis(["uv", "buyers", "gmv"], by=["session_id", "member_tier"], where={"session_id": "S1"})
    normal = _at(k, member_tier="普通")  # u1 watched and bought ¥100; u3 (普通) only impressed: not a viewer
    assert (normal["uv"], normal["buyers"], normal["gmv"]) == (1, 1, 100)
    gold = _at(k, member_tier="金卡")  # u2 watched twice, bought nothing
    assert (gold["uv"], gold["buyers"], gold["gmv"]) == (1, 0, 0)
    silver = _at(k, member_tier="银卡")  # u4 bought twice: one buyer, ¥400
    assert (silver["uv"], silver["buyers"], silver["gmv"]) == (1, 1, 400)
    assert k["uv"].sum() == 3 and k["buyers"].sum() == 2  # the session's uv and buyers


def test_over_sessions_a_person_counts_once(tiny_ds):
    k = tiny_ds.kpis(["uv", "buyers", "views"], by="member_tier")
    normal = _at(k, member_tier="普通")  # u1 watched and bought in S1 and S2: one person, two views
    assert (normal["uv"], normal["buyers"], normal["views"]) == (1, 1, 2)
    assert k.attrs["people_summed"] is False


def test_gender_ratio_is_the_groups_ratio(tiny_ds):
    k = tiny_ds.kpis(["uv", "buyers", "gpm"], by="gender", where={"session_id": "S1"})
    row = _at(k, gender="女")  # everybody is 女: the session's own numbers, GPM = 500 / 4 views × 1000
    assert (row["uv"], row["buyers"]) == (3, 2)
    assert row["gpm"] == pytest.approx(125_000)


def test_attribute_filter_and_two_attributes(tiny_ds):
    k = tiny_ds.kpis(["uv"], by=["region"], where={"member_tier": "普通", "session_id": "S1"})
    assert dict(zip(k.region, k.uv, strict=True)) == {"北京": 0, "广东": 1}  # u3 impressed only, u1 watched
    both = tiny_ds.kpis(["uv"], by=["age_band", "member_tier"], where={"session_id": "S1"})
    assert set(both.age_band) == {"25-30"} and both.uv.sum() == 3


def test_quantities_without_viewer_rows_are_missing_with_the_dimension(tiny_ds):
    k = tiny_ds.kpis(["uv", "pcu"], by="age_band")
    assert k["pcu"].isna().all()
    reason = k.attrs["missing"]["pcu"]
    assert reason.code == "not_at_grain" and reason.dim == "age_band"


def test_aggregate_data_refuses_the_grain(tiny_aggregate_ds):
    with pytest.raises(GrainNotAvailableError) as err:
        tiny_aggregate_ds.kpis(["uv", "buyers"], by=["session_id", "gender"])
    assert err.value.dim == "gender"


def test_unknown_attribute_is_unknown_grain(tiny_ds):
    with pytest.raises(UnknownGrainError):
        tiny_ds.kpis(["uv"], by="income")


def test_without_users_table_every_key_says_it_needs_users(tiny_dir):
    import liveops_nb

    (tiny_dir / "users.parquet").unlink()
    ds = liveops_nb.open(tiny_dir, validate=False)
    k = ds.kpis(["uv", "buyers"], by=["session_id", "gender"])
    assert k.empty or k[["uv", "buyers"]].isna().all().all()
    assert {r.table for r in k.attrs["missing"].values()} == {"users"}
