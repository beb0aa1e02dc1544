"""Filling a page area (an ``ipywidgets.Output``) without output capture.

Every re-renderable area of the pages (review sections, A/B sections, the
archive table) is an ``Output`` widget whose content is *set* from the kernel:
each item is formatted into a ``display_data`` output and assigned to
``Output.outputs`` in one state update.

Why not ``with out: display(...)``: that relies on output capture by a
frontend. In Voila the notebook is run by the server's ``nbclient``, which
mimics the capture by sending state updates on the kernel's shell channel from
inside its event loop — a send path that can swallow the wake-up of the next
shell reply, so the page then waits forever on an idle kernel (voila issue
#1428; seen here on about half of all page openings). Setting the state
directly sends nothing through the server, works the same in JupyterLab,
Voila (first render and picker callbacks) and plain Python, and replaces the
area's content atomically (no flash of an empty area).
"""
from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

from IPython.display import HTML

log = logging.getLogger("liveops_nb.pages")


def output_of(item: Any) -> dict[str, Any]:
    """One displayable item (HTML string, widget, chart, DataFrame, IPython display object) as an output dict."""
    from IPython import get_ipython

    if isinstance(item, str):
        item = HTML(item)
    item = _chart_widget(item)
    shell = get_ipython()
    formatter = shell.display_formatter if shell is not None else _plain_formatter()
    data, metadata = formatter.format(item)
    if not data:  # objects that display themselves (``_ipython_display_``) cannot be stored
        raise TypeError(f"cannot show a {type(item).__name__} in a page area")
    return {"output_type": "display_data", "data": data, "metadata": metadata}


@functools.cache
def _plain_formatter():
    """IPython's display formatter outside a kernel (plain Python, tests)."""
    from IPython.core.formatters import DisplayFormatter

    return DisplayFormatter()


def _chart_widget(item: Any) -> Any:
    """An Altair chart as its JupyterChart widget when the interactive (``jupyter``) renderer is on.

    Altair's renderer gets the chart as a dict and rebuilds it with ``Chart.from_dict``, validating
    every part against the Vega-Lite schema again: 0.5 s of a picker change went there. The widget
    made from the chart object itself is the same widget (same offline bundle, same options).
    """
    alt = sys.modules.get("altair")  # no chart can be an Altair chart unless altair is imported
    if alt is None or not isinstance(item, alt.TopLevelMixin) or alt.renderers.active != "jupyter":
        return item
    options = alt.renderers.options or {}
    alt.JupyterChart.enable_offline(offline=options.get("offline", False))
    return alt.JupyterChart(item, embed_options=options.get("embed_options"))


def outputs_of(items: Iterable[Any]) -> tuple[dict[str, Any], ...]:
    """Output dicts of ``items``; keep them to show the same content again without new widgets."""
    return tuple(output_of(item) for item in items)


def show_in(out: Any, items: Iterable[Any]) -> None:
    """Replace the content of Output widget ``out`` with ``items`` (one state update)."""
    out.outputs = outputs_of(items)


def show(items: Iterable[Any]) -> None:
    """Display ``items`` as cell outputs (static pages: papermill, exported HTML)."""
    from IPython.display import display

    for item in items:
        display(HTML(item) if isinstance(item, str) else item)


class Turns:
    """Re-render page areas one per turn of the kernel's event loop; a newer request cancels an older one.

    A picker change re-renders nine sections (≈1–2 s in all). Done in one go, a second change
    made meanwhile waits for all of them. Here the first step runs at once (the KPI cards show
    without delay) and every further step is scheduled on the kernel's event loop, so the kernel
    handles the next picker message between two sections; that message starts a new run and the
    rest of the old one is dropped. Outside a Jupyter kernel (plain Python, tests) all steps run
    at once.

    Parameters
    ----------
    schedule : how to run a callable later (default: ``call_soon`` of the running loop, in a kernel).
    """

    def __init__(self, schedule: Callable[[Callable[[], None]], Any] | None = None) -> None:
        self._schedule = schedule
        self._generation = 0

    def run(self, steps: list[Callable[[], None]]) -> None:
        self._generation += 1
        generation, pending = self._generation, list(steps)
        schedule = self._schedule or _kernel_call_soon()

        def step() -> None:
            if generation != self._generation or not pending:
                return
            try:
                pending.pop(0)()
            except Exception:  # noqa: BLE001 - one failing area must not stop the others
                log.exception("page area failed to render")
            if schedule is None:
                step()
            else:
                schedule(step)

        step()


def _kernel_call_soon() -> Callable[[Callable[[], None]], Any] | None:
    """``call_soon`` of the event loop running this Jupyter kernel's handlers, or None outside a kernel."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop().call_soon
    except RuntimeError:
        return None
