"""The A/B page: the planner starts on the experiment's primary metric; an experiment without units says
"no data yet" (no split check result, no verdict) in both languages; the metric picker names its selection."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.pages import abtest_sections
from liveops_nb.pages.abtest_page import AbTestPage
from liveops_nb.pages.metric_picker import CheckPicker
from tests.abtest.helpers import tiny_experiment


def html_of(page: AbTestPage, name: str) -> str:
    return "".join(o["data"].get("text/html", "") for o in page.outputs[name].outputs)


def planned_metric(page: AbTestPage) -> str:
    """The metric of the plan the planner section shows."""
    return abtest_sections.get("planner").build(page.ds, page.exp.experiment_id, page.options).metric


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return str(tiny_experiment(tmp_path / "t"))


@pytest.fixture()
def planned(tmp_path, monkeypatch):
    """EXP-T planned: its assignments are not there yet (EXP-T2 and EXP-S keep theirs)."""
    monkeypatch.delenv("QUERY_STRING", raising=False)
    a = pd.DataFrame({"experiment_id": ["EXP-T2"] * 2 + ["EXP-S"] * 2, "unit_id": ["u1", "u4", "S1", "S2"],
                      "variant": ["A", "B", "A", "B"]})
    return str(tiny_experiment(tmp_path / "p", assignments=a))


def test_the_planner_defaults_to_the_primary_metric(folder):
    page = AbTestPage(experiment_id="EXP-T", data_dir=folder, lang="en")
    assert page.plan_metric == "view_to_order_rate"  # EXP-T's primary metric, not UV value
    page.controls()
    page.section("planner")
    assert page.w_plan_metric.value == "view_to_order_rate"
    assert planned_metric(page) == "view_to_order_rate"  # the plan shown is for that metric
    page.set(experiment_id="EXP-T2")  # another experiment: its own primary metric
    assert page.plan_metric == "gmv" and page.w_plan_metric.value == "gmv"
    page.set_plan(metric="uv")
    assert page.plan_metric == "uv"
    page.set(experiment_id="EXP-S")
    assert page.plan_metric == "click_to_order_rate"
    static = AbTestPage(experiment_id="EXP-T2", data_dir=folder, lang="zh", mode="static")
    assert static.plan_metric == "gmv" and planned_metric(static) == "gmv"


@pytest.mark.parametrize("lang, words", [("zh", ("暂无数据", "还没有分组记录")), ("en", ("No data yet", "no unit is assigned"))])
def test_an_experiment_without_units_says_no_data_yet(planned, lang, words):
    page = AbTestPage(experiment_id="EXP-T", data_dir=planned, lang=lang)
    assert page.error is None and not page.result().has_units
    page.controls()
    for name in ("srm", "results", "forest", "time", "breakdown", "verdict", "planner"):
        page.section(name)
    for name in ("srm", "results", "verdict"):
        html = html_of(page, name)
        assert words[0] in html and "lo-na" in html, name
        assert "p=1.000" not in html and "lo-good" not in html  # no green "split as planned"
    assert words[1] in html_of(page, "srm")
    assert "lo-note" in html_of(page, "planner") and words[0] not in html_of(page, "planner")  # planning still works


def test_the_metric_picker_shows_its_selection():
    picker = CheckPicker("Metrics", [("GMV", "gmv"), ("Viewers", "uv"), ("GPM", "gpm")], ("uv",), lang="en")
    assert picker.value == ("uv",) and "<b>Metrics</b>: Viewers" in picker.summary.value
    seen = []
    picker.observe(lambda c: seen.append(c["new"]), names="value")
    picker.grid.children[2].value = True  # a click on GPM
    assert picker.value == ("uv", "gpm") and "Viewers, GPM" in picker.summary.value and seen == [("uv", "gpm")]
    picker.value = ("gmv",)  # set from code: the boxes follow
    assert [b.value for b in picker.grid.children] == [True, False, False]
    picker.options = [("GMV", "gmv"), ("Orders", "orders")]  # new options keep what is still offered
    assert picker.value == ("gmv",) and len(picker.grid.children) == 2
    picker.value = ()
    assert picker.summary.value.endswith("—</div>")
    zh = CheckPicker("指标", [("成交金额", "gmv"), ("观看人数", "uv")], ("gmv", "uv"))
    assert "<b>指标</b>：成交金额、观看人数" in zh.summary.value


def test_the_page_uses_the_picker_for_metrics(folder):
    page = AbTestPage(experiment_id="EXP-T", data_dir=folder, lang="en")
    page.controls()
    assert isinstance(page.w_metrics, CheckPicker) and page.w_metrics.value == ("view_to_order_rate",)
    page.w_metrics.value = ("gmv", "view_to_order_rate")  # a click: the primary metric stays first
    assert page.metrics == ("view_to_order_rate", "gmv")
