"""The landing page in a real headless Chromium against Voila on 127.0.0.1, in 中文 and English:
per-room trend with sparklines, sorting, filtering, totals, links to the reviews, a short page."""
from __future__ import annotations

import re

import pytest

from liveops_nb.metrics import REGISTRY

from .conftest import ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
LANDING = "/voila/render/00-sessions.ipynb"
SHOTS = ROOT / "reports" / "screenshots"
WORDS = {"zh": {"open": "打开复盘", "none": "不分组（分页）", "total": "合计"},
         "en": {"open": "open review", "none": "none (pages)", "total": "Total"}}


def _money(text: str) -> float:
    """¥1,234 / ¥12.34 / ¥1.2万 as a number."""
    m = re.search(r"¥([\d,.]+)(万?)", text)
    assert m, text
    return float(m.group(1).replace(",", "")) * (1e4 if m.group(2) else 1)


def _gmv_column(page) -> list[float]:
    cells = page.locator(".lo-landing-sessions .lo-sessions tbody tr td:nth-child(4)").all_inner_texts()
    return [_money(c) for c in cells]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_landing_sorts_filters_and_shows_sparklines(page, voila_url, demo_ds, lang):
    words = WORDS[lang]
    query = "?lang=en" if lang == "en" else ""
    open_page(page, f"{voila_url}{LANDING}{query}", ".lo-trend svg.lo-spark polyline", timeout_ms=300_000)
    rooms = demo_ds.session_info.drop_duplicates("room_id")
    assert page.locator(".lo-trend tbody tr").count() == len(rooms)  # one trend row per room
    assert page.locator(".lo-trend svg.lo-spark").count() == len(rooms) + 1  # and the total's
    assert words["total"] in page.inner_text(".lo-trend tfoot")
    for name in rooms.room_name:
        assert name in page.inner_text(".lo-trend")
    page.wait_for_selector(".lo-landing-sessions details[open] .lo-sessions tbody tr")
    assert page.locator(".lo-landing-sessions details").count() >= 2  # grouped by week, older weeks folded
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 6000, height  # was ~12,700 px: one 336-row table
    link = page.locator(".lo-landing-sessions details[open] a", has_text=words["open"]).first.get_attribute("href")
    assert link.startswith("01-session-review.ipynb?session=") and (("lang=en" in link) == (lang == "en"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"landing-{lang}.png"))
    page.locator(".lo-landing-trend").screenshot(path=str(SHOTS / f"landing-trend-{lang}.png"))
    page.locator(".lo-landing-sessions").screenshot(path=str(SHOTS / f"landing-sessions-{lang}.png"))

    # sort by GMV, high to low, one list in pages
    page.locator(".lo-landing-pick-group button", has_text=words["none"]).click()
    page.wait_for_selector(".lo-landing-sessions .lo-landing-next", state="attached")
    page.locator(".lo-landing-pick-sort select").select_option(label=REGISTRY["gmv"].label(lang))
    page.wait_for_function("(l) => [...document.querySelectorAll('.lo-landing-sessions th.lo-sorted')]"
                           ".some(e => e.innerText.startsWith(l))", arg=REGISTRY["gmv"].label(lang))
    gmv = _gmv_column(page)
    assert len(gmv) == 25 and gmv == sorted(gmv, reverse=True) and len(set(gmv)) > 1
    assert max(gmv) == pytest.approx(float(demo_ds.sessions(["gmv"]).gmv.max()), abs=1.0)  # the best session first
    page.locator(".lo-landing-sessions").screenshot(path=str(SHOTS / f"landing-sorted-sessions-{lang}.png"))

    # filter one room: every row and the trend show that room only
    room = rooms.iloc[-1]
    page.locator(".lo-landing-pick-room select").select_option(label=str(room.room_name))
    page.wait_for_function("(n) => document.querySelectorAll('.lo-trend tbody tr').length === 1", arg=1)
    page.wait_for_function(  # the session table re-renders after the trend (one area per turn)
        "(name) => { const c = [...document.querySelectorAll('.lo-landing-sessions .lo-sessions tbody tr td:nth-child(2)')];"
        " return c.length > 0 && c.every(e => e.innerText === name); }", arg=str(room.room_name))
    shown = page.locator(".lo-landing-sessions .lo-sessions tbody tr td:nth-child(2)").all_inner_texts()
    assert shown and set(shown) == {room.room_name}
    n = int((demo_ds.session_info.room_id == room.room_id).sum())
    assert re.search(rf"\b{n}\b", page.inner_text(".lo-landing-sessions .lo-note"))  # "…筛选后 n 场" / "n match"
    page.locator(".lo-landing-trend").screenshot(path=str(SHOTS / f"landing-filtered-trend-{lang}.png"))
    page.locator(".lo-landing-sessions").screenshot(path=str(SHOTS / f"landing-filtered-sessions-{lang}.png"))
