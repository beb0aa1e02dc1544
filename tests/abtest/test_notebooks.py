"""The A/B notebooks: thin-notebook rules, page behaviour, and papermill runs on the demo experiments.

Figures checked in the executed notebooks are recomputed here with plain pandas from the
raw tables (people counted per session, as the metric registry defines them).
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.abtest import archive as ar
from liveops_nb.pages.abtest_page import SECTIONS, AbTestPage

from .helpers import tiny_experiment

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [ROOT / "notebooks" / "02-ab-test.ipynb", ROOT / "notebooks" / "03-ab-archive.ipynb"]


# ---------------------------------------------------------------- thin-notebook rules
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3" and nb["metadata"]["language_info"]["name"] == "python"
    cells = nb["cells"]
    first = cells[0]
    assert first["cell_type"] == "code" and first["metadata"].get("tags") == ["parameters"]
    for stmt in ast.parse("".join(first["source"])).body:  # literals only
        assert isinstance(stmt, ast.Assign)
        ast.literal_eval(stmt.value)
    for i, c in enumerate(cells):
        if c["cell_type"] != "code":
            continue
        assert not c.get("outputs") and c.get("execution_count") is None  # committed without outputs
        tree = ast.parse("".join(c["source"]))
        assert not any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef)) for n in ast.walk(tree))
        if i > 0:
            assert len(tree.body) <= 2
            assert cells[i - 1]["cell_type"] == "markdown" or i <= 3  # setup cells follow the title


def test_page_sections_follow_the_issue_order():
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    called = re.findall(r'page\.section\("(\w+)"\)', "".join("".join(c["source"]) for c in nb["cells"]))
    assert called == list(SECTIONS)
    order = ["card", "srm", "results", "forest", "time", "planner", "verdict"]
    assert [s for s in called if s in order] == order


# ---------------------------------------------------------------- page behaviour (no kernel needed)
def texts(items) -> str:
    return " ".join(i if isinstance(i, str) else type(i).__name__ for i in items)


def test_unknown_experiment_in_the_url_gives_a_message_and_the_picker(tmp_path, monkeypatch):
    folder = tiny_experiment(tmp_path / "t")
    monkeypatch.setenv("QUERY_STRING", "experiment=EXP-NOPE")
    page = AbTestPage(data_dir=str(folder), mode="interactive", lang="en")
    assert page.error is None and "EXP-NOPE" in page.message and "EXP-T" in page.message
    assert page.exp.experiment_id in {"EXP-T", "EXP-T2", "EXP-S"}
    monkeypatch.setenv("QUERY_STRING", "experiment=EXP-S")
    assert AbTestPage(data_dir=str(folder), mode="interactive").exp.experiment_id == "EXP-S"


def test_missing_data_folder_is_a_friendly_message(tmp_path, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    page = AbTestPage(data_dir=str(tmp_path / "nowhere"), mode="interactive")
    assert isinstance(page.error, liveops_nb.LiveOpsError) and "nowhere" in str(page.error)
    with pytest.raises(liveops_nb.LiveOpsError):
        AbTestPage(data_dir=str(tmp_path / "nowhere"), mode="static")


def test_changing_the_selection_recomputes(tmp_path, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    page = AbTestPage(experiment_id="EXP-T", metrics=["gmv"], data_dir=str(tiny_experiment(tmp_path / "t")),
                      mode="interactive", lang="en")
    before = texts(page._items("results"))
    assert "+100.0%" in before  # GMV per assigned viewer: A 200/3, B 400/3
    page.set(control="B")  # swap the arms: (200/3) / (400/3) - 1 = -50 %
    after = texts(page._items("results"))
    assert "-50.0%" in after and page.treatments == ("A",)
    page.set(experiment_id="EXP-S")
    assert page.exp.unit == "session" and page.metrics == ("click_to_order_rate",)


# ---------------------------------------------------------------- papermill on the demo experiments
def people_per_session(events: pd.DataFrame, kind: str) -> pd.DataFrame:
    return events[events.event_type == kind][["session_id", "user_id"]].drop_duplicates()


def expected_relative(ds, eid: str) -> dict[str, float]:
    """Relative effect per treatment, recomputed with pandas from events/orders (registry definitions)."""
    exp = ds.frame("experiments").set_index("experiment_id").loc[eid]
    asg = ds.frame("assignments")
    asg = asg[asg.experiment_id == eid]
    ev, od = ds.frame("events"), ds.frame("orders")
    if exp.unit == "session":  # click_to_order_rate = buyers / product-click people, summed over sessions
        buyers = od[["session_id", "user_id"]].drop_duplicates().groupby("session_id").size()
        clicks = people_per_session(ev, "product_click").groupby("session_id").size()
        s = asg.assign(y=asg.unit_id.map(buyers).fillna(0), d=asg.unit_id.map(clicks).fillna(0))
    else:
        info = ds.session_info
        win = info[(info.room_id == exp.room_ids) & (info.start_time >= exp.start) & (info.start_time <= exp.end)]
        ev = ev[ev.session_id.isin(win.session_id)]
        num, den = {"impression_to_view_rate": ("enter", "impression"),
                    "view_to_order_rate": ("order", "enter")}[exp.primary_metric]
        top = (od[od.session_id.isin(win.session_id)][["session_id", "user_id"]].drop_duplicates()
               if num == "order" else people_per_session(ev, num))
        y, d = top.groupby("user_id").size(), people_per_session(ev, den).groupby("user_id").size()
        s = asg.assign(y=asg.unit_id.map(y).fillna(0), d=asg.unit_id.map(d).fillna(0))
    r = s.groupby("variant")[["y", "d"]].sum()
    rate = r.y / r.d
    return {v: rate[v] / rate[exp.control_variant] - 1 for v in rate.index if v != exp.control_variant}


def run_notebook(path: Path, out: Path, **params) -> str:
    import papermill as pm

    pm.execute_notebook(str(path), str(out), parameters=params, kernel_name="python3", progress_bar=False,
                        cwd=str(path.parent))
    nb = json.loads(out.read_text(encoding="utf-8"))
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            assert o.get("output_type") != "error", o
            d = o.get("data", {})
            parts.append("".join(d.get("text/html", "")) + ("<svg-chart/>" if "image/svg+xml" in d else ""))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("eid,lang", [("EXP-SCRIPT", "zh"), ("EXP-COUPON", "en"), ("EXP-CREATIVE", "zh")])
def test_ab_notebook_on_demo_experiments(demo_dir, demo_ds, tmp_path, eid, lang):
    html = run_notebook(NOTEBOOKS[0], tmp_path / "out.ipynb", experiment_id=eid, lang=lang, mode="static",
                        data_dir=str(demo_dir))
    asg = demo_ds.frame("assignments")
    counts = asg[asg.experiment_id == eid].variant.value_counts()
    for variant, n in counts.items():
        assert f"{variant} {n:,}" in html  # SRM line: observed units per arm
    for variant, rel in expected_relative(demo_ds, eid).items():
        assert f"{rel * 100:+.1f}%" in html, (variant, rel)  # unadjusted relative effect in the results table
    assert html.count("<svg-chart/>") >= 2  # forest plot and effect over time, rendered offline
    words = ("提升", "降低", "不显著") if lang == "zh" else ("raised", "lowered", "not significant")
    assert any(w in html for w in words) and "Traceback" not in html  # a verdict was given


@pytest.mark.slow
def test_archive_notebook_lists_and_exports(tmp_path):
    ar.save_record(tmp_path, {"record_id": "r1", "archived_at": "2026-10-01T08:00:00+00:00", "decision": "ship",
                              "experiment_id": "EXP-SCRIPT", "variable": "script", "room_ids": ["R02"],
                              "results": [{"metric": "click_to_order_rate", "treatment": "B", "effect_rel": 0.2}]})
    html = run_notebook(NOTEBOOKS[1], tmp_path / "out.ipynb", data_dir=str(tmp_path), mode="static", lang="zh")
    assert "EXP-SCRIPT" in html and "+20.0%" in html and "上线实验组" in html
    assert 'download="ab-archive.csv"' in html and "data:text/csv" in html
