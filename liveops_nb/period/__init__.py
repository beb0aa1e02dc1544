"""The period review (日/周/月复盘): a day, week, month or quarter across rooms — results against goals, the GMV
bridge, cases, recurring problems, time slots, hosts and rooms, product structure, channel mix, next-period plan.

Data in, results out (no widgets, no HTML, no language): every registered number comes from ``ds.kpis``;
shares, gaps, attainment and the bridge's arithmetic from :mod:`liveops_nb.measures`. Modules:

* :mod:`.periods` — period labels (``2026-10-12``, ``2026-W41``, ``2026-10``, ``2026-Q4``), their neighbours;
* :mod:`.frames` — the scope (period + rooms) and KPIs of several periods in one query;
* :mod:`.targets` — ``targets.csv`` (``room_id,period,metric,target``), forecast and gap;
* :mod:`.goals`, :mod:`.bridge`, :mod:`.cases`, :mod:`.slots`, :mod:`.compare`, :mod:`.structure`, :mod:`.plan`
  — the sections;
* :mod:`.weeks` — the analyst's week helpers (``resolve_week``, ``ranking``, ``traffic_mix``, ``pick_session``).

>>> from liveops_nb import period
>>> week = period.resolve_week(ds, "")             # the latest week with sessions (devtools/tiny.py)
>>> week
Timestamp('2026-09-07 00:00:00')
>>> period.ranking(ds, "gpm", week=week)[["rank", "room_id", "gpm"]]
   rank room_id       gpm
0     1      R1  120000.0
>>> period.parse("2026-W37").start, period.parse("2026-W37").previous.label
(Timestamp('2026-09-07 00:00:00'), '2026-W36')
"""
from __future__ import annotations

from ..errors import BridgeInputError, PeriodError, TargetsFileError
from .bridge import gmv_bridge
from .frames import Scope, period_kpis
from .periods import GRAINS, Period, check_rooms, parse, periods_with_sessions, resolve
from .targets import read_targets
from .weeks import MIX_KEYS, pick_session, ranking, resolve_week, traffic_mix

__all__ = ["GRAINS", "MIX_KEYS", "BridgeInputError", "Period", "PeriodError", "Scope", "TargetsFileError",
           "check_rooms", "gmv_bridge", "parse", "period_kpis", "periods_with_sessions", "pick_session", "ranking",
           "read_targets", "resolve", "resolve_week", "traffic_mix"]
