"""Section 8 — 现存问题 Diagnosis: automatic findings from the template's problem list.

Three parts:

* :mod:`.rules` — the rules, pure functions from a few numbers or tables to a :class:`Finding`
  (rule code, severity, evidence) or None, and their :data:`THRESHOLDS`;
* :mod:`.inputs` — the rules' inputs read from the dataset (registry values from ``ds.kpis``);
* this module — :func:`build`, which runs every rule whose inputs the dataset has.

Findings are language-neutral; their words are in :mod:`liveops_nb.render.review.diagnosis`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..results import prior_sessions
from . import inputs
from .rules import (
    CODES,
    RULE_SECTIONS,
    SEVERITY_ORDER,
    THRESHOLDS,
    Finding,
    Severity,
    cart_conversion,
    cart_drop,
    incident,
    peak_minute,
    refund_windows,
    refunds,
    rhythm_off,
    short_stay,
    single_channel,
    slow_refunds,
    th,
)

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

__all__ = ["CODES", "RULE_SECTIONS", "SEVERITY_ORDER", "THRESHOLDS", "TITLE", "DiagnosisData", "Finding", "Severity",
           "build", "cart_conversion", "cart_drop", "incident", "key_figures", "peak_minute", "refund_windows",
           "refunds", "rhythm_off", "short_stay", "single_channel", "slow_refunds", "th"]

TITLE = ("现存问题", "Problems found")


@dataclass(frozen=True)
class DiagnosisData:
    """Findings (most severe first) and the rule codes that could not be checked on this dataset."""

    session_id: str
    findings: tuple[Finding, ...]
    not_checked: tuple[str, ...] = ()


def build(ds: Dataset, session_id: str, *, history_n: int | None = None) -> DiagnosisData:
    """Run every rule on ``session_id``; rules whose inputs are missing are listed as not checked.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    history_n : the room's earlier sessions the rules compare with (default ``THRESHOLDS["history_n"]``).

    Results are remembered in the dataset's cache per (session, history_n), so that the next-steps
    section reuses the diagnosis the page already built.
    """
    ds.session(session_id)
    n = int(history_n or th("history_n"))
    return ds.remember(("diagnosis", session_id, n), lambda: _run(ds, session_id, n))


def _run(ds: Dataset, session_id: str, history_n: int) -> DiagnosisData:
    history = prior_sessions(ds.session_info, session_id)["session_id"].iloc[-history_n:].tolist()
    found: list[Finding | None] = []
    skipped: list[str] = []
    room = inputs.room_sessions(ds, session_id)

    watch = inputs.watch_time(ds, session_id, room, history_n)
    if watch.value is None:
        skipped.append("short_stay")
    found.append(short_stay(watch.value, watch.bench_p50, watch.room_median))

    top = inputs.top_channel(ds, session_id)
    if top is None:
        skipped.append("single_channel")
    else:
        found.append(single_channel(*top))

    minutes = inputs.minute_online(ds, session_id)
    if minutes is not None and ds.has("pitches") and ds.has("products"):
        pitches = inputs.pitch_online(ds.frame("pitches", session_id), ds.frame("products"), minutes)
        found.append(rhythm_off(pitches, minutes))
    else:
        skipped.append("rhythm_off")

    logged = ds.frame("incidents", session_id) if ds.has("incidents") else None
    if minutes is None and logged is None:
        skipped.append("incident")
    else:
        outages = inputs.outages(minutes) if minutes is not None else pd.DataFrame(columns=["start", "minutes"])
        found.append(incident(outages, logged))

    if ds.has("events"):
        conversion = cart_conversion(inputs.cart_events(ds, [*history, session_id]))
        found.append(cart_drop(*inputs.cart_inputs(conversion, session_id, history)))
    else:
        skipped.append("cart_drop")

    ref = inputs.refund_inputs(ds, session_id, room)
    if ref is None:
        skipped.append("refunds")
    else:
        found.append(refunds(*ref))
    findings = sorted((f for f in found if f is not None), key=lambda f: SEVERITY_ORDER[f.severity])
    return DiagnosisData(session_id, tuple(findings), tuple(skipped))


def key_figures(data: DiagnosisData) -> dict[str, float | str | None]:
    """Counts by severity, the codes found, and each rule's severity (None = not found, "not_checked")."""
    out: dict[str, float | str | None] = {f"n_{s}": float(sum(f.severity == s for f in data.findings))
                                          for s in SEVERITY_ORDER}
    out["n_findings"] = float(len(data.findings))
    out["codes"] = ",".join(f.code for f in data.findings)
    for code in CODES:
        hit = [f.severity for f in data.findings if f.code == code]
        out[f"rule_{code}"] = hit[0] if hit else ("not_checked" if code in data.not_checked else None)
    return out
