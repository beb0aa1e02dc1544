"""The live monitor's analyses: a live session's growing feed, its typical curve, its run sheet, the simulator.

* :mod:`.feed` — the growing files of a live session (``<data>/live/<session>/``), read incrementally;
* :mod:`.curve` — the room's typical curve (median and band of past sessions at each broadcast minute);
* :mod:`.runsheet` — the run sheet (planned pitches) against what actually happened (late, skipped);
* :mod:`.snapshot` — the live session's KPIs, curves and run sheet at one refresh (through ``ds.kpis``);
* :mod:`.simulator` — replays a recorded session into a data folder in scaled real time.

Data in, results out: no widgets, no HTML, no language.
"""
from __future__ import annotations

from .curve import against_typical, broadcast_minute, past_sessions, typical_curve
from .feed import FEED_TABLES, GrowingTable, LiveFeed, feed_dir, feed_sessions, read_status
from .runsheet import STATUSES, compare_run_sheet, status_counts
from .snapshot import CURVE_KPIS, LIVE_KPIS, LiveHistory, LiveSnapshot, live_dataset, take_snapshot

__all__ = ["CURVE_KPIS", "FEED_TABLES", "LIVE_KPIS", "STATUSES", "GrowingTable", "LiveFeed", "LiveHistory",
           "LiveSnapshot", "against_typical", "broadcast_minute", "compare_run_sheet", "feed_dir", "feed_sessions",
           "live_dataset", "past_sessions", "read_status", "status_counts", "take_snapshot", "typical_curve"]
