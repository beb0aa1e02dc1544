"""The A/B page's sections: one declared type in a registry, data from build, words from render."""
from __future__ import annotations

import dataclasses

import pytest

from liveops_nb.errors import LiveOpsError, UnknownSectionError
from liveops_nb.pages import abtest_sections
from liveops_nb.pages.abtest_page import SECTIONS
from liveops_nb.pages.abtest_sections import AbOptions
from liveops_nb.pages.sections import Registry, Section
from tests.abtest.helpers import tiny_experiment

ANALYSED = ["srm", "results", "forest", "time", "breakdown", "verdict"]


# ---------------------------------------------------------------- the registry
def test_sections_are_one_declared_type_in_notebook_order():
    assert SECTIONS == abtest_sections.ABTEST == abtest_sections.names() == (
        "card", "srm", "results", "forest", "time", "breakdown", "planner", "verdict", "archive")
    for name in SECTIONS:
        s = abtest_sections.get(name)
        assert isinstance(s, Section) and s.name == name and len(s.title) == 2 and all(s.title)
        assert callable(s.build) and callable(s.render) and s.reads <= abtest_sections.READABLE
    assert abtest_sections.get("verdict").heading("en") == "Verdict"
    with pytest.raises(UnknownSectionError, match="no_such.*card") as err:
        abtest_sections.get("no_such")
    assert isinstance(err.value, LiveOpsError) and isinstance(err.value, KeyError)


def test_a_registry_rejects_sections_reading_options_its_page_does_not_have():
    registry: Registry[AbOptions] = Registry(AbOptions, abtest_sections.READABLE)
    with pytest.raises(LiveOpsError, match="no_such_option.*AbOptions"):
        registry.register(Section("x", ("x", "x"), lambda ds, eid, o: None, lambda d, lang: [],
                                  reads=frozenset({"no_such_option"})))
    assert registry.names() == ()


def test_a_change_reaches_only_the_sections_that_read_it():
    assert abtest_sections.reading({"control"}) == ANALYSED
    assert abtest_sections.reading({"sequential"}) == ANALYSED
    assert abtest_sections.reading({"alpha"}) == ["srm", "results", "forest", "time", "breakdown", "planner", "verdict"]
    assert abtest_sections.reading({"plan_effect", "plan_power"}) == ["planner"]
    assert abtest_sections.reading(set()) == []


def test_options_are_one_frozen_hashable_object():
    o = AbOptions(control="A", treatments=("B",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.control = "B"  # type: ignore[misc]
    assert hash(o) == hash(AbOptions(control="A", treatments=("B",)))


def test_build_gives_data_and_render_gives_words_in_either_language(tmp_path):
    import liveops_nb

    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    section = abtest_sections.get("results")
    a = section.build(ds, "EXP-T", AbOptions(metrics=("gmv",)))
    assert a.metrics == ("gmv",) and a.control == "A"  # an analysis result: no words
    zh, en = "".join(section.render(a, "zh")), "".join(section.render(a, "en"))
    assert "+100.0%" in zh and "+100.0%" in en and zh != en  # GMV per assigned viewer: A 200/3, B 400/3
