"""Alerts as small frames for other pages: a session's alerts for the review timeline, counts for the period review."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from .evaluation import Alert, evaluate
from .rules import Rules, load_rules

if TYPE_CHECKING:
    from ..dataset import Dataset

TIMELINE_COLUMNS = ["start", "end", "fired_at", "rule_id", "metric", "severity", "code", "product_id", "value",
                    "threshold", "alert_id"]
SEVERITIES = ("high", "medium", "low")


def alerts_frame(alerts: Iterable[Alert]) -> pd.DataFrame:
    """Alerts as rows (:data:`TIMELINE_COLUMNS`), by start; an alert still running has ``end`` NaT."""
    rows = [{"start": a.start, "end": a.end if a.end is not None else pd.NaT, "fired_at": a.fired_at,
             "rule_id": a.rule_id, "metric": a.metric, "severity": a.severity, "code": a.code,
             "product_id": a.product_id, "value": a.value, "threshold": a.threshold, "alert_id": a.id}
            for a in alerts]
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    return out.sort_values(["start", "rule_id"], kind="stable").reset_index(drop=True) if len(out) else out


def session_alerts(ds: Dataset, session_id: str, rules: Rules | None = None) -> pd.DataFrame:
    """One session's post-hoc alerts as a small frame for the review timeline (bands from start to end).

    Words for ``code`` / ``severity``: :mod:`liveops_nb.render.alerts` (``alert_text`` takes the :class:`Alert`;
    :func:`liveops_nb.render.alerts.severity_label` and ``metric_label`` the frame's columns).
    """
    return alerts_frame(evaluate(ds, session_id, rules))


def alert_counts(ds: Dataset, session_ids: Iterable[str] | None = None, rules: Rules | None = None) -> pd.DataFrame:
    """Post-hoc alerts per session by severity (for the period review): session_id, high, medium, low, total."""
    rules = rules if rules is not None else load_rules(ds.path)
    ids = list(ds.session_info["session_id"]) if session_ids is None else list(session_ids)
    rows = []
    for sid in ids:
        found = evaluate(ds, sid, rules)
        row = {"session_id": sid, **{s: sum(a.severity == s for a in found) for s in SEVERITIES}}
        row["total"] = len(found)
        rows.append(row)
    return pd.DataFrame(rows, columns=["session_id", *SEVERITIES, "total"])


def codes_by_session(ds: Dataset, session_ids: Iterable[str], rules: Rules | None = None) -> dict[str, list[str]]:
    """The rule ids of each session's post-hoc alerts, as problem codes for the period review's recurring problems.

    ``(ds, session_ids) -> {session_id: [rule id, …]}`` (one entry per alert; a rule that fired twice is listed
    twice). Words: ``alerts_code_<rule id>`` in :mod:`liveops_nb.render.alerts` for the shipped rules.
    """
    rules = rules if rules is not None else load_rules(ds.path)
    return {sid: [a.rule_id for a in evaluate(ds, sid, rules)] for sid in session_ids}

