"""Batch period review: ``liveops batch --period 2026-W41 [--rooms R01,R02]`` executes the period review notebook once.

The report folder ``out/period-<label>[-<rooms>]/`` receives the executed notebook (``period.ipynb``), its static
HTML (``period.html``, charts as SVG), the page's own exports (``period-<label>….html`` and ``….xlsx``, one
sheet per section) and ``key_figures.json``. It is built in a private folder and moved into place with one
atomic rename (an older report of the same period is replaced), so a half-written report never appears.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..config import resolve_data_dir
from ..errors import LiveOpsError
from .folders import DONE_MARKER, OLD_PREFIX, TMP_PREFIX

PERIOD_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04-period-review.ipynb"


@dataclass
class PeriodOutcome:
    """What one period run produced: its folder, the files in it, seconds taken and sections that failed."""

    period: str
    folder: Path
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    section_errors: list[str] = field(default_factory=list)

    def text(self) -> str:
        """One line for the console."""
        errors = f"; sections with errors: {', '.join(self.section_errors)}" if self.section_errors else ""
        return f"period review {self.period} -> {self.folder} ({len(self.files)} files, {self.seconds:.0f} s){errors}"


def folder_name(period: str, rooms: str = "") -> str:
    """``period-<label>`` plus ``-<room ids joined by _>`` when rooms were chosen (characters outside letters,
    digits, ``-``, ``_`` become ``_``)."""
    ids = [r.strip() for r in rooms.split(",") if r.strip()]
    raw = f"period-{period}" + (f"-{'_'.join(ids)}" if ids else "")
    return "".join(c if (c.isalnum() or c in "-_") else "_" for c in raw)


def run_period(data_dir: str | Path, period: str, out: str | Path, *, rooms: str = "", granularity: str = "",
               lang: str = "zh", notebook: str | Path | None = None, kernel_name: str = "python3") -> PeriodOutcome:
    """Execute the period review notebook for ``period`` into ``out/<folder_name(period, rooms)>``.

    Parameters
    ----------
    data_dir : the data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    period : ``2026-10-12``, ``2026-W41``, ``2026-10`` or ``2026-Q4`` ("" = the latest week with sessions).
    out : the output folder.
    rooms : comma-separated room ids ("" = all rooms).
    granularity : day | week | month | quarter ("" = the period label's own; "week" when no period is given).
    lang, notebook, kernel_name : report language, notebook to execute, Jupyter kernel.

    Raises
    ------
    LiveOpsError
        Bad dataset, period or rooms (checked before the notebook runs), or the notebook failed.
    """
    import papermill as pm

    from ..dataset import open as open_dataset
    from ..period import check_rooms, parse, resolve
    from .run import export_html

    started = time.perf_counter()
    data = resolve_data_dir(data_dir)
    ds = open_dataset(data)  # validate once, up front: a broken dataset stops here with the full list
    grain = granularity or (parse(period).grain if period else "week")
    chosen = resolve(ds, period, grain, check_rooms(ds, rooms)).label
    nb = Path(notebook).resolve() if notebook else PERIOD_NOTEBOOK
    if not nb.exists():
        raise LiveOpsError(f"notebook {nb} not found; pass --notebook with the period review notebook")
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    name = folder_name(chosen, rooms)
    tmp = out / f"{TMP_PREFIX}{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        try:
            pm.execute_notebook(str(nb), str(tmp / "period.ipynb"), kernel_name=kernel_name, progress_bar=False,
                                cwd=str(nb.parent),
                                parameters={"period": chosen, "granularity": grain, "rooms": rooms, "data_dir": str(data),
                                            "lang": lang, "mode": "static", "validate": False,
                                            "export_dir": str(tmp), "key_figures_path": str(tmp / DONE_MARKER)})
        except Exception as err:
            ename = getattr(err, "ename", None)
            raise LiveOpsError(f"the period review of {chosen} failed: "
                               + (f"{ename}: {getattr(err, 'evalue', '')}" if ename else f"{type(err).__name__}: {err}")) from None
        export_html(tmp / "period.ipynb", tmp / "period.html")
        figures = json.loads((tmp / DONE_MARKER).read_text(encoding="utf-8"))
        final = out / name
        if final.exists():
            trash = out / f"{OLD_PREFIX}{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            os.replace(final, trash)
            shutil.rmtree(trash, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PeriodOutcome(chosen, final, sorted(p.name for p in final.iterdir()), time.perf_counter() - started,
                         list(figures.get("section_errors", [])))
