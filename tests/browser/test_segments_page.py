"""The segment board in a real headless Chromium against Voila (no request may leave 127.0.0.1): opened in
English, switched to month, then to 中文 with the toggle; every section is screenshotted in each language as
a test artefact: ``reports/screenshots/segments/<lang>-<n>-<section>.png`` (``reports/`` is not committed).

The demo is being changed by another helper: only structure is asserted here, never its numbers.
"""
from __future__ import annotations

import re

import pytest

from liveops_nb.segments import SECTIONS

from .conftest import ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SEG = "/voila/render/06-segments.ipynb"
SHOTS = ROOT / "reports" / "screenshots" / "segments"
CJK = re.compile(r"[\u4e00-\u9fff]")
DRAWN = "document.querySelectorAll('.vega-embed svg, .vega-embed canvas').length"


def _all_sections_shown(page) -> None:
    for name in SECTIONS:
        page.wait_for_selector(f".lo-seg-{name} .jp-OutputArea-output", state="attached")


def _screenshots(page, lang: str) -> list[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".widget-vbox:has(> .lo-lang-toggle)").screenshot(path=str(SHOTS / f"{lang}-0-header.png"))
    saved = []
    for i, name in enumerate(SECTIONS, 1):
        path = SHOTS / f"{lang}-{i}-{name}.png"
        page.locator(f".lo-seg-{name}").screenshot(path=str(path))
        saved.append(path.name)
    page.screenshot(path=str(SHOTS / f"{lang}-page.png"), full_page=True)
    return saved


def test_segment_board_in_english_then_month_then_chinese(page, voila_url):
    open_page(page, f"{voila_url}{SEG}?lang=en&period=week", ".lo-seg-layers table", timeout_ms=240_000)
    _all_sections_shown(page)
    header = page.inner_text(".lo-header")
    assert "User-segment board" in header and "As of" in header and "this week" in header
    layers = page.inner_text(".lo-seg-layers")
    for word in ("New", "Active", "High-value", "At risk", "Dormant", "Suggested action", "Download user ids (CSV)"):
        assert word in layers
    assert not CJK.search(layers)
    href = page.locator(".lo-seg-download").first.get_attribute("href")
    assert href.startswith("data:text/csv;charset=utf-8;base64,77u/")  # base64 of the UTF-8 BOM
    page.wait_for_function(f"() => {DRAWN} >= 5")  # layers, cohorts, returning shares, tiers, retention
    page.wait_for_timeout(1000)
    english = _screenshots(page, "en")

    page.locator(".lo-seg-pick-period select").select_option(label="Month")
    page.wait_for_function("() => document.querySelector('.lo-header').innerText.includes('this month')")
    page.wait_for_function("() => document.querySelector('.lo-seg-spending').innerText.includes(\"This month's buyers\")")

    page.locator(".lo-lang-toggle button", has_text="中文").click()
    page.wait_for_function("() => document.querySelector('.lo-header').innerText.includes('截至')")
    page.wait_for_function("() => document.querySelector('.lo-seg-retention').innerText.includes('本月')")
    _all_sections_shown(page)
    page.wait_for_function(f"() => {DRAWN} >= 5")
    page.wait_for_timeout(1000)
    layers = page.inner_text(".lo-seg-layers")
    assert "沉睡" in layers and "建议动作" in layers and "Dormant" not in layers
    assert "本月" in page.inner_text(".lo-header")  # the month chosen in English is kept
    chinese = _screenshots(page, "zh")
    assert len(english) == len(chinese) == len(SECTIONS)
    assert "Traceback" not in page.inner_text("body")
