"""The session review notebook really executed (papermill), and the batch runner around it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01-session-review.ipynb"
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("papermill")]


def _run(tmp_path: Path, **params) -> tuple[dict, str]:
    import nbformat
    import papermill as pm

    out = tmp_path / "out.ipynb"
    figs = tmp_path / "figures.json"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent),
                        parameters={"key_figures_path": str(figs), **params})
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(str(o.get("data", {}).get(mime, "")) for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) for mime in ("text/html", "image/svg+xml"))
    return json.loads(figs.read_text(encoding="utf-8")), text


def test_notebook_is_thin_and_clean():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3" and "language_info" in nb.metadata
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and nb.cells[0] is params[0]
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.get("outputs"), "commit notebooks without outputs"
            assert "def " not in c.source and "class " not in c.source
            if c is not params[0]:
                assert len([ln for ln in c.source.splitlines() if ln.strip() and not ln.startswith("#")]) <= 2


def test_demo_session_static_run(tmp_path, demo_dir, planted):
    sid = planted["phenomena"]["outage"]["session_id"]
    figs, html = _run(tmp_path, session_id=sid, data_dir=str(demo_dir), mode="static", lang="zh")
    # GMV worked out independently of the engine: the session's paid order amounts, summed in pandas
    orders = pd.read_parquet(demo_dir / "orders.parquet")
    assert figs["kpis"]["gmv"] == pytest.approx(orders.loc[orders.session_id == sid, "amount"].sum())
    assert figs["section_errors"] == []
    assert figs["diagnosis"]["rule_incident"] == "high"  # the planted outage is found
    assert "<svg" in html


def test_aggregate_only_dataset_runs_in_english(tmp_path, tiny_aggregate_dir):
    data = tiny_aggregate_dir
    figs, html = _run(tmp_path, session_id="S1", data_dir=str(data), mode="static", lang="en")
    assert figs["kpis"]["gmv"] == 500  # tiny.SESSION_TOTALS, hand-counted
    assert figs["kpis"]["valid_comment_ratio"] is None
    assert "not available from this source" in html


def test_batch_with_one_broken_session(tmp_path):
    from devtools import tiny
    from liveops_nb.batch import report_dir_name, run_batch

    data = tiny.write(tmp_path / "tiny")
    out = tmp_path / "reports"
    summary = run_batch(data, "S1,S404", out, workers=2, progress=False)
    status = {o.session_id: o.status for o in summary.outcomes}
    assert status == {"S1": "ok", "S404": "failed"}
    assert "S404" in summary.failed[0].error
    report = out / report_dir_name("S1")  # a readable slug plus a short hash of the id
    assert {p.name for p in report.iterdir()} == {"review.ipynb", "review.html", "key_figures.json", "review.xlsx"}
    assert json.loads((report / "key_figures.json").read_text(encoding="utf-8"))["kpis"]["gmv"] == 500
    html = (report / "review.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml" in html  # charts embedded as SVG
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html), \
        "static report must not load anything from the network"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{report_dir_name("S1")}/review.html"' in index and "S404" in index and "失败" in index
    assert not list(out.glob(".tmp-*")), "no half-written report is left behind"
    # a rerun skips finished sessions and retries the failed one
    again = run_batch(data, "S1,S404", out, workers=1, progress=False)
    assert {o.session_id: o.status for o in again.outcomes} == {"S1": "skipped", "S404": "failed"}


def test_papermill_cli_on_the_notebook(tmp_path, tiny_dir):
    import subprocess
    import sys

    out = tmp_path / "cli.ipynb"
    cmd = [str(Path(sys.executable).parent / "papermill"), str(NOTEBOOK), str(out), "-p", "session_id", "S2",
           "-p", "data_dir", str(tiny_dir), "-p", "mode", "static", "-k", "python3", "--cwd", str(NOTEBOOK.parent)]
    subprocess.run(cmd, check=True, capture_output=True)
    assert out.exists()


def test_kernel_pool_reuses_one_kernel_with_a_clean_namespace(tmp_path):
    from jupyter_client.blocking import BlockingKernelClient

    from liveops_nb.batch import KernelPool

    def run(km, code: str) -> dict:
        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            return kc.execute_interactive(code, timeout=60, user_expressions={"r": "repr(globals().get('x'))"},
                                          output_hook=lambda _m: None)["content"]
        finally:
            kc.stop_channels()

    pool = KernelPool(cwd=tmp_path, recycle_after=2)
    try:
        km = pool.acquire()
        assert run(km, "x = 41")["user_expressions"]["r"]["data"]["text/plain"] == "'41'"
        assert pool.acquire() is km  # the same warm kernel for this worker ...
        reply = run(km, "pass")
        assert reply["user_expressions"]["r"]["data"]["text/plain"] == "'None'"  # ... with a reset namespace
        assert pool.acquire() is not km  # recycled after `recycle_after` sessions
    finally:
        pool.close()


def test_batch_after_a_failed_session_continues_in_a_fresh_kernel(tmp_path):
    from devtools import tiny
    from liveops_nb.batch import report_dir_name, run_batch

    data = tiny.write(tmp_path / "tiny")
    summary = run_batch(data, "S1,S404,S2", tmp_path / "reports", workers=1, progress=False)
    assert {o.session_id: o.status for o in summary.outcomes} == {"S1": "ok", "S404": "failed", "S2": "ok"}
    figures = json.loads((tmp_path / "reports" / report_dir_name("S2") / "key_figures.json").read_text(encoding="utf-8"))
    assert figures["session_id"] == "S2" and figures["kpis"]["gmv"] == 100  # tiny.SESSION_TOTALS, hand-counted
