"""liveops_nb.pages.sections: the registry of review sections and the one frozen options object."""
from __future__ import annotations

import pytest


def test_review_sections_come_from_the_registry_in_template_order():
    from liveops_nb.errors import LiveOpsError, UnknownSectionError
    from liveops_nb.pages import sections

    assert sections.REVIEW == ("results", "timeline", "traffic", "funnel", "products", "interaction", "audience",
                               "diagnosis", "next_steps")
    for name in sections.REVIEW:
        s = sections.get(name)
        assert s.name == name and len(s.title) == 2 and all(s.title)
        assert callable(s.build) and callable(s.render) and callable(s.key_figures)
    assert sections.get("results").heading("en") == "Results" and sections.get("results").heading("zh") == "阶段成果"
    with pytest.raises(UnknownSectionError, match="no_such_section.*results") as err:
        sections.get("no_such_section")
    assert isinstance(err.value, LiveOpsError) and isinstance(err.value, KeyError)


def test_register_adds_a_section_and_rejects_options_nobody_sets():
    from liveops_nb.errors import LiveOpsError
    from liveops_nb.pages import sections

    extra = sections.Section("test_extra", ("额外", "Extra"), lambda ds, sid, o: (sid, o.basis),
                             lambda data, lang: [f"<p>{data}</p>"], reads=frozenset({"basis"}))
    try:
        assert sections.register(extra) is extra and sections.get("test_extra") is extra
        assert "test_extra" in sections.names() and "test_extra" not in sections.REVIEW
    finally:
        sections._SECTIONS.pop("test_extra", None)
    with pytest.raises(LiveOpsError, match="no_such_option"):
        sections.register(sections.Section("test_bad", ("坏", "Bad"), extra.build, extra.render,
                                           reads=frozenset({"no_such_option"})))
    assert "test_bad" not in sections.names()


def test_review_options_are_one_frozen_hashable_object():
    import dataclasses

    from liveops_nb.pages.sections import ReviewOptions

    o = ReviewOptions()
    assert (o.basis, o.history_n) == ("median", 10)
    assert "lang" not in {f.name for f in dataclasses.fields(o)}  # builds are language-neutral
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.basis = "previous"  # type: ignore[misc]
    assert hash(o) == hash(ReviewOptions()) and o.only(frozenset({"history_n"})) == (10,)
