"""The A/B page controller on the page base class (no kernel needed)."""
from __future__ import annotations

import dataclasses

import pytest

from liveops_nb.errors import UnknownOptionError
from liveops_nb.pages import abtest_sections
from liveops_nb.pages.abtest_page import SECTIONS, AbTestPage
from liveops_nb.pages.base import Page
from tests.abtest.helpers import tiny_experiment

ANALYSED = ["srm", "results", "forest", "time", "breakdown", "verdict"]


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return str(tiny_experiment(tmp_path / "t"))


def html_of(page: AbTestPage, name: str) -> str:
    return "".join(o["data"].get("text/html", "") for o in page.outputs[name].outputs)


def test_the_page_is_a_page_and_builds_its_analysis_once_per_selection(folder):
    page = AbTestPage(experiment_id="EXP-T", metrics=["gmv"], data_dir=folder, mode="interactive", lang="en")
    assert isinstance(page, Page) and page.error is None and page.options.metrics == ("gmv",)
    first = page.result()
    assert page.result() is first  # every section of this selection reads the same analysis
    page.set(control="B")
    assert page.result() is not first and page.result().control == "B" and page.treatments == ("A",)


def test_a_change_re_renders_only_the_sections_that_read_it(folder):
    page = AbTestPage(experiment_id="EXP-T", metrics=["gmv"], data_dir=folder, mode="interactive", lang="en")
    for name in SECTIONS:
        page.section(name)
    assert "+100.0%" in html_of(page, "results")
    rendered: list[str] = []
    build = page._build
    page._build = lambda name: (rendered.append(name), build(name))[1]  # type: ignore[method-assign]

    def after(change) -> list[str]:
        rendered.clear()
        change()
        return list(rendered)

    assert after(lambda: page.set_plan(effect=0.2)) == ["planner"] and page.plan_effect == 0.2
    assert after(lambda: page.set(control="B")) == ANALYSED
    assert "-50.0%" in html_of(page, "results")  # (200/3) / (400/3) - 1
    assert after(lambda: page.set(alpha=0.1)) == ["srm", "results", "forest", "time", "breakdown", "planner",
                                                  "verdict"]
    assert after(lambda: page.set(experiment_id="EXP-S")) == list(SECTIONS)
    assert page.exp.unit == "session" and page.metrics == ("click_to_order_rate",)


def test_unknown_options_raise_the_package_error(folder):
    page = AbTestPage(experiment_id="EXP-T", data_dir=folder, mode="interactive", lang="en")
    with pytest.raises(UnknownOptionError, match="no_such"):
        page.set(no_such=1)
    with pytest.raises(UnknownOptionError, match="no_such"):
        page.set_plan(no_such=1)


def test_failing_sections(folder, monkeypatch):
    from liveops_nb.abtest.errors import MetricNotAvailableError

    static = AbTestPage(experiment_id="EXP-T", data_dir=folder, mode="static", lang="en")
    assert "no_such" in "".join(static._items("no_such")) and "card" in "".join(static._items("no_such"))
    interactive = AbTestPage(experiment_id="EXP-T", data_dir=folder, mode="interactive", lang="en")
    card = abtest_sections.get("card")

    def broken(ds, eid, o):
        raise RuntimeError("a bug")

    def unavailable(ds, eid, o):
        raise MetricNotAvailableError("needs viewer-level data", code="needs_viewer_level")

    monkeypatch.setitem(abtest_sections._REGISTRY.sections, "card", dataclasses.replace(card, build=unavailable))
    assert "not available from this source" in "".join(interactive._items("card"))
    monkeypatch.setitem(abtest_sections._REGISTRY.sections, "card", dataclasses.replace(card, build=broken))
    assert "a bug" in "".join(interactive._items("card"))  # shown in the section's place
    with pytest.raises(RuntimeError, match="a bug"):  # a batch run fails loudly on a bug
        static._items("card")


def test_a_dataset_without_experiments_says_so(tiny_dir, monkeypatch):
    from liveops_nb.pages import base

    monkeypatch.delenv("QUERY_STRING", raising=False)
    shown: list = []
    monkeypatch.setattr(base, "display", shown.append)
    page = AbTestPage(data_dir=str(tiny_dir), mode="interactive", lang="en")
    assert page.error is None and page.experiments.empty and not page._ready()
    page.controls()
    assert "no experiments table" in "".join(o["data"].get("text/html", "") for o in page.header_area.outputs)
    page.section("results")
    assert page.outputs == {}
