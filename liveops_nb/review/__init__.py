"""The session review (下播复盘): one module per section of the review template.

Every section module exposes

* ``TITLE``: ``(中文, English)`` heading;
* ``build(ds, session_id, *, lang="zh", **options) -> data`` — a frozen
  dataclass of tables and numbers, from small pure functions that take tables
  and return tables (unit-tested on hand-worked data);
* ``render(data, lang="zh") -> list`` — displayable items: HTML strings,
  Altair charts or DataFrames;
* optionally ``key_figures(data) -> dict`` — numbers for the batch JSON.

Sections cope with aggregate-only datasets: what cannot be computed says so in
one line.
"""
from __future__ import annotations

import importlib
from types import ModuleType

SECTIONS: tuple[str, ...] = (
    "results", "timeline", "traffic", "funnel", "products", "interaction", "audience", "diagnosis", "next_steps",
)


def section(name: str) -> ModuleType:
    """The module of section ``name`` (imported on first use)."""
    if name not in SECTIONS:
        raise KeyError(f"unknown review section '{name}'; sections are: {', '.join(SECTIONS)}")
    return importlib.import_module(f"{__name__}.{name}")


def build(name: str, ds, session_id: str, *, lang: str = "zh", **options):
    """Build section ``name``, passing only the options its ``build`` accepts (basis, history_n, ...)."""
    import inspect

    fn = section(name).build
    params = inspect.signature(fn).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        options = {k: v for k, v in options.items() if k in params}
    return fn(ds, session_id, lang=lang, **options)
