"""notebooks/05-live-monitor.ipynb executed by papermill (static mode): one snapshot, every section shown."""
from __future__ import annotations

from pathlib import Path

import pytest

from liveops_nb.live import simulator

from .test_simulator import FakeClock

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "05-live-monitor.ipynb"


@pytest.mark.slow
def test_static_run_shows_every_section(live_source: Path, tmp_path: Path) -> None:
    import nbformat
    import papermill as pm

    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    fake = FakeClock()
    simulator.replay(rep, 60.0, limit=3, sleep=fake.sleep, clock=fake.clock)
    params = pm.inspect_notebook(str(NOTEBOOK))
    assert {"session_id", "data_dir", "lang", "mode", "refresh_seconds"} <= set(params)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"data_dir": str(rep.into), "mode": "static", "lang": "en"},
                        progress_bar=False, cwd=str(ROOT / "notebooks"))
    nb = nbformat.read(out, as_version=4)
    shown = {c.source: "".join(str(o.get("data", {}).get("text/html", "")) + ("svg" if "image/svg+xml" in
                                                                                o.get("data", {}) else "")
                                for o in c.outputs) for c in nb.cells if c.cell_type == "code"}
    assert "LIVE" in shown['page.section("now")'] and "Online now" in shown['page.section("now")']
    assert "No alerts so far" in shown['page.section("alerts")'] or "lo-alert" in shown['page.section("alerts")']
    assert shown['page.section("curve")'].count("svg") == 2
    assert "lo-plan" in shown['page.section("run_sheet")'] or "run sheet" in shown['page.section("run_sheet")']
