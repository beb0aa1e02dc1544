"""The run sheet (planned pitch schedule, table ``run_sheet``) against the pitches that actually happened.

Matching: for every product, its planned slots (by planned start) are paired in order with its actual
pitches (by start) — the first plan with the first pitch, the second with the second. A slot's
``status`` at time ``now``:

* ``on_time`` / ``late`` / ``early`` — pitched; started within ``tolerance`` of the planned start,
  more than ``tolerance`` after it, or more than ``tolerance`` before it (``delay_min`` says by how much);
* ``skipped`` — not pitched and its planned end has passed (or the session has ended);
* ``overdue`` — not pitched, planned start more than ``tolerance`` ago, planned end still ahead;
* ``upcoming`` — not pitched, planned start not yet (or within ``tolerance``) reached.

Actual pitches without a planned slot are listed with status ``unplanned``. ``running`` is True for
a pitch that has started and not ended by ``now`` (its ``actual_end`` is missing or later).
"""
from __future__ import annotations

import pandas as pd

STATUSES = ("on_time", "late", "early", "skipped", "overdue", "upcoming", "unplanned")
TOLERANCE = pd.Timedelta(minutes=2)
COLUMNS = ["product_id", "planned_start", "planned_end", "actual_start", "actual_end", "delay_min", "status",
           "running"]


def compare_run_sheet(plan: pd.DataFrame, actual: pd.DataFrame, now: pd.Timestamp, *, ended: bool = False,
                      tolerance: pd.Timedelta = TOLERANCE) -> pd.DataFrame:
    """Each planned slot with the pitch that filled it (if any) and its status at ``now``.

    Parameters
    ----------
    plan : ``product_id``, ``planned_start``, ``planned_end`` (one session's run sheet).
    actual : ``product_id``, ``start``, ``end`` (the session's pitches so far; ``end`` missing while running).
    now : the time the comparison is made (the end of the last minute the feed has).
    ended : the session is over (every slot without a pitch is ``skipped``).
    tolerance : how far from the planned start a pitch still counts as on time.

    Returns
    -------
    DataFrame with :data:`COLUMNS`, planned slots by planned start, then unplanned pitches by start.
    ``delay_min`` is (actual start − planned start) in minutes, missing for slots without a pitch and for
    unplanned pitches.
    """
    now = pd.Timestamp(now)
    plan = plan.sort_values(["planned_start", "product_id"]).reset_index(drop=True)
    act = actual.sort_values(["start", "product_id"]).reset_index(drop=True)
    plan = plan.assign(_k=plan.groupby("product_id").cumcount())
    act = act.assign(_k=act.groupby("product_id").cumcount())
    m = plan.merge(act[["product_id", "_k", "start", "end"]], on=["product_id", "_k"], how="outer", indicator=True)
    m = m.rename(columns={"start": "actual_start", "end": "actual_end"})
    delay = m.actual_start - m.planned_start
    m["delay_min"] = delay.dt.total_seconds() / 60.0
    pitched = m.actual_start.notna()
    status = pd.Series("upcoming", index=m.index, dtype=object)
    status[pitched & (delay > tolerance)] = "late"
    status[pitched & (delay < -tolerance)] = "early"
    status[pitched & (delay.abs() <= tolerance)] = "on_time"
    waiting = ~pitched & m.planned_start.notna()
    status[waiting & (now > m.planned_start + tolerance)] = "overdue"
    status[waiting & ((now >= m.planned_end) | ended)] = "skipped"
    status[m["_merge"] == "right_only"] = "unplanned"
    m["status"] = status
    m["running"] = pitched & (m.actual_end.isna() | (m.actual_end > now)) & ~ended
    m["_u"] = m["_merge"] == "right_only"
    m = m.sort_values(["_u", "planned_start", "actual_start", "product_id"], na_position="last")
    return m[COLUMNS].reset_index(drop=True)


def status_counts(compared: pd.DataFrame) -> dict[str, int]:
    """How many slots have each status (every status of :data:`STATUSES`, 0 when none)."""
    counts = compared.status.value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}
