"""Headless Chromium (the Debian package) driven by Playwright, with nothing allowed to leave 127.0.0.1."""
from __future__ import annotations

import ipaddress
import shutil
import subprocess
from typing import Any
from urllib.parse import urlparse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "zh-CN"
CHART = ".vega-embed svg, .vega-embed canvas"  # a rendered Vega chart (SVG or canvas)


def launch(playwright: Any) -> Any:
    """Launch headless Chromium from a running ``sync_playwright()`` object; returns the Browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """Whether a request for ``url`` stays on this machine (loopback addresses, localhost, data: and blob: URLs)."""
    if url.startswith(("data:", "blob:")):
        return True
    host = urlparse(url).hostname or ""
    try:
        return host in LOCAL_HOSTS or ipaddress.ip_address(host).is_loopback  # 127.0.0.0/8, ::1
    except ValueError:
        return False


def local_context(browser: Any, external: list[str]) -> Any:
    """A new browser context (1280×900, zh-CN) that aborts every request leaving 127.0.0.1.

    Parameters
    ----------
    browser : a Playwright Browser (:func:`launch`).
    external : list that receives the URL of every aborted request (the caller checks it is empty).
    """
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)

    def guard(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


def chromium_version() -> str:
    """``chromium --version``, or "not installed"."""
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return "not installed"


# Records, in the page itself, when the first chart appears (ms since navigation start): pages opened at once
# in one browser are timed without a thread each. Install with ``context.add_init_script(FIRST_CHART_SCRIPT)``.
FIRST_CHART_SCRIPT = """
(() => {
  const seen = () => {
    if (window.__firstChartMs === undefined && document.querySelector(__CHART__)) {
      window.__firstChartMs = performance.now();
    }
    return window.__firstChartMs !== undefined;
  };
  const watch = () => {
    if (seen()) return;
    const obs = new MutationObserver(() => { if (seen()) obs.disconnect(); });
    obs.observe(document, {childList: true, subtree: true});
  };
  watch();
})();
""".replace("__CHART__", repr(CHART))


def first_chart_seconds(page: Any) -> float | None:
    """Seconds from the page's navigation start to its first chart (:data:`FIRST_CHART_SCRIPT`), None if none yet."""
    ms = page.evaluate("() => window.__firstChartMs")
    return None if ms is None else ms / 1000
