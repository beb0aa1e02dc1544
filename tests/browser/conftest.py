"""Real-browser harness: a Voila server on 127.0.0.1 and headless Debian Chromium driven by Playwright.

Every page fixture records requests; a request to any host other than
127.0.0.1/localhost is aborted and fails the test. Server and browser set-up
are shared with the benchmarks (:mod:`devtools.voila`, :mod:`devtools.browser`).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from devtools import ROOT
from devtools.browser import CHART, CHROMIUM, launch, local_context
from devtools.voila import free_port, start_voila, stop_voila

CACHE = ROOT / "tests" / ".cache"

__all__ = ["CHART", "ROOT", "open_page"]


@pytest.fixture(scope="session")
def voila_url(demo_dir: Path):
    """Voila started like `make voila` does, on the demo dataset; its log is tests/.cache/voila-<port>.log."""
    CACHE.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc, url = start_voila(demo_dir, CACHE / f"voila-{port}.log", port=port)
    yield url
    stop_voila(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make system-deps` (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh page that aborts and records every request leaving 127.0.0.1."""
    external: list[str] = []
    context = local_context(browser, external)
    pg = context.new_page()
    pg.set_default_timeout(180_000)  # a cold Voila page executes the whole notebook; CI machines are slow
    yield pg
    context.close()
    assert not external, f"requests left 127.0.0.1: {external}"


def open_page(page, url: str, selector: str = CHART, timeout_ms: int = 120_000) -> None:
    """Open a Voila page and wait for ``selector`` — once: a page that never finishes rendering fails the test.

    (Pages used to stall on an idle kernel about half the time when their areas were filled by
    output capture; see ``liveops_nb/pages/outputs.py``. No reload hides that any more.)
    """
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, timeout=timeout_ms)
