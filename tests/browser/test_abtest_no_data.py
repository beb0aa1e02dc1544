"""The A/B page in a real headless Chromium against Voila on 127.0.0.1, in 中文 and English: a planned
experiment (no units) says "no data yet"; the planner and the metric picker start on the primary metric.
The first opening of the page is timed (printed; see the report)."""
from __future__ import annotations

import time

import pytest

from liveops_nb.metrics import REGISTRY

from .conftest import ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
AB = "/voila/render/02-ab-test.ipynb"
SHOTS = ROOT / "reports" / "screenshots"
NO_DATA = {"zh": "暂无数据", "en": "No data yet"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_planned_experiment_says_no_data_yet(page, voila_url, planted, lang):
    planned = [eid for eid, e in planted["experiments"].items() if not e.get("n_units")]
    assert planned, "the demo plants an experiment that has not started"
    open_page(page, f"{voila_url}{AB}?experiment={planned[0]}&lang={lang}", ".lo-abtest-srm .lo-note", timeout_ms=300_000)
    page.wait_for_selector(".lo-abtest-verdict .lo-note")
    for section in ("srm", "results", "verdict"):
        text = page.inner_text(f".lo-abtest-{section}")
        assert NO_DATA[lang] in text, (section, text)
        assert "p=1.000" not in text and "p = 1.000" not in text
    assert page.locator(".lo-abtest-srm .lo-good, .lo-abtest-verdict .lo-good").count() == 0  # nothing green
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"abtest-no-data-{lang}.png"))
    for section in ("srm", "results", "verdict"):
        page.locator(f".lo-abtest-{section}").screenshot(path=str(SHOTS / f"abtest-no-data-{section}-{lang}.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_planner_and_metric_picker_start_on_the_primary_metric(page, voila_url, planted, lang):
    eid, exp = next((k, e) for k, e in planted["experiments"].items() if e.get("n_units"))
    label = REGISTRY[exp["primary_metric"]].label(lang)
    started = time.perf_counter()
    open_page(page, f"{voila_url}{AB}?experiment={eid}&lang={lang}", ".lo-abtest-results table", timeout_ms=300_000)
    print(f"\nA/B page first opening ({lang}, {eid}): results table after {time.perf_counter() - started:.1f} s")
    page.wait_for_selector(".lo-abtest-plan-metric select")
    chosen = page.locator(".lo-abtest-plan-metric select").evaluate("s => s.options[s.selectedIndex].text")
    chosen = chosen.replace("\xa0", " ")  # ipywidgets shows option spaces as no-break spaces
    assert chosen == label  # the planner plans for the metric the verdict is decided on
    assert label in page.inner_text(".lo-abtest-planner")
    summary = page.inner_text(".lo-pick-summary")
    assert label in summary  # the picker names its selection
    assert page.locator(".lo-abtest-pick-metrics input[type=checkbox]:checked").count() == 1
    page.screenshot(path=str(SHOTS / f"abtest-primary-{lang}.png"))
    page.locator(".lo-abtest-planner").screenshot(path=str(SHOTS / f"abtest-planner-{lang}.png"))
