"""review/frames.py: a section's data as DataFrames (diagnosis findings carry evidence, figures and nested tables)."""
from __future__ import annotations

import pytest

from liveops_nb.review import frames


def test_diagnosis_findings_show_their_evidence_and_figures(tiny_ds):
    out = frames.diagnosis(tiny_ds, "S1")
    f = out["findings"].set_index("code")
    # S1: 千川 brings 2 of 3 viewers (limit 50 %) — the evidence is the finding's params
    assert f.at["single_channel", "params"]["channel"] == "千川"
    assert f.at["single_channel", "params"]["share"] == pytest.approx(2 / 3)
    assert f.at["single_channel", "severity"] == "medium" and f.at["single_channel", "lever"] == "traffic"
    figs = out["figures"]
    assert figs.loc[figs.code == "single_channel", "value"].tolist() == pytest.approx([2 / 3])


def test_nested_portrait_tables(tiny_ds):
    out = frames.audience(tiny_ds, "S1")
    tier = out["portrait.tables.member_tier"].set_index("value")
    assert tier.loc["银卡", "buyers"] == 1 and tier.loc["金卡", "buyers"] == 0
    values = out["values"].set_index("name")["value"]
    assert values["portrait.viewers"] == 3 and values["portrait.buyers"] == 2
