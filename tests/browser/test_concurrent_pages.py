"""Several managers open the session review at once: every page renders, each from its own pre-heated kernel.

The server is the team setup (``python -m devtools.serve``, what ``make serve POOL=3`` runs) with a pool of
three pre-heated kernels; three pages are opened in real headless Chromium before any of them has rendered,
each in its own browser context (its own login cookie, like three managers' browsers). Every request is
checked to stay on 127.0.0.1. Kept to three pages so the test stays short on a 2-core CI machine; ten at
once is measured by ``benchmarks/bench_load.py``.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from devtools.browser import FIRST_CHART_SCRIPT, first_chart_seconds, local_context
from devtools.serve import start_serve
from devtools.voila import free_port, stop_voila, wait_until_heated

from .conftest import CACHE, CHART

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
REVIEW = "/voila/render/01-session-review.ipynb"
PAGES = 3
HEAT_S = 300  # seconds the pool may take to heat on a loaded 2-core machine


@pytest.fixture(scope="module")
def pool_server(demo_dir: Path):
    """``devtools.serve`` with a pool of three pre-heated review kernels, once they are heated."""
    CACHE.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_urlsafe(24)
    log = CACHE / f"serve-pool-{port}.log"
    proc, url = start_serve(demo_dir, log, token=token, port=port, timeout=120,
                            extra_args=["--archive", "off", "--pool-size", str(PAGES), "--",
                                        "--VoilaKernelManager.fill_delay=600"])  # no refill during the test
    try:
        wait_until_heated(proc, port, PAGES, HEAT_S)  # each kernel has run the notebook and waits for a page
        yield {"url": url, "token": token, "log": log}
    finally:
        stop_voila(proc)


def test_pages_opened_at_once_all_render_from_the_pool(pool_server, browser, demo_ds):
    info = demo_ds.session_info
    wanted = [info.session_id.iloc[-1], info.session_id.iloc[-2], info.session_id.iloc[len(info) // 2]]
    queries = ["", f"&session={wanted[1]}", f"&session={wanted[2]}"]  # no query: the latest session
    external: list[str] = []
    contexts, pages = [], []
    try:
        for q in queries:  # navigations start one after another, without waiting for any page to render
            ctx = local_context(browser, external)
            ctx.add_init_script(FIRST_CHART_SCRIPT)
            page = ctx.new_page()
            page.goto(f"{pool_server['url']}{REVIEW}?token={pool_server['token']}{q}", wait_until="commit")
            contexts.append(ctx)
            pages.append(page)
        for page in pages:
            page.wait_for_selector(CHART, timeout=240_000)
        seconds = [first_chart_seconds(p) for p in pages]
        assert all(s is not None and s > 0 for s in seconds), seconds
        for page, sid in zip(pages, wanted, strict=True):  # each page shows the session its URL asked for
            row = info[info.session_id == sid].iloc[0]
            shown = page.locator(".lo-session-picker select").evaluate("s => s.options[s.selectedIndex].text")
            shown = shown.replace("\u00a0", " ")
            assert f"{row.start_time:%Y-%m-%d %H:%M}" in shown and row.room_name in shown, (sid, shown)
    finally:
        for ctx in contexts:
            ctx.close()
    assert not external, f"requests left 127.0.0.1: {external}"
    log = pool_server["log"].read_text(encoding="utf-8", errors="replace")
    assert log.count("Using pre-heated kernel") >= PAGES  # none of the three waited for a kernel to start
