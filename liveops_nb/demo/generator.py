"""The run: set up, simulate every session in start order, aggregate, build the tables, write."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import DemoParameterError, OutputExistsError
from ..schema import TABLES
from .aggregate import add_money, aggregate, concat_parts
from .experiments import experiment_tables
from .params import DEFAULT_WEEKS, DORMANT
from .phenomena import live_phenomena
from .planted import make_dormant, planted_json
from .population import setup
from .simulation import simulate
from .tables import plan_tables, session_tables, viewer_tables
from .targets import targets_csv
from .writing import occupied, write_dataset

__all__ = ["generate"]


def generate(out: str | Path, *, seed: int = 7, scale: float = 1.0, weeks: int = DEFAULT_WEEKS,
             progress: bool = False, overwrite: bool = False) -> Path:
    """Generate the demo dataset into folder ``out``.

    Parameters
    ----------
    out:
        Output folder. Created (atomically: built in a temporary folder next to
        it, then renamed). An existing non-empty folder is only replaced when
        ``overwrite=True``.
    seed:
        Seed of the NumPy generators; same seed, scale and weeks give
        byte-identical files.
    scale:
        Multiplies viewer numbers (and the viewer pool). ``1.0`` gives about
        0.9 million events; events grow linearly with ``scale``.
    weeks:
        Number of weeks from 2026-08-31 (a Monday; the default 9 cover September and
        October completely). Phenomena and experiments that do not fit in the period
        are left out (see ``planted.json``).
    progress:
        Show a tqdm progress bar over sessions.
    overwrite:
        Replace a non-empty existing ``out`` folder.

    Returns
    -------
    Path
        The output folder, holding ``<table>.parquet`` for every table in
        :data:`liveops_nb.schema.TABLES` that has rows and ``planted.json`` (a short
        run writes no ``assignments``: no experiment has started).

    Raises
    ------
    OutputExistsError
        ``out`` exists, is not empty and ``overwrite`` is false.
    DemoParameterError
        ``seed`` negative, ``scale`` not positive or ``weeks`` < 1 (a ``ValueError`` too).
    """
    out = Path(out)
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DemoParameterError(f"seed must be a non-negative integer, got {seed!r}")
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise DemoParameterError(f"scale must be a positive number, got {scale!r}")
    if not isinstance(weeks, (int, np.integer)) or weeks < 1:
        raise DemoParameterError(f"weeks must be an integer >= 1, got {weeks!r}")
    if occupied(out) and not overwrite:
        raise OutputExistsError(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tables, planted, files = build(int(seed), float(scale), int(weeks), progress)
    write_dataset(out, tables, planted, overwrite=overwrite, files=files)
    return out


def build(seed: int, scale: float, weeks: int,
          progress: bool = False) -> tuple[dict[str, pa.Table], dict[str, Any], dict[str, str]]:
    """All tables, the answer key and the other files, in memory.

    Returns
    -------
    tuple
        Table name → Arrow table (in :data:`liveops_nb.schema.TABLES` order; tables
        without rows are left out), the ``planted.json`` content and the other files
        (``targets.csv``: name → text).
    """
    ctx, exp_info = setup(seed, scale, weeks)
    ses = ctx.sessions
    parts: dict[str, list[dict[str, np.ndarray]]] = {"events": [], "orders": [], "comments": [], "pitches": [],
                                                     "run_sheet": [], "inventory": []}
    dormant_ids = np.zeros(0, dtype=np.int64)
    n_cohort = 0
    cohort_done = False
    dormant_day = DORMANT["last_active_week"] * 7  # first day after the last active week
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(ses), desc="sessions", unit="session")
    for s in ses:
        if s.day == dormant_day and not cohort_done:
            cohort_done = True
            dormant_ids, n_cohort = make_dormant(ctx, parts["orders"], s.idx)
        out = simulate(s, ctx, np.random.default_rng([seed, 1, s.idx]))
        for k in parts:
            parts[k].append(out[k])
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()

    idx = [s.idx for s in ses]
    ev = concat_parts(parts["events"], idx)
    od = concat_parts(parts["orders"], idx)
    cm = concat_parts(parts["comments"], idx)
    pt = concat_parts(parts["pitches"], idx)
    agg = aggregate(ctx, ev, od)
    add_money(ctx, agg)
    tables = session_tables(ctx, agg, pt)
    rs = concat_parts(parts["run_sheet"], idx)
    inv = concat_parts(parts["inventory"], idx)
    tables.update(plan_tables(ctx, rs, inv))
    viewer, seen, seen_ids = viewer_tables(ctx, ev, od, cm)
    tables.update(viewer)
    exp_tables, exp_planted = experiment_tables(ctx, exp_info, ev, seen, seen_ids)
    tables.update(exp_tables)
    # schema order; a table without rows is left out (an empty table is not valid data: a short run has
    # no experiment running, so no assignments)
    tables = {name: tables[name] for name in TABLES if tables[name].num_rows}
    planted = planted_json(ctx, agg, exp_planted, dormant_ids, n_cohort, seen, seen_ids)
    planted["phenomena"].update(live_phenomena(ctx, agg, rs, pt))
    return tables, planted, {"targets.csv": targets_csv(ctx, ev, od)}
