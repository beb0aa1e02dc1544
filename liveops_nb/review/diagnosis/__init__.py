"""Section 8 — 现存问题 Diagnosis: the page's findings, which the next steps act on.

Four parts:

* :mod:`.rules` — the rules, pure functions from a few numbers or tables to a :class:`Finding`
  (rule code, severity, evidence) or None, and their :data:`THRESHOLDS`;
* :mod:`.inputs` — the rules' inputs read from the dataset (registry values from ``ds.kpis``);
* :mod:`.story` — which main metrics are materially worse than the page's basis (the results
  section's comparison), which finding explains each (a metric nothing explains is a finding of
  its own), the findings' scoped figures and estimated GMV impact, and their ranking;
* this module — :func:`build`, which runs every rule whose inputs the dataset has and assembles the story.

Findings are language-neutral; their words are in :mod:`liveops_nb.render.review.diagnosis`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..results import Basis, check_basis, prior_sessions, session_assessment, session_comparison
from . import inputs, story
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

__all__ = ["CODES", "story", "RULE_SECTIONS", "SEVERITY_ORDER", "THRESHOLDS", "TITLE", "DiagnosisData", "Finding", "Severity",
           "build", "cart_conversion", "cart_drop", "incident", "key_figures", "peak_minute", "refund_windows",
           "refunds", "rhythm_off", "short_stay", "single_channel", "slow_refunds", "th"]

TITLE = ("现存问题", "Problems found")


@dataclass(frozen=True)
class DiagnosisData:
    """The page's findings and how every main metric stands against the basis.

    Attributes
    ----------
    findings : ranked by estimated GMV impact (:func:`.story.rank`).
    not_checked : rule codes whose inputs this dataset does not have.
    basis, n_history : the page's basis and the sessions in the room median.
    assessment : :func:`.story.assess` — per main metric: value, reference, shortfall, threshold, rule, status.
    causes : materially worse metric -> ids of the findings that explain it.
    """

    session_id: str
    findings: tuple[Finding, ...]
    not_checked: tuple[str, ...] = ()
    basis: str = "median"
    n_history: int = 0
    assessment: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[
        "key", "value", "reference", "shortfall", "spread", "n", "threshold", "rule", "status"]))
    causes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def status(self, status: str) -> pd.DataFrame:
        """Assessment rows of one status (``worse_normal``, ``worse_material``, …), in table order."""
        return self.assessment[self.assessment["status"] == status]


def build(ds: Dataset, session_id: str, *, basis: Basis = "median", history_n: int | None = None) -> DiagnosisData:
    """Run every rule on ``session_id`` and assemble the page's findings against ``basis``.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    basis : the results section's basis: a metric materially worse than it is explained by a finding.
    history_n : the room's earlier sessions the rules and the median compare with (default ``THRESHOLDS["history_n"]``).

    Results are remembered in the dataset's cache per (session, basis, history_n), so that the
    next-steps section reuses the diagnosis the page already built.
    """
    check_basis(basis)
    ds.session(session_id)
    n = int(history_n or th("history_n"))
    return ds.remember(("diagnosis", session_id, basis, n), lambda: _run(ds, session_id, basis, n))


def _rules(ds: Dataset, session_id: str, history: list[str], watch: pd.Series) -> tuple[list[Finding], list[str]]:
    """Every rule whose inputs the dataset has: (findings, codes not checked)."""
    found: list[Finding | None] = []
    skipped: list[str] = []
    room = inputs.room_sessions(ds, session_id)

    value = None if pd.isna(watch["value"]) else float(watch["value"])
    if value is None:
        skipped.append("short_stay")
    found.append(short_stay(value, inputs._opt(watch["bench_p50"]), inputs._opt(watch["median"])))

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
        conversion = inputs.room_cart_conversion(ds, session_id)
        found.append(cart_drop(*inputs.cart_inputs(conversion, session_id, history)))
    else:
        skipped.append("cart_drop")

    ref = inputs.refund_inputs(ds, session_id, room)
    if ref is None:
        skipped.append("refunds")
    else:
        found.append(refunds(*ref))
    return [f for f in found if f is not None], skipped


def _run(ds: Dataset, session_id: str, basis: Basis, history_n: int) -> DiagnosisData:
    history = prior_sessions(ds.session_info, session_id)["session_id"].iloc[-history_n:].tolist()
    comp, _ = session_comparison(ds, session_id, basis=basis, history_n=history_n)
    comp_by_key = comp.set_index("key")
    watch = comp[comp["key"] == "avg_watch_seconds"].iloc[0]
    # the rules do not depend on the basis: a page changing its basis re-assembles the story only
    rule_findings, skipped = ds.remember(("diagnosis_rules", session_id, history_n),
                                         lambda: _rules(ds, session_id, history, watch))
    assessment = session_assessment(ds, session_id, basis=basis, history_n=history_n)
    money = inputs.session_money(ds, session_id)
    findings, causes = story.assemble(rule_findings, assessment, basis, len(history),
                                      gmv=inputs._opt(comp_by_key.at["gmv", "value"]), **money)
    return DiagnosisData(session_id, findings, tuple(skipped), basis=basis, n_history=len(history),
                         assessment=assessment, causes=causes)


def key_figures(data: DiagnosisData) -> dict[str, float | str | None]:
    """Counts by severity, the codes and finding ids found (ranked), metrics worse than the basis (material / within
    normal variation), the total estimated GMV impact, and each rule's severity (None = not found, "not_checked")."""
    out: dict[str, float | str | None] = {f"n_{s}": float(sum(f.severity == s for f in data.findings))
                                          for s in SEVERITY_ORDER}
    out["n_findings"] = float(len(data.findings))
    out["codes"] = ",".join(f.code for f in data.findings)
    out["ranked"] = ",".join(f.id for f in data.findings)
    out["basis"] = data.basis
    out["n_worse_material"] = float(len(data.status("worse_material")))
    out["n_worse_normal"] = float(len(data.status("worse_normal")))
    out["impact_total"] = float(sum(f.impact for f in data.findings if f.impact is not None))
    for code in CODES:
        hit = [f.severity for f in data.findings if f.code == code]
        out[f"rule_{code}"] = hit[0] if hit else ("not_checked" if code in data.not_checked else None)
    return out
