"""A multi-choice picker that shows its selection: a line naming what is chosen, and a checkbox per option.

It replaces a small ``SelectMultiple`` list box, whose chosen rows scroll out of sight and whose
Ctrl-click nobody discovers. It behaves like one for the page: ``options`` are ``(label, value)``
pairs, ``value`` is the tuple of chosen values (in option order) and ``observe(..., names="value")``
reports changes.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import traitlets

from ..render.html import esc


class CheckPicker(w.VBox):
    """Checkboxes in a grid under a line "<description>: A、B" naming the chosen options.

    Parameters
    ----------
    description : the picker's name (shown before the chosen labels).
    options : ``(label, value)`` pairs.
    value : the chosen values.
    columns : checkboxes per row.
    none_text : shown when nothing is chosen.
    lang : "zh" or "en" (punctuation of the summary line).
    """

    value = traitlets.Tuple()

    def __init__(self, description: str, options: Sequence[tuple[str, Any]] = (), value: Sequence[Any] = (), *,
                 columns: int = 4, none_text: str = "—", lang: str = "zh", **kwargs: Any) -> None:
        self.description, self.none_text, self._columns = description, none_text, columns
        self._colon, self._sep = ("：", "、") if lang == "zh" else (": ", ", ")
        self._options: list[tuple[str, Any]] = []
        self._boxes: list[w.Checkbox] = []
        self._syncing = False
        self.summary = w.HTML()
        self.summary.add_class("lo-pick-summary")
        self.grid = w.GridBox(layout=w.Layout(grid_template_columns=f"repeat({columns}, 250px)"))
        super().__init__([self.summary, self.grid], **kwargs)
        self.options = list(options)
        self.value = tuple(value)

    @property
    def options(self) -> list[tuple[str, Any]]:
        """The ``(label, value)`` pairs offered; setting them keeps the chosen values that are still offered."""
        return list(self._options)

    @options.setter
    def options(self, options: Sequence[tuple[str, Any]]) -> None:
        self._options = [(str(label), v) for label, v in options]
        self._boxes = []
        for label, _ in self._options:
            box = w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="245px"))
            box.observe(self._ticked, names="value")
            self._boxes.append(box)
        self.grid.children = tuple(self._boxes)
        offered = [v for _, v in self._options]
        self.value = tuple(v for v in self.value if v in offered)
        self._show()

    @traitlets.validate("value")
    def _valid(self, proposal: Any) -> tuple:
        offered = [v for _, v in self._options]
        chosen = set(proposal["value"])
        return tuple(v for v in offered if v in chosen)

    @traitlets.observe("value")
    def _changed(self, change: Any) -> None:
        self._show()

    def _show(self) -> None:
        """Tick the chosen boxes and name them in the summary line."""
        self._syncing = True
        try:
            for box, (_, v) in zip(self._boxes, self._options, strict=True):
                box.value = v in self.value
        finally:
            self._syncing = False
        labels = [label for label, v in self._options if v in self.value]
        self.summary.value = (f'<div class="lo" style="font-size:13px;margin:2px 0"><b>{esc(self.description)}</b>{self._colon}'
                              f'{esc(self._sep.join(labels) or self.none_text)}</div>')

    def _ticked(self, change: Any) -> None:
        if self._syncing:
            return
        self.value = tuple(v for box, (_, v) in zip(self._boxes, self._options, strict=True) if box.value)
