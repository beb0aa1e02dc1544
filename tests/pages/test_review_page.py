"""liveops_nb.pages.review_page: sections filled in place, reused on switching back, rebuilt only when read."""
from __future__ import annotations

import pytest


def test_review_page_interactive_sections_are_filled(tiny_dir):
    """Interactive sections hold their content in the Output state (also outside any kernel)."""
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="en")
    for name in ("results", "funnel"):
        page.section(name)
    results = "".join(o["data"].get("text/html", "") for o in page.outputs["results"].outputs)
    assert "lo-card" in results
    before = page.outputs["funnel"].outputs
    page.select("S2")  # the picker callback re-renders in place
    assert page.session_id == "S2" and page.outputs["funnel"].outputs != before


def test_switching_back_reuses_the_shown_outputs(tiny_dir):
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="en")
    page.section("timeline")
    first = page.outputs["timeline"].outputs
    page.select("S2")
    assert page.outputs["timeline"].outputs != first
    page.select("S1")
    assert page.outputs["timeline"].outputs == first  # the same chart widgets (model ids), nothing new made


def test_a_basis_change_rebuilds_only_the_sections_that_read_it(tiny_dir):
    from liveops_nb.pages import sections
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="en")
    for name in sections.REVIEW:
        page.section(name)
    assert page.section_errors == []
    built = set(page._built)
    timeline = page.outputs["timeline"].outputs
    page.set_basis("previous")
    rebuilt = {key[0] for key in set(page._built) - built}
    # the diagnosis judges the metrics worse than the basis, so it is rebuilt with the results and next steps
    assert rebuilt == {"results", "diagnosis", "next_steps"} == {n for n in sections.REVIEW
                                                                 if "basis" in sections.get(n).reads}
    assert page.basis == "previous" and page.outputs["timeline"].outputs == timeline
    page.select("S2")
    page.select("S1")  # the timeline built before the basis change is reused
    assert page.outputs["timeline"].outputs == timeline


def test_an_unknown_section_shows_a_friendly_error_and_is_listed(tiny_dir):
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="en", mode="static")
    page._items("no_such_section")
    assert page.section_errors == ["no_such_section"]
    assert "no_such_section" not in page.save_key_figures()


def test_review_page_reads_the_session_from_the_url(fresh_query, monkeypatch, tiny_dir):
    from liveops_nb.pages.review_page import ReviewPage

    monkeypatch.setenv("QUERY_STRING", "session=S2")
    assert ReviewPage("S1", str(tiny_dir), lang="en").session_id == "S2"  # the URL wins over the parameter
    monkeypatch.setenv("QUERY_STRING", "session=NOPE")
    page = ReviewPage("", str(tiny_dir), lang="en")
    assert page.session_id is None and "NOPE" in page.message and page.error is None
    from liveops_nb.errors import UnknownSessionError

    with pytest.raises(UnknownSessionError):  # a batch run fails loudly
        ReviewPage("", str(tiny_dir), lang="en", mode="static")
