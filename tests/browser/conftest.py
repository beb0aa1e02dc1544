"""Real-browser harness: a Voila server on 127.0.0.1 and headless Debian Chromium driven by Playwright.

Every page fixture records requests; a request to any host other than
127.0.0.1/localhost is aborted and fails the test.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(data_dir: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start Voila like `make voila` does and wait until it answers."""
    port = port or _free_port()
    env = dict(os.environ, LIVEOPS_DATA=str(data_dir), JUPYTER_PATH=str(ROOT / "share" / "jupyter"))
    log = open(ROOT / "tests" / ".cache" / f"voila-{port}.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "voila"), "notebooks/", f"--port={port}", "--no-browser"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}; see {log.name}")
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("voila did not start within 60 s")


@pytest.fixture(scope="session")
def voila_url(demo_dir: Path):
    (ROOT / "tests" / ".cache").mkdir(parents=True, exist_ok=True)
    proc, url = start_voila(demo_dir)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make system-deps` (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh page that aborts and records every request leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    external: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(180_000)  # a cold Voila page executes the whole notebook; CI machines are slow
    yield pg
    context.close()
    assert not external, f"requests left 127.0.0.1: {external}"


CHART = ".vega-embed svg, .vega-embed canvas"


def open_page(page, url: str, selector: str = CHART, timeout_ms: int = 120_000) -> None:
    """Open a Voila page and wait for ``selector`` — once: a page that never finishes rendering fails the test.

    (Pages used to stall on an idle kernel about half the time when their areas were filled by
    output capture; see ``liveops_nb/pages/outputs.py``. No reload hides that any more.)
    """
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, timeout=timeout_ms)
