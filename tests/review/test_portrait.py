"""Viewer vs buyer portrait (review/portrait.py), hand-worked on devtools/tiny.py.

S1: viewers u1 (广东, 普通), u2 (浙江, 金卡), u4 (上海, 银卡) — all 女, 25-30; u3 (北京, 普通) was only
impressed (not a viewer). Buyers u1 and u4. So by member tier: 普通 1 viewer 1 buyer, 金卡 1 / 0,
银卡 1 / 1: viewer shares 1/3 each, buyer shares 1/2, 0, 1/2; gaps +1/6, −1/3, +1/6.
"""
from __future__ import annotations

import pytest

from liveops_nb.review import audience, portrait


def test_member_tier_shares_side_by_side(tiny_ds):
    d = portrait.build(tiny_ds, "S1")
    assert d.available and (d.viewers, d.buyers) == (3, 2)
    tab = d.tables["member_tier"].set_index("value")
    assert set(tab.index) == {"普通", "金卡", "银卡"}  # 北京's u3 (普通) only impressed: 普通 counts u1 only
    assert tab.loc["普通", "viewers"] == 1 and tab.loc["普通", "buyers"] == 1
    assert tab.loc["金卡", "buyers"] == 0
    assert tab["viewer_share"].tolist() == pytest.approx([1 / 3] * 3)
    assert tab.loc["普通", "buyer_share"] == pytest.approx(1 / 2)
    assert tab.loc["金卡", "gap"] == pytest.approx(-1 / 3)
    assert tab.loc["银卡", "gap"] == pytest.approx(1 / 2 - 1 / 3)


def test_columns_add_up_to_the_sessions_registry_counts(tiny_ds):
    d = portrait.build(tiny_ds, "S1")
    for dim in portrait.DIMS:
        tab = d.tables[dim]
        assert tab["viewers"].sum() == 3 and tab["buyers"].sum() == 2, dim
    assert d.tables["gender"]["value"].tolist() == ["女"]


def test_few_people_are_flagged(tiny_ds):
    d = portrait.build(tiny_ds, "S2")  # one viewer, one buyer
    assert d.few_viewers and d.few_buyers
    assert d.tables["region"]["value"].tolist() == ["广东"]  # u5 (四川) only impressed


def test_not_available_without_viewer_data(tiny_aggregate_ds):
    d = portrait.build(tiny_aggregate_ds, "S1")
    assert not d.available and d.missing is not None
    assert all(v is None for v in portrait.key_figures(d).values())


def test_audience_section_carries_the_portrait(tiny_ds):
    a = audience.build(tiny_ds, "S1")
    assert a.portrait is not None and a.portrait.available
    figures = audience.key_figures(a)
    assert figures["member_tier_top_buyer_share"] == pytest.approx(1 / 2)
    assert figures["gender_top_viewer_group"] == "女" and figures["gender_top_viewer_share"] == 1.0
