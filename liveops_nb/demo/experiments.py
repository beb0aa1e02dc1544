"""The demo's A/B experiments: the experiments and assignments tables and their answer key."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import text as txt
from .arrow import make_table, str_col, ts_col
from .context import Context, local_ms
from .params import ENTER, EXPERIMENT_SPECS, IMP, MS, ROOM_IDS, START_DATE


def experiment_tables(ctx: Context, exp_info: dict[str, Any], ev: pd.DataFrame, seen: np.ndarray,
                      seen_ids: np.ndarray) -> tuple[dict[str, pa.Table], dict[str, Any]]:
    """The experiments and assignments tables, and the experiments' part of ``planted.json``.

    Experiments that fit in the period get their assignments (sessions for EXP-SCRIPT,
    the viewers who entered / were shown the room for EXP-COUPON / EXP-CREATIVE);
    EXP-SCENE is always listed as planned, after the data ends, without assignments.

    Parameters
    ----------
    ctx:
        The run context.
    exp_info:
        Experiment id → session indices in its window (:func:`.planted.mark_planted`).
    ev:
        All events (int-coded).
    seen, seen_ids:
        Global indices (sorted) of the users that appear in the data and their user ids.

    Returns
    -------
    tuple
        ``{"experiments": table, "assignments": table}`` and experiment id → answer key.
    """
    ses = ctx.sessions
    rows: list[dict[str, Any]] = []
    a_exp: list[np.ndarray] = []
    a_unit: list[np.ndarray] = []
    a_var: list[np.ndarray] = []
    planted: dict[str, Any] = {}
    last_day = ctx.weeks * 7
    for eid, spec in EXPERIMENT_SPECS.items():
        if eid not in exp_info:
            continue
        w0, w1 = spec["weeks"]
        sidx = np.array(exp_info[eid], dtype=np.int64)
        name, hyp = txt.EXPERIMENT_TEXT[eid]
        rows.append(dict(experiment_id=eid, name=name, hypothesis=hyp, unit=spec["unit"], variable=spec["variable"],
                         start=local_ms(START_DATE + timedelta(days=(w0 - 1) * 7), 0),
                         end=local_ms(START_DATE + timedelta(days=w1 * 7), 0) - MS,
                         primary_metric=spec["primary_metric"], status="finished" if w1 * 7 <= last_day else "running",
                         control_variant=spec["control"], planned_split=spec["split"], room_ids=ROOM_IDS[spec["room"]]))
        if eid == "EXP-SCRIPT":
            units: list[str] | np.ndarray = [ses[i].sid for i in sidx]
            variants: list[str] | np.ndarray = [spec["variants"][ses[i].script_variant] for i in sidx]
        else:
            in_s = np.isin(ev["s"].to_numpy(), sidx)
            et_needed = ENTER if eid == "EXP-COUPON" else IMP
            u = np.unique(ev["u"].to_numpy()[in_s & (ev["et"].to_numpy() == et_needed)])
            arm = ctx.pool.coupon_grid[u].astype(int) if eid == "EXP-COUPON" else ctx.pool.creative_arm[u]
            units = seen_ids[np.searchsorted(seen, u)]
            variants = np.asarray(spec["variants"], dtype=object)[arm]
        a_exp.append(np.full(len(units), eid, dtype=object))
        a_unit.append(np.asarray(units, dtype=object))
        a_var.append(np.asarray(variants, dtype=object))
        planted[eid] = {
            "unit": spec["unit"], "room_id": ROOM_IDS[spec["room"]], "weeks": list(spec["weeks"]),
            "variable": spec["variable"], "variants": list(spec["variants"]), "control": spec["control"],
            "planned_split": spec["split"], "primary_metric": spec["primary_metric"],
            "true_effect": {"lever": spec["lever"], "multiplier": dict(spec["effect"])},
            "n_units": len(units), "session_ids": [ses[i].sid for i in sidx],
        }
    # one planned experiment, after the data ends, no assignments
    name, hyp = txt.EXPERIMENT_TEXT["EXP-SCENE"]
    rows.append(dict(experiment_id="EXP-SCENE", name=name, hypothesis=hyp, unit="session", variable="scene",
                     start=local_ms(START_DATE + timedelta(days=last_day + 7), 0),
                     end=local_ms(START_DATE + timedelta(days=last_day + 21), 0) - MS,
                     primary_metric="avg_watch_seconds", status="planned", control_variant="实景",
                     planned_split="实景:0.5,绿幕:0.5", room_ids="R02"))
    planted["EXP-SCENE"] = {"status": "planned", "n_units": 0}
    ex = pd.DataFrame(rows)
    exp_t = make_table("experiments", {
        **{c: str_col(ex[c].tolist()) for c in ("experiment_id", "name", "hypothesis", "unit", "variable",
                                               "primary_metric", "status", "control_variant", "planned_split",
                                               "room_ids")},
        "start": ts_col(ex["start"].to_numpy()), "end": ts_col(ex["end"].to_numpy()),
    })
    cat = lambda parts: pa.array(np.concatenate(parts) if parts else np.zeros(0, dtype=object), pa.string())  # noqa: E731
    asg_t = make_table("assignments", {"experiment_id": cat(a_exp), "unit_id": cat(a_unit), "variant": cat(a_var)})
    return {"experiments": exp_t, "assignments": asg_t}, planted
