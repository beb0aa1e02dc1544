"""liveops_nb.pages.landing: the list of sessions, filtered by room."""
from __future__ import annotations


def test_landing_page_lists_sessions_and_filters_by_room(tiny_dir, tiny_ds):
    from liveops_nb.pages.landing import LandingPage

    page = LandingPage(str(tiny_dir), lang="en")
    page.controls()
    page.section("sessions")
    html = page.outputs["sessions"].outputs[0]["data"]["text/html"]
    assert html.count("<tr>") == 1 + len(tiny_ds.session_info) and "open review" in html
    assert "01-session-review.ipynb?session=S1" in html
    page.set_room("no-such-room")
    assert "<tbody></tbody>" in page.outputs["sessions"].outputs[0]["data"]["text/html"]
    page.set_room("")
    assert page.outputs["sessions"].outputs[0]["data"]["text/html"] == html
    page.section("nope")
    assert "nope" in page.outputs["nope"].outputs[0]["data"]["text/html"]  # the registry's error, shown
