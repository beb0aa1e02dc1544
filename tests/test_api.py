"""The analyst's public API: open() and its defaults, the Dataset repr, did-you-mean, section and A/B frames,
docs/api.md generated from the code, and every docstring example run as a doctest.

Hand-worked numbers are those of devtools/tiny.py (see tests/test_metrics.py and tests/abtest/helpers.py).
"""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.errors import UnknownColumnError, UnknownGrainError, UnknownMetricError, UnknownTableError
from tests.abtest.helpers import tiny_experiment

ROOT = Path(__file__).resolve().parents[1]
DOCTEST_MODULES = ("liveops_nb", "liveops_nb.dataset", "liveops_nb.errors", "liveops_nb.review.frames",
                   "liveops_nb.abtest.analysis", "liveops_nb.period")


@pytest.fixture()
def tx(tmp_path: Path) -> tuple[Path, liveops_nb.Dataset]:
    folder = tiny_experiment(tmp_path / "tx")
    return folder, liveops_nb.open(folder)


def test_docs_api_md_is_generated_from_the_code():
    from liveops_nb.reference import api_markdown

    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == api_markdown(), "run `liveops docs`"


def test_docstring_examples_run(tx):
    from liveops_nb.abtest import analyze

    folder, ds = tx
    globs = {"liveops_nb": liveops_nb, "ds": ds, "folder": folder, "analyze": analyze, "pd": pd}
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    examples = 0
    for name in DOCTEST_MODULES:
        module = importlib.import_module(name)
        for test in finder.find(module, name, extraglobs=globs):
            examples += len([e for e in test.examples if not e.options.get(doctest.SKIP)])
            runner.run(test)
    assert runner.failures == 0
    assert examples >= 13  # open, repr, kpis ×2, sessions, frame, to_frame ×2, frames ×3, did_you_mean ×2, period ×3


def test_open_defaults_to_liveops_data(tx, monkeypatch, tmp_path):
    folder, _ = tx
    monkeypatch.setenv("LIVEOPS_DATA", str(folder))
    ds = liveops_nb.open()
    assert ds.path == folder and len(ds.session_info) == 2
    monkeypatch.delenv("LIVEOPS_DATA")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(liveops_nb.LiveOpsError, match="data/demo' does not exist"):
        liveops_nb.open()


def test_repr_names_folder_tables_sessions_and_dates(tiny_ds, tiny_dir):
    text = repr(tiny_ds)
    assert str(tiny_dir) in text and "level: viewer" in text
    assert "tables: rooms, sessions, channels, products, events, orders, comments, users" in text
    assert "sessions: 2 in 1 room(s), 2026-09-07 .. 2026-09-08" in text


def test_did_you_mean_for_tables_metrics_groupings_sessions(tiny_ds):
    with pytest.raises(UnknownTableError, match=r"Did you mean 'orders'\?") as err:
        tiny_ds.frame("order")
    assert isinstance(err.value, KeyError) and "add order.parquet" not in str(err.value)
    with pytest.raises(UnknownMetricError, match=r"Did you mean 'gmv'"):
        tiny_ds.kpis(["GMV"])
    with pytest.raises(UnknownGrainError, match=r"Did you mean 'room_id'\?"):
        tiny_ds.kpis(["gmv"], by="room")
    with pytest.raises(liveops_nb.UnknownSessionError, match=r"Did you mean 'S1'\?"):
        tiny_ds.session("s1")
    assert "Did you mean 'amount'?" in str(UnknownColumnError("orders", "amout", ["order_id", "amount"]))


def test_section_frames_are_the_sections_numbers(tiny_ds):
    from liveops_nb.review import frames, traffic

    got = frames.traffic(tiny_ds, "S1")
    built = traffic.build(tiny_ds, "S1")
    pd.testing.assert_frame_equal(got["channels"], built.channels)
    # S1's paid traffic (千川): u2, u4 entered (2 of 3 viewers), GMV 300 + 100 = 400, spend 50 -> ROI 8
    paid = got["groups"].set_index("channel_group").loc["paid"]
    assert (paid.uv, paid.gmv, paid.spend, paid.roi) == (2.0, 400.0, 50.0, 8.0)
    values = dict(zip(got["values"].name, got["values"].value, strict=True))
    assert values["top_channel"] == "千川" and values["top_share"] == pytest.approx(2 / 3)
    got["channels"].iloc[0, 0] = "changed"  # a copy: the section's own table is untouched
    assert traffic.build(tiny_ds, "S1").channels.iloc[0, 0] != "changed"
    for name in frames.SECTIONS:
        out = frames.section(tiny_ds, "S1", name)
        assert "values" in out and all(isinstance(v, pd.DataFrame) for v in out.values()), name
    with pytest.raises(liveops_nb.LiveOpsError, match="trafic"):
        frames.section(tiny_ds, "S1", "trafic")


def test_analysis_frame_names_the_three_adjustments(tx):
    from liveops_nb.abtest import analyze
    from liveops_nb.abtest.frames import COLUMNS

    _, ds = tx
    df = analyze(ds, "EXP-T", metrics=["gmv"]).to_frame()
    assert list(df.columns) == list(COLUMNS)
    assert {"p_value_corrected", "regression_rel_effect", "decision_p_value_corrected"} <= set(df.columns)
    assert df.n.tolist() == [3, 3] and str(df.n.dtype) == "Int64"
    assert df.value.tolist() == pytest.approx([200 / 3, 400 / 3])
    assert df.regression_rel_effect.isna().all()  # viewer experiment: no room × slot regression
