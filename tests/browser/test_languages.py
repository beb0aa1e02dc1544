"""The session review in a real browser in both languages: ?lang=en, then the 中文 toggle, same session.

Each section is screenshotted in each language as a test artefact:
``reports/screenshots/languages/<lang>-<n>-<section>.png`` (``reports/`` is not committed).
"""
from __future__ import annotations

import re

import pytest

from liveops_nb.pages import sections

from .conftest import ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
REVIEW = "/voila/render/01-session-review.ipynb"
SHOTS = ROOT / "reports" / "screenshots" / "languages"
CJK = re.compile(r"[\u4e00-\u9fff]")
DRAWN = "document.querySelectorAll('.vega-embed svg, .vega-embed canvas').length"


def _all_sections_shown(page) -> None:
    for name in sections.REVIEW:
        page.wait_for_selector(f".lo-section-{name} .jp-OutputArea-output", state="attached")


def _screenshots(page, lang: str) -> list[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".widget-vbox:has(> .lo-lang-toggle)").screenshot(path=str(SHOTS / f"{lang}-0-header.png"))
    saved = []
    for i, name in enumerate(sections.REVIEW, 1):
        path = SHOTS / f"{lang}-{i}-{name}.png"
        page.locator(f".lo-section-{name}").screenshot(path=str(path))
        saved.append(path.name)
    page.screenshot(path=str(SHOTS / f"{lang}-page.png"), full_page=True)
    return saved


def _chosen(page) -> str:
    return page.locator(".lo-session-picker select").evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")


def test_review_in_english_then_chinese_keeps_the_session(page, voila_url, planted, demo_ds):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    s = demo_ds.session(sid)
    # a pre-heated kernel finishes its warm-up step, then builds every section of this session in English
    open_page(page, f"{voila_url}{REVIEW}?session={sid}&lang=en", ".lo-section-results .lo-card", timeout_ms=240_000)
    _all_sections_shown(page)
    header = page.inner_text(".lo-header")
    assert "Compare with" in header and "对比基准" not in header  # the pickers speak English
    assert f"{s.start_time:%Y-%m-%d %H:%M}" in _chosen(page)
    results = page.inner_text(".lo-section-results")
    assert "Against" in results and "GMV" in results and not CJK.search(results)  # cards: English labels only
    assert "Viewers (UV)" in page.inner_text(".lo-section-traffic")  # table headings in English
    page.wait_for_timeout(1000)  # let the charts finish drawing before the pictures
    charts = page.evaluate(DRAWN)
    english = _screenshots(page, "en")

    page.locator(".lo-lang-toggle button", has_text="中文").click()
    page.wait_for_function("() => document.querySelector('.lo-header').innerText.includes('对比基准')")
    page.wait_for_function(  # the last section re-rendered in Chinese too
        "() => /[\\u4e00-\\u9fff]/.test(document.querySelector('.lo-section-next_steps').innerText)"
        " && document.querySelector('.lo-section-results').innerText.includes('对比')")
    _all_sections_shown(page)
    page.wait_for_function(f"() => {DRAWN} >= {charts}")  # every chart drawn again, in Chinese
    page.wait_for_timeout(1000)
    assert f"{s.start_time:%Y-%m-%d %H:%M}" in _chosen(page) and s.room_name in _chosen(page)  # the same session
    assert "成交金额" in page.inner_text(".lo-section-results") and "Against" not in page.inner_text(".lo-section-results")
    assert "观看人数" in page.inner_text(".lo-section-traffic")
    chinese = _screenshots(page, "zh")
    assert len(english) == len(chinese) == len(sections.REVIEW)
    assert "Traceback" not in page.inner_text("body")
