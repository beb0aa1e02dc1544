"""The analyst starter notebook in real JupyterLab: every cell run through the UI, a chart renders offline.

JupyterLab runs on 127.0.0.1 with a token, on a scratch copy of ``notebooks/10-analyst-starter.ipynb``
(as ``make lab`` does: autosave writes into the copy, never into the template), with its update check and
news feed off. Chromium aborts and records every request that leaves 127.0.0.1 (the ``page`` fixture);
the chart is the one ``import liveops_nb`` made render with the bundled Vega (no CDN).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtools.voila import free_port, stop_voila, wait_for_server

from .conftest import CHART, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
STARTER = ROOT / "notebooks" / "10-analyst-starter.ipynb"
SHOTS = ROOT / "reports" / "screenshots"
IN_NOTEBOOK = ", ".join(f".jp-NotebookPanel {c.strip()}" for c in CHART.split(","))
"""A rendered Vega chart (SVG or canvas) in an output of the notebook."""


@pytest.fixture(scope="module")
def lab(demo_dir, tmp_path_factory):
    """JupyterLab on a scratch copy of the starter notebook; yields (url, token, folder)."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(STARTER, folder / STARTER.name)
    port, token = free_port(), secrets.token_hex(16)
    log = folder / "jupyterlab.log"
    env = dict(os.environ, LIVEOPS_DATA=str(demo_dir), JUPYTER_PATH=str(ROOT / "share" / "jupyter"))
    root = ["--allow-root"] if os.geteuid() == 0 else []
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyter"), "lab", "--ip=127.0.0.1", f"--port={port}", "--no-browser",
             f"--ServerApp.token={token}", f"--notebook-dir={folder}", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *root],
            cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for_server(proc, url, log, timeout=120)
    yield url, token, folder
    stop_voila(proc)


def test_starter_notebook_runs_in_jupyterlab_and_renders_a_chart_offline(page, lab):
    url, token, folder = lab
    page.goto(f"{url}/lab/tree/{STARTER.name}?token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=180_000)
    # the kernel is up (status bar "… | Idle"): before that, Run All Cells is not offered yet
    page.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=300_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()  # Run ▸ Run All Cells, as a user does
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_selector(IN_NOTEBOOK, state="attached", timeout=600_000)
    # every code cell ran: saved to disk, every code cell has an execution count and no error output (the DOM
    # cannot tell: JupyterLab 4 detaches cells outside the viewport, so their prompts are not in the page)
    deadline = time.monotonic() + 600
    while True:
        page.keyboard.press("Control+s")
        page.wait_for_timeout(2000)
        cells = [c for c in json.loads((folder / STARTER.name).read_text(encoding="utf-8"))["cells"]
                 if c["cell_type"] == "code"]
        if cells and all(c.get("execution_count") for c in cells):
            break
        assert time.monotonic() < deadline, [c.get("execution_count") for c in cells]
    failed = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not failed, failed
    text = page.inner_text(".jp-NotebookPanel")
    assert "Traceback" not in text and "Error loading script" not in text
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    assert not [e for e in errors if "Error" in e], errors
    chart = page.locator(IN_NOTEBOOK).first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50  # drawn, not an empty placeholder
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "jupyterlab-analyst-starter.png"))
    assert (folder / STARTER.name).exists()  # the scratch copy (the template in notebooks/ is untouched)
