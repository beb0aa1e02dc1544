"""The live monitor in a real browser: the simulator replays the planted outage session into a temporary data
folder while the page (Voila) refreshes itself — the curve grows and the outage alert appears, highlighted.

Screenshots of every section in both languages: ``reports/screenshots/live/<lang>-<n>-<section>.png``
(``reports/`` is not committed). No request may leave 127.0.0.1 (the ``page`` fixture checks).
"""
from __future__ import annotations

import re
import threading

import pandas as pd
import pytest

from devtools.voila import free_port, start_voila, stop_voila
from liveops_nb.live import simulator

from .conftest import CACHE, CHART, ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MONITOR = "/voila/render/05-live-monitor.ipynb"
SHOTS = ROOT / "reports" / "screenshots" / "live"
SECTIONS = ("now", "alerts", "curve", "run_sheet")
BEFORE = 6  # the page opens this many broadcast minutes before the outage
GROWN = ("n => { const m = document.querySelector('.lo-live-now').innerText.match(/已播 (\\d+) 分钟/);"
         " return m !== null && Number(m[1]) >= n; }")


@pytest.fixture()
def live_feed(demo_dir, planted, tmp_path):
    """The demo copied without the outage session's results; its feed written up to BEFORE minutes before the outage."""
    outage = planted["phenomena"]["outage"]
    rep = simulator.prepare(demo_dir, outage["session_id"], tmp_path / "live")
    first = pd.Timestamp(rep.minutes.minute.iloc[0])
    skip = int((pd.Timestamp(outage["start"]) - first) / pd.Timedelta(minutes=1)) - BEFORE
    simulator.replay(rep, 60.0, skip=skip, limit=0)
    return rep, skip, pd.Timestamp(outage["start"])


@pytest.fixture()
def live_url(live_feed):
    CACHE.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc, url = start_voila(live_feed[0].into, CACHE / f"voila-live-{port}.log", port=port)
    yield url
    stop_voila(proc)


def _minutes_in(page) -> int:
    text = page.inner_text(".lo-live-now")
    found = re.search(r"已播 (\d+) 分钟|(\d+) min in", text)
    assert found, text
    return int(found.group(1) or found.group(2))


def _outage_alerts(page, start: pd.Timestamp) -> list[str]:
    """Alerts whose run starts within 2 minutes of the planted outage's start (the issue's detection bound)."""
    times = {f"{start + pd.Timedelta(minutes=k):%H:%M}" for k in range(3)}
    texts = page.locator(".lo-alert").all_inner_texts()
    return [x for x in texts if any(f"{t}–" in x for t in times)]


def _screenshots(page, lang: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".widget-vbox:has(> .lo-lang-toggle)").screenshot(path=str(SHOTS / f"{lang}-0-header.png"))
    for i, name in enumerate(SECTIONS, 1):
        page.locator(f".lo-live-{name}").screenshot(path=str(SHOTS / f"{lang}-{i}-{name}.png"))
    page.screenshot(path=str(SHOTS / f"{lang}-page.png"), full_page=True)


def test_the_curve_grows_and_the_outage_alert_appears(page, live_feed, live_url):
    rep, skip, start = live_feed
    open_page(page, f"{live_url}{MONITOR}", f".lo-live-curve {CHART}", timeout_ms=300_000)
    for name in SECTIONS:
        page.wait_for_selector(f".lo-live-{name} .jp-OutputArea-output", state="attached")
    assert _minutes_in(page) == skip
    assert "直播中" in page.inner_text(".lo-live-now")
    assert not _outage_alerts(page, start)
    drawn = page.inner_html(".lo-live-curve .vega-embed")

    # the broadcast goes on: 16 minutes at one broadcast minute a second, across the outage
    replay = threading.Thread(target=simulator.replay, args=(rep, 60.0), kwargs={"skip": skip, "limit": 16})
    replay.start()
    try:
        page.wait_for_selector(".lo-alert-new", timeout=180_000)  # a new alert, highlighted
        page.wait_for_function(GROWN, arg=skip + 12, timeout=180_000)  # past the outage's end
    finally:
        replay.join()
    assert _minutes_in(page) > skip  # the page read the new minutes by itself
    # and re-drew the curve (the chart widget's spec is replaced; Vega re-draws it in place)
    page.wait_for_function("h => document.querySelector('.lo-live-curve .vega-embed').innerHTML !== h", arg=drawn,
                           timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.lo-alert').length > 0")
    found = _outage_alerts(page, start)
    assert found, page.locator(".lo-alert").all_inner_texts()
    assert page.locator(".lo-alert-new").count() >= 1
    page.wait_for_timeout(1500)  # let the charts finish drawing before the pictures
    _screenshots(page, "zh")

    page.locator(".lo-lang-toggle button", has_text="English").click()
    page.wait_for_function("document.querySelector('.lo-live-now').innerText.includes('Online now')", timeout=60_000)
    assert "LIVE" in page.inner_text(".lo-live-now") or "ENDED" in page.inner_text(".lo-live-now")
    assert _outage_alerts(page, start)  # the same alerts, in English
    # areas re-render one per turn of the kernel's event loop: the alert list follows the KPI cards
    page.wait_for_function("document.querySelector('.lo-live-alerts').innerText.includes('Online viewers')",
                           timeout=60_000)
    page.wait_for_timeout(1500)
    _screenshots(page, "en")
