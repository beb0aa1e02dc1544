"""liveops_nb.pages.outputs: filling page areas without output capture, re-render turns, charts as widgets."""
from __future__ import annotations

import pandas as pd
import pytest

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


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
    assert out.msg_id == ""  # no output capture was set up (see liveops_nb/pages/outputs.py)
    show_in(out, ["only this"])  # replaces, not appends
    assert [o["data"]["text/html"] for o in out.outputs] == ["only this"]


def test_output_of_rejects_objects_that_only_display_themselves():
    from liveops_nb.pages.outputs import output_of

    class SelfDisplaying:
        def _ipython_display_(self):
            pass

    with pytest.raises(TypeError, match="SelfDisplaying"):
        output_of(SelfDisplaying())


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
