"""The session review's new parts in a real browser (issue 10 item 5), each section screenshotted in zh and en.

Screenshots (test artefacts, ``reports/`` is not committed): ``reports/screenshots/review_sections/<lang>-<n>-<section>.png``
and the export area after its download link was made.
"""
from __future__ import annotations

import base64

import pytest

from liveops_nb.pages import sections

from .conftest import ROOT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
REVIEW = "/voila/render/01-session-review.ipynb"
SHOTS = ROOT / "reports" / "screenshots" / "review_sections"
DRAWN = "document.querySelectorAll('.vega-embed svg, .vega-embed canvas').length"


def _shoot(page, lang: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(sections.REVIEW, 1):
        page.locator(f".lo-section-{name}").screenshot(path=str(SHOTS / f"{lang}-{i}-{name}.png"))


def _widest_chart(page, section: str) -> float:
    return page.evaluate(f"""() => Math.max(0, ...[...document.querySelectorAll('.lo-section-{section} .vega-embed')]
                              .map(e => e.getBoundingClientRect().width))""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_sections_in_both_languages(page, voila_url, planted, lang):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    open_page(page, f"{voila_url}{REVIEW}?session={sid}&lang={lang}", ".lo-section-results .lo-card",
              timeout_ms=240_000)
    for name in sections.REVIEW:
        page.wait_for_selector(f".lo-section-{name} .jp-OutputArea-output", state="attached")
    page.wait_for_selector(".lo-section-audience .vega-embed")
    page.wait_for_timeout(1500)  # let every chart draw
    audience = page.inner_text(".lo-section-audience")
    traffic = page.inner_text(".lo-section-traffic")
    if lang == "zh":
        assert "观众 vs 买家画像" in audience and "买家占比" in audience and "年龄段" in audience
        assert "每分钟进入人数" in traffic
    else:
        assert "Viewers vs buyers" in audience and "Share of buyers" in audience and "Age band" in audience
        assert "People entering per minute" in traffic
    # charts follow the page: wider than the old fixed 680 px on a 1280 px window
    assert _widest_chart(page, "traffic") > 800 and _widest_chart(page, "audience") > 800
    _shoot(page, lang)
    # the Excel export: a button that builds the shown session's workbook as a download
    button = page.locator(".lo-export button")
    button.click()
    link = page.locator(".lo-export a[download]")
    link.wait_for(timeout=120_000)
    href = link.get_attribute("href")
    assert href.startswith("data:application/vnd.openxmlformats") and link.get_attribute("download").endswith(".xlsx")
    assert base64.b64decode(href.split("base64,", 1)[1])[:2] == b"PK"  # an xlsx is a zip file
    page.locator(".lo-export").screenshot(path=str(SHOTS / f"{lang}-10-export.png"))
    assert "Traceback" not in page.inner_text("body")
