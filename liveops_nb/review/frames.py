"""The review page's sections as DataFrames, for analysts who want the page's numbers in their own notebook.

Each function here runs the section's own ``build`` (the same numbers the page shows) and returns its
tables as a ``dict`` of DataFrames:

* every table of the section under its field name (e.g. ``traffic(ds, sid)["channels"]``);
* ``"values"`` -- the section's single values, one row each (``name``, ``value``);
* ``"findings"`` -- the section's findings (``code``, ``params`` …; a diagnosis finding's evidence is its
  ``params``), when it has any, and ``"figures"`` -- the diagnosis findings' numbers with their scopes;
* a nested result's tables under ``<field>.<name>`` (the audience's ``portrait.gender`` …).

>>> from liveops_nb.review import frames
>>> traffic = frames.traffic(ds, "S1")                  # devtools/tiny.py's first session
>>> traffic["groups"][["channel_group", "uv", "gmv", "uv_share"]]
  channel_group   uv    gmv  uv_share
0       organic  1.0  100.0  0.333333
1          paid  2.0  400.0  0.666667
>>> sorted(traffic)
['channels', 'findings', 'groups', 'minutes', 'values']
"""
from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import UnknownSectionError

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

SECTIONS: tuple[str, ...] = ("results", "timeline", "traffic", "funnel", "products", "interaction", "audience",
                             "diagnosis", "next_steps")
"""The review's sections in the page's order (each a module of :mod:`liveops_nb.review` with ``build``)."""


def build(ds: Dataset, session_id: str, section: str, **options: Any) -> Any:
    """The section's data (its frozen dataclass), as the page builds it.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session to review.
    section : one of :data:`SECTIONS`.
    **options : the section's ``build`` options (e.g. ``basis="previous"`` for results).

    Raises
    ------
    UnknownSectionError
        ``section`` is not one of :data:`SECTIONS` (the message suggests the closest names).
    """
    if section not in SECTIONS:
        raise UnknownSectionError(section, SECTIONS)
    module = importlib.import_module(f"liveops_nb.review.{section}")
    return module.build(ds, session_id, **options)


def to_frames(data: Any) -> dict[str, pd.DataFrame]:
    """A section's data as DataFrames: its tables, ``"values"`` and ``"findings"`` (see the module's doc).

    Tables are copies (changing them changes nothing the dataset remembers); numbers are as built.
    """
    out: dict[str, pd.DataFrame] = {}
    values: list[tuple[str, Any]] = []
    for f in dataclasses.fields(data):
        v = getattr(data, f.name)
        if isinstance(v, pd.DataFrame):
            out[f.name] = v.copy()
        elif f.name == "findings" and isinstance(v, (tuple, list)):
            out["findings"] = findings_frame(v)
            if any(getattr(x, "figures", None) for x in v):
                out["figures"] = figures_frame(v)
        elif isinstance(v, Mapping) and v and all(isinstance(x, pd.DataFrame) for x in v.values()):
            out.update({f"{f.name}.{k}": x.copy() for k, x in v.items()})  # e.g. a portrait's tables
        elif isinstance(v, Mapping):
            values += [(f"{f.name}.{k}", x) for k, x in v.items()]
        elif dataclasses.is_dataclass(v) and not isinstance(v, type) and any(
                isinstance(getattr(v, g.name), (pd.DataFrame, Mapping)) for g in dataclasses.fields(v)):
            nested = to_frames(v)  # a nested section result (the audience's portrait): its tables and values
            nested_values = nested.pop("values")
            out.update({f"{f.name}.{k}": x for k, x in nested.items()})
            values += [(f"{f.name}.{n}", x) for n, x in zip(nested_values["name"], nested_values["value"], strict=True)]
        elif v is not None and not isinstance(v, (str, int, float, bool, tuple)) and dataclasses.is_dataclass(v):
            values += [(f"{f.name}.{k}", x) for k, x in dataclasses.asdict(v).items()]  # type: ignore[arg-type]
        else:
            values.append((f.name, v))
    out["values"] = pd.DataFrame({"name": [n for n, _ in values], "value": pd.Series([x for _, x in values],
                                                                                    dtype=object)})
    return out


FINDING_COLUMNS: tuple[str, ...] = ("code", "params", "severity", "metric", "impact", "lever", "explains")


def findings_frame(findings: Any) -> pd.DataFrame:
    """Findings as rows ``code, params, severity, metric, impact, lever, explains``.

    A section's finding carries ``params``; a diagnosis finding carries ``evidence`` (shown as its
    ``params``), a severity, the metric it is about, its estimated GMV impact, lever and the metrics it
    explains (None where a finding has no such attribute). Its numbers with scopes: :func:`figures_frame`.
    """
    rows = []
    for f in findings:
        params = getattr(f, "params", None)
        if params is None:
            params = getattr(f, "evidence", None)
        explains = getattr(f, "explains", None)
        rows.append({"code": getattr(f, "code", str(f)), "params": dict(params or {}),
                     "severity": getattr(f, "severity", None), "metric": getattr(f, "metric", None),
                     "impact": getattr(f, "impact", None), "lever": getattr(f, "lever", None),
                     "explains": None if explains is None else tuple(explains)})
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def figures_frame(findings: Any) -> pd.DataFrame:
    """The scoped numbers of diagnosis findings: ``finding`` (its position), ``code``, ``name``, ``value``,
    ``unit``, ``scope``, ``n`` — one row per figure."""
    rows = [{"finding": i, "code": f.code, "name": fig.name, "value": fig.value, "unit": fig.unit,
             "scope": fig.scope, "n": fig.n}
            for i, f in enumerate(findings) for fig in (getattr(f, "figures", None) or ())]
    return pd.DataFrame(rows, columns=["finding", "code", "name", "value", "unit", "scope", "n"])


def section(ds: Dataset, session_id: str, name: str, **options: Any) -> dict[str, pd.DataFrame]:
    """:func:`build` then :func:`to_frames`: one section of the review of ``session_id`` as DataFrames."""
    return to_frames(build(ds, session_id, name, **options))


def results(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """Results against the room's median / previous session / benchmark: ``comparison`` and ``values``."""
    return section(ds, session_id, "results", **options)


def timeline(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """The minute curve (``minute``), pitches, incidents, outages and interaction heat of one session."""
    return section(ds, session_id, "timeline", **options)


def traffic(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """Traffic sources: ``channels`` and ``groups`` (organic / paid / private) with shares, GPM and ROI."""
    return section(ds, session_id, "traffic", **options)


def funnel(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """The platform and template funnels with step conversions."""
    return section(ds, session_id, "funnel", **options)


def products(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """Products: per-product KPIs, pitches and the role mix."""
    return section(ds, session_id, "products", **options)


def interaction(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """Comments and interaction: comment kinds, keywords, high-value viewers."""
    return section(ds, session_id, "interaction", **options)


def audience(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """Audience: new vs returning, regions, member tiers, RFM layers."""
    return section(ds, session_id, "audience", **options)


def diagnosis(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """The diagnosis's findings (codes with their numbers)."""
    return section(ds, session_id, "diagnosis", **options)


def next_steps(ds: Dataset, session_id: str, **options: Any) -> dict[str, pd.DataFrame]:
    """Next steps: the actions, factor targets and the next session's plan."""
    return section(ds, session_id, "next_steps", **options)
