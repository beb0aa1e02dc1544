"""The period review page in a real headless Chromium against Voila on 127.0.0.1: period and room changed with the
pickers, in 中文 and English, with screenshots under ``reports/screenshots/period/``.

The server reads a two-room copy of devtools/tiny.py (S2 moved to a second room R2), so every number is
hand-known: R1's S1 on Mon 2026-09-07 sold ¥500, R2's S2 on Tue 2026-09-08 sold ¥100, the week ¥600.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from devtools import tiny
from devtools.voila import free_port, start_voila, stop_voila

from .conftest import ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PAGE = "/voila/render/04-period-review.ipynb"
SHOTS = ROOT / "reports" / "screenshots" / "period"
RESULTS = ".lo-period-results"
OPEN_MS = 600_000  # Voila shows the page once the whole notebook ran (nine sections, the session diagnoses)


def two_rooms(folder: Path) -> Path:
    """devtools/tiny.py with S2 in a second room R2 (阿杰数码, same category)."""
    t = tiny.tables()
    rooms = pd.concat([t["rooms"], pd.DataFrame({"room_id": ["R2"], "room_name": ["阿杰数码"], "platform": ["douyin"],
                                                  "category": ["彩妆"], "host": ["阿杰"]})], ignore_index=True)
    sessions = t["sessions"].assign(room_id=["R1", "R2"], host=["小美", "阿杰"])
    return tiny.write(folder, overrides={"rooms": rooms, "sessions": sessions})


@pytest.fixture(scope="module")
def period_url(tmp_path_factory):
    data = two_rooms(tmp_path_factory.mktemp("period-browser") / "two-rooms")
    cache = ROOT / "tests" / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc, url = start_voila(data, cache / f"voila-period-{port}.log", port=port)
    yield url
    stop_voila(proc)


def _wait_text(page, selector: str, text: str, timeout: int = 180_000) -> None:
    page.wait_for_function("([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }",
                           arg=[selector, text], timeout=timeout)


def _choose(page, css: str, label: str) -> None:
    """Pick the option whose text is ``label`` in the ipywidgets select inside ``css``."""
    select = page.locator(f"{css} select")
    texts = select.evaluate("s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' ').trim())")
    select.select_option(index=texts.index(label))


def test_period_and_room_change_in_chinese(page, period_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    open_page(page, f"{period_url}{PAGE}?period=2026-W37&lang=zh", f"{RESULTS} .lo-table", timeout_ms=OPEN_MS)
    _wait_text(page, RESULTS, "本期 GMV ¥600")
    _wait_text(page, ".lo-period-cases", "打开单场复盘")
    links = page.locator(".lo-period-cases a.lo-case-link").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert links == ["01-session-review.ipynb?session=S1&lang=zh", "01-session-review.ipynb?session=S2&lang=zh"]
    page.screenshot(path=str(SHOTS / "zh-week.png"), full_page=True)
    _choose(page, ".lo-period-grain", "日")  # the latest day: Tue 09-08, R2's ¥100
    _wait_text(page, ".lo-period-header", "2026-09-08")
    _wait_text(page, RESULTS, "本期 GMV ¥100")
    _choose(page, ".lo-period-pick", "2026-09-07")
    _wait_text(page, RESULTS, "本期 GMV ¥500")
    page.screenshot(path=str(SHOTS / "zh-day.png"), full_page=True)
    page.locator(".lo-period-rooms select").select_option(label=["阿杰数码"])  # R2: no session that day, its latest day
    _wait_text(page, ".lo-period-header", "阿杰数码")
    _wait_text(page, RESULTS, "本期 GMV ¥100")
    assert "Traceback" not in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "zh-day-room.png"), full_page=True)


def test_period_and_room_change_in_english(page, period_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    open_page(page, f"{period_url}{PAGE}?period=2026-09-07&rooms=R1&lang=en", f"{RESULTS} .lo-table", timeout_ms=OPEN_MS)
    _wait_text(page, RESULTS, "GMV ¥500 this period")
    _wait_text(page, ".lo-period-header", "2026-09-07 (2026-09-07 – 2026-09-07) · 小美彩妆 · 1 sessions")
    page.screenshot(path=str(SHOTS / "en-day-room.png"), full_page=True)
    _choose(page, ".lo-period-grain", "Week")
    _wait_text(page, ".lo-period-header", "2026-W37")
    _wait_text(page, RESULTS, "GMV ¥500 this period")  # R1 only
    page.locator(".lo-period-rooms select").select_option(label=["小美彩妆", "阿杰数码"])
    _wait_text(page, RESULTS, "GMV ¥600 this period")
    _wait_text(page, ".lo-period-bridge", "Method: Shapley")
    assert "Traceback" not in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "en-week.png"), full_page=True)
