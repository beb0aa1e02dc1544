"""The session review and landing pages in a real headless Chromium against Voila on 127.0.0.1."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import CHART, ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
REVIEW = "/voila/render/01-session-review.ipynb"


def _card_values(page) -> list[str]:
    return page.locator(".lo-section-results .lo-card .val").all_inner_texts()


def test_landing_lists_sessions(page, voila_url, demo_ds):
    open_page(page, voila_url + "/voila/render/00-sessions.ipynb", ".lo-sessions tbody tr")
    rows = page.locator(".lo-sessions tbody tr").count()
    assert rows == len(demo_ds.session_info)
    assert "打开复盘" in page.inner_text(".lo-sessions")


def test_review_renders_and_switches_session(page, voila_url, demo_ds):
    open_page(page, voila_url + REVIEW, CHART)
    log = ROOT / "tests" / ".cache" / f"voila-{urlparse(voila_url).port}.log"
    assert "Using pre-heated kernel" in log.read_text(encoding="utf-8")  # voila.json's pool served this page
    page.wait_for_selector(".lo-section-timeline .vega-embed")  # the last chart section above has rendered
    page.wait_for_selector(".lo-section-next_steps .jp-OutputArea-output", state="attached")  # all nine sections
    assert "成交金额" in page.inner_text(".lo-section-results")  # Chinese labels render
    select = page.locator(".lo-session-picker select")
    current = demo_ds.session_info.session_id.iloc[-1]  # the page opens on the latest session
    before = _card_values(page)
    other = demo_ds.session_info[demo_ds.session_info.room_id != demo_ds.session(current).room_id].iloc[-1]
    texts = select.evaluate("s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' '))")
    label = [o for o in texts if other.room_name in o and f"{other.start_time:%Y-%m-%d %H:%M}" in o]
    select.select_option(index=texts.index(label[0]))
    want = demo_ds.session_kpis(other.session_id).set_index("key").at["uv", "value"]
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('.lo-section-results .lo-card .val')].some(e => e.innerText === want)",
        arg=f"{int(want):,}")
    assert _card_values(page) != before
    assert other.room_name in page.inner_text("body")


def test_query_selects_known_session(page, voila_url, planted, demo_ds):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    open_page(page, f"{voila_url}{REVIEW}?session={sid}", ".lo-section-results .lo-card")
    s = demo_ds.session(sid)
    assert f"{s.start_time:%Y-%m-%d %H:%M}" in page.inner_text("body")
    chosen = page.locator(".lo-session-picker select").evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")
    assert f"{s.start_time:%Y-%m-%d %H:%M}" in chosen and s.room_name in chosen


def test_query_with_unknown_session_shows_message_and_picker(page, voila_url):
    open_page(page, f"{voila_url}{REVIEW}?session=NO-SUCH-SESSION", ".lo-session-picker select")
    body = page.inner_text("body")
    assert "找不到场次" in body and "NO-SUCH-SESSION" in body
    assert "Traceback" not in body
