"""Page plumbing without a browser: filling page areas, the URL query, chart module."""
from __future__ import annotations

import pandas as pd
import pytest

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


# ---------------------------------------------------------------------- outputs
def test_show_in_sets_outputs_without_capture():
    import ipywidgets as w
    from IPython.display import HTML

    from liveops_nb.pages.outputs import show_in

    out, button = w.Output(), w.Button(description="x")
    show_in(out, ["<b>a</b>", HTML("<i>b</i>"), button, pd.DataFrame({"x": [1]})])
    kinds = [o["output_type"] for o in out.outputs]
    assert kinds == ["display_data"] * 4
    assert out.outputs[0]["data"]["text/html"] == "<b>a</b>"
    assert out.outputs[1]["data"]["text/html"] == "<i>b</i>"
    assert out.outputs[2]["data"][WIDGET_VIEW]["model_id"] == button.model_id  # widgets are shown as views
    assert "<table" in out.outputs[3]["data"]["text/html"]
    assert out.msg_id == ""  # no output capture was set up (see liveops_nb/ui/outputs.py)
    show_in(out, ["only this"])  # replaces, not appends
    assert [o["data"]["text/html"] for o in out.outputs] == ["only this"]


def test_output_of_rejects_objects_that_only_display_themselves():
    from liveops_nb.pages.outputs import output_of

    class SelfDisplaying:
        def _ipython_display_(self):
            pass

    with pytest.raises(TypeError, match="SelfDisplaying"):
        output_of(SelfDisplaying())


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


# ---------------------------------------------------------------------- URL query, pre-heating, data reload
@pytest.fixture()
def fresh_query(monkeypatch):
    from liveops_nb.pages import app

    monkeypatch.setattr(app, "_QUERY", None)
    monkeypatch.setattr(app, "_WAITER", None)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return app


def test_page_query_reads_the_url_query(fresh_query, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "session=R01-20261001-1&lang=en")
    assert fresh_query.page_query() == {"session": "R01-20261001-1", "lang": "en"}
    monkeypatch.setenv("QUERY_STRING", "session=other")
    assert fresh_query.page_query() == {"session": "other"}
    assert not fresh_query.preheating()


def test_page_query_in_a_preheated_kernel_waits_for_the_request_once(fresh_query, monkeypatch):
    import threading

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    arrived = threading.Event()
    waiter = threading.Thread(target=arrived.wait)  # stands in for voila.utils.get_query_string
    waiter.start()
    monkeypatch.setattr(fresh_query, "_WAITER", waiter)
    assert fresh_query.preheating()  # nobody asked yet: warm-up work may go on
    monkeypatch.setenv("QUERY_STRING", "session=S2")  # what Voila does when the request arrives ...
    arrived.set()  # ... and the waiting returns
    assert fresh_query.page_query() == {"session": "S2"}
    monkeypatch.setenv("QUERY_STRING", "session=S1")
    assert fresh_query.page_query() == {"session": "S2"}  # the request of this page, kept
    assert not fresh_query.preheating()


def test_preheating_only_in_a_preheated_voila_kernel(fresh_query, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    assert not fresh_query.preheating()
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert fresh_query.preheating()  # no request yet
    monkeypatch.setattr(fresh_query, "_QUERY", {})
    assert not fresh_query.preheating()  # the request arrived


def test_load_dataset_reopens_when_the_files_change(tiny_dir):
    import os

    from liveops_nb.pages.app import load_dataset

    first = load_dataset(tiny_dir)
    assert load_dataset(tiny_dir) is first
    some = next(p for p in sorted(tiny_dir.iterdir()) if p.is_file())
    st = some.stat()
    os.utime(some, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_dataset(tiny_dir) is not first


def test_chart_module_is_not_shared_outside_voila(monkeypatch):
    import altair as alt

    from liveops_nb.pages.app import share_chart_module

    monkeypatch.delenv("VOILA_SERVER_URL", raising=False)
    before = alt.JupyterChart._esm
    assert share_chart_module() is False
    assert alt.JupyterChart._esm is before


def test_turns_runs_all_steps_at_once_without_an_event_loop():
    from liveops_nb.pages.outputs import Turns

    done: list[int] = []
    Turns().run([lambda i=i: done.append(i) for i in range(3)])
    assert done == [0, 1, 2]


def test_turns_yields_between_steps_and_a_newer_run_cancels_the_older():
    from liveops_nb.pages.outputs import Turns

    done: list[str] = []
    later: list = []  # what the kernel's event loop would run on its next turns

    def failing() -> None:
        done.append("a-fails")
        raise RuntimeError("one area breaks")

    def turn() -> None:
        later.pop(0)()

    turns = Turns(schedule=later.append)
    turns.run([lambda: done.append("a1"), failing, lambda: done.append("a3"), lambda: done.append("a4")])
    assert done == ["a1"]  # the first step at once, the rest on later turns
    turn()
    turn()
    assert done == ["a1", "a-fails", "a3"]  # a failing step does not stop the others
    turns.run([lambda: done.append("b1"), lambda: done.append("b2")])  # a newer picker change
    while later:
        turn()
    assert done == ["a1", "a-fails", "a3", "b1", "b2"]  # a4 was dropped


def test_turns_use_the_kernel_loop_only_inside_a_kernel():
    import asyncio
    import threading

    from liveops_nb.pages.outputs import _kernel_call_soon

    async def inside_a_loop():
        return asyncio.get_running_loop(), _kernel_call_soon()

    seen: list = []
    worker = threading.Thread(target=lambda: seen.append(asyncio.run(inside_a_loop())))  # a thread of its own:
    worker.start()  # the test process may have a loop of its own running (Playwright)
    worker.join()
    loop, call_soon = seen[0]
    assert loop is not None and call_soon is None  # a running loop alone is not a kernel


def test_charts_become_widgets_without_the_renderers_dict_round_trip(monkeypatch):
    import altair as alt

    from liveops_nb import charts
    from liveops_nb.pages.outputs import output_of

    charts.enable("interactive")
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")

    def no_round_trip(*_a, **_k):
        raise AssertionError("Chart.from_dict re-validates the whole spec: 0.5 s per picker change")

    monkeypatch.setattr(alt.Chart, "from_dict", no_round_trip)
    assert WIDGET_VIEW in output_of(chart)["data"]


def test_switching_back_reuses_the_shown_outputs(tiny_dir):
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="en")
    page.section("timeline")
    first = page.outputs["timeline"].outputs
    page.select("S2")
    assert page.outputs["timeline"].outputs != first
    page.select("S1")
    assert page.outputs["timeline"].outputs == first  # the same chart widgets (model ids), nothing new made


# ---------------------------------------------------------------------- the registry of sections
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
    assert (o.basis, o.history_n, o.lang) == ("median", 10, "zh")
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.basis = "previous"  # type: ignore[misc]
    assert hash(o) == hash(ReviewOptions()) and o.only(frozenset({"history_n"})) == (10,)


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
    assert rebuilt == {"results", "next_steps"} == {n for n in sections.REVIEW if "basis" in sections.get(n).reads}
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


# ---------------------------------------------------------------------- the page base class
def test_a_page_that_cannot_open_shows_a_friendly_error_or_raises_when_static(tiny_dir, monkeypatch):
    from liveops_nb.errors import LiveOpsError
    from liveops_nb.pages import base

    shown: list = []
    monkeypatch.setattr(base, "display", shown.append)

    class Broken(base.Page):
        makes_charts = False

        def _opened(self) -> None:
            raise LiveOpsError("this dataset is not for this page")

    page = Broken(data_dir=str(tiny_dir))
    assert isinstance(page.error, LiveOpsError) and not page._ready()
    page.controls()
    assert "this dataset is not for this page" in shown[-1].data and len(shown) == 2  # page style, the error
    page.section("anything")
    assert page.outputs == {} and len(shown) == 2
    with pytest.raises(LiveOpsError):
        Broken(data_dir=str(tiny_dir), mode="static")


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
