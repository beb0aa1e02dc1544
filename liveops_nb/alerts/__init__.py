"""Data monitoring (数据监测): alert rules, anomaly and change detection, the alert log and webhooks.

Public API:

* :func:`load_rules` (the data folder's ``alert_rules.yaml``, else the defaults) -> :class:`Rules`;
* :func:`evaluate` — one session's alerts, post-hoc or live (``upto``); :func:`evaluate_frame` — the same on a
  minute frame without data access (the live monitor);
* :func:`change_points` and :func:`robust_z` — the detectors;
* :class:`Alert` — language-neutral (``code`` + ``params``; words in :mod:`liveops_nb.render.alerts`).

An analysis module: data in, results out; no widgets, no HTML, no language.
"""
from __future__ import annotations

from .detect import DetectionInputError, change_points, robust_z
from .evaluate import Alert, evaluate, evaluate_frame, room_baselines
from .rules import EXTRA_METRICS, Baseline, Rule, Rules, Threshold, Webhook, load_rules, parse_rules

__all__ = ["EXTRA_METRICS", "Alert", "Baseline", "DetectionInputError", "Rule", "Rules", "Threshold", "Webhook",
           "change_points", "evaluate", "evaluate_frame", "load_rules", "parse_rules", "robust_z", "room_baselines"]
