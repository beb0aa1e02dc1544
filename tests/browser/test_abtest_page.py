"""The A/B test page in a real headless Chromium against Voila on 127.0.0.1 (no request may leave it)."""
from __future__ import annotations

import pytest

from .conftest import CHART, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
AB = "/voila/render/02-ab-test.ipynb"
RESULTS = ".lo-abtest-results"


def _wait_changed(page, selector: str, before: str) -> str:
    page.wait_for_function(
        "([s, b]) => { const e = document.querySelector(s); return e && e.innerText.length > 0 && e.innerText !== b; }",
        arg=[selector, before], timeout=90_000)
    return page.inner_text(selector)


def test_ab_page_renders_and_switches_treatment(page, voila_url, planted):
    open_page(page, f"{voila_url}{AB}?experiment=EXP-CREATIVE", CHART)
    page.wait_for_selector(f"{RESULTS} table")
    before = page.inner_text(RESULTS)
    assert "素材30s" in before and "素材60s" in before  # 3 arms: both treatments against 15s
    assert "曝光-观看率" in page.inner_text(".lo-abtest-verdict")
    page.locator(".lo-abtest-pick-treatments select").select_option(label=["素材60s"])  # arms by their label
    after = _wait_changed(page, RESULTS, before)
    assert "素材60s" in after and "素材30s" not in after


def test_ab_page_switches_experiment(page, voila_url):
    open_page(page, f"{voila_url}{AB}?experiment=EXP-COUPON", f"{RESULTS} table")
    before = page.inner_text(".lo-abtest-card")
    assert "EXP-COUPON" in before
    select = page.locator(".lo-abtest-pick-experiment select")
    labels = select.locator("option").all_inner_texts()
    select.select_option(index=next(i for i, x in enumerate(labels) if x.startswith("EXP-SCRIPT")))
    after = _wait_changed(page, ".lo-abtest-card", before)
    assert "EXP-SCRIPT" in after
    page.wait_for_function("() => document.querySelector('.lo-abtest-results').innerText.includes('话术B')",
                           timeout=90_000)
    shown = page.inner_text(RESULTS)  # the session test of one room (R02): both arms with their sample sizes
    assert "话术A（对照）" in shown and "样本量" in shown


def test_unknown_experiment_shows_message_and_picker(page, voila_url):
    open_page(page, f"{voila_url}{AB}?experiment=NO-SUCH-EXP", ".lo-abtest-pick-experiment select")
    body = page.inner_text("body")
    assert "找不到实验" in body and "NO-SUCH-EXP" in body and "Traceback" not in body
    labels = page.locator(".lo-abtest-pick-experiment select option").all_inner_texts()
    assert any(x.startswith("EXP-SCRIPT") for x in labels)  # the picker offers the known experiments
