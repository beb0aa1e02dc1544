"""Data monitoring (数据监测): alert rules, anomaly and change detection, the alert log and webhooks.

Public API:

* :func:`load_rules` (the data folder's ``alert_rules.yaml``, else the defaults) -> :class:`Rules`;
* :func:`evaluate` — one session's alerts, post-hoc or live (``upto``); :func:`evaluate_frame` — the same on a
  minute frame without data access (the live monitor);
* :func:`change_points` and :func:`robust_z` — the detectors;
* :func:`session_alerts` (the review timeline's frame) and :func:`alert_counts` (per session, for the period review);
* :mod:`.log` (the append-only alert log) and :mod:`.webhook` (group-bot messages);
* :class:`Alert` — language-neutral (``code`` + ``params``; words in :mod:`liveops_nb.render.alerts`).

An analysis module: data in, results out; no widgets, no HTML, no language.
"""
from __future__ import annotations

from .detect import DetectionInputError, change_points, robust_z
from .evaluation import Alert, evaluate, evaluate_frame, room_baselines
from .frames import alert_counts, alerts_frame, codes_by_session, session_alerts
from .rules import EXTRA_METRICS, Baseline, Rule, Rules, Threshold, Webhook, load_rules, parse_rules

__all__ = ["EXTRA_METRICS", "Alert", "Baseline", "DetectionInputError", "Rule", "Rules", "Threshold", "Webhook",
           "alert_counts", "alerts_frame", "change_points", "codes_by_session", "evaluate", "evaluate_frame",
           "load_rules", "parse_rules", "robust_z", "room_baselines", "session_alerts"]
