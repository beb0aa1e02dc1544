"""The verdict of an experiment as language-neutral findings: a code, a tone and the numbers.

Rules: a failed SRM check (p < 0.001) withholds every verdict; a significant result gives the
direction, the relative effect, its interval and p; a non-significant one gives which changes
the test could have detected (the MDE at the achieved sample size) -- never that the change does
nothing. :mod:`liveops_nb.render.abtest` turns findings into 中文 or English sentences.

Finding codes and their ``params``:

* ``srm_mismatch`` (and ``srm_ok``, the SRM section's line) -- ``counts``, ``weights``, ``p_value``, ``threshold``;
* ``no_units`` -- nothing assigned yet;
* ``metric_unavailable`` -- ``reason`` (the error saying why the metric cannot be tested);
* ``test_failed`` -- ``reason`` (why this comparison could not be computed);
* ``significant`` / ``not_significant`` / ``not_significant_no_mde`` -- ``effect``, ``ci_low``,
  ``ci_high`` (relative, of the decision test), ``p_value`` (corrected, of the same test: for a
  session test decided on the regression both come from that fit), ``alpha``, ``adjusted``
  (the session regression decided), ``adjustment_terms`` (the terms that regression used, codes of
  :data:`~liveops_nb.abtest.adjustment.TERMS` such as ``["room_id", "slot"]``; empty: variant only;
  ``None`` when the regression did not decide), ``correction`` ("holm"/"bh" with several
  treatments, else None), ``direction`` (the metric's better direction); not significant adds
  ``mde`` and ``power``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from liveops_nb.abtest.analysis import Analysis, Comparison
from liveops_nb.abtest.multiple import AdjustMethod
from liveops_nb.abtest.srm import SrmCheck
from liveops_nb.metrics import get as get_metric

Tone = Literal["good", "bad", "info", "warn", "na"]
FindingCode = Literal["srm_ok", "srm_mismatch", "no_units", "metric_unavailable", "test_failed", "significant",
                      "not_significant", "not_significant_no_mde"]


@dataclass(frozen=True)
class Finding:
    """One verdict line without words: ``kind`` is its tone (note colour), ``code`` what it says."""

    kind: Tone
    code: FindingCode
    metric: str | None = None
    treatment: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


def srm_finding(srm: SrmCheck) -> Finding:
    """The SRM check as a finding (``bad`` when it fails, ``good`` otherwise)."""
    return Finding("good" if srm.ok else "bad", "srm_ok" if srm.ok else "srm_mismatch",
                   params={"counts": dict(srm.counts), "weights": dict(srm.weights), "p_value": srm.p_value,
                           "threshold": srm.threshold})


def comparison_finding(c: Comparison, correction: AdjustMethod = "holm", n_treatments: int = 1,
                       power: float = 0.8) -> Finding:
    """The finding for one treatment-vs-control comparison (module docstring)."""
    if c.rel is None:
        return Finding("na", "test_failed", c.metric, c.treatment, {"reason": c.error})
    rel, lo, hi = c.decision
    direction = get_metric(c.metric).direction
    params: dict[str, Any] = dict(effect=rel, ci_low=lo, ci_high=hi, p_value=c.p_adjusted, alpha=c.rel.alpha,
                                  adjusted=c.adjusted is not None,
                                  adjustment_terms=list(c.adjusted.terms) if c.adjusted is not None else None,
                                  correction=correction if n_treatments > 1 else None, direction=direction)
    if c.significant:
        better = (rel > 0) == (direction != "lower")
        kind: Tone = "info" if direction == "neutral" else ("good" if better else "bad")
        return Finding(kind, "significant", c.metric, c.treatment, params)
    if c.mde is None or not math.isfinite(c.mde):
        return Finding("warn", "not_significant_no_mde", c.metric, c.treatment, params)
    return Finding("warn", "not_significant", c.metric, c.treatment, {**params, "mde": c.mde, "power": power})


def findings(a: Analysis, metric: str | None = None) -> list[Finding]:
    """Findings for ``metric`` (default: the first analysed metric); only the SRM block if SRM fails."""
    if not a.has_units:
        return [Finding("na", "no_units")]
    if not a.srm.ok:
        return [srm_finding(a.srm)]
    key = metric or (a.metrics[0] if a.metrics else None)
    if key in a.errors:
        return [Finding("na", "metric_unavailable", key, params={"reason": a.errors[key]})]
    return [comparison_finding(c, a.options.correction, len(a.treatments), a.options.power)
            for c in a.comparisons if c.metric == key]
