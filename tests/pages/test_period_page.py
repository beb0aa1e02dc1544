"""liveops_nb.pages.period_page: parameters and URL, pickers, sections in both languages, exports (tiny)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtools import tiny


@pytest.fixture(scope="module")
def period_dir(tmp_path_factory) -> Path:
    """One tiny folder for the module: the pages share its opened dataset (and what it computed)."""
    return tiny.write(tmp_path_factory.mktemp("period") / "tiny")


@pytest.fixture(scope="module")
def static_pages(period_dir):
    """The week of 2026-09-07 as a static page in each language, every section built."""
    from liveops_nb.pages import app
    from liveops_nb.pages import period_sections as ps
    from liveops_nb.pages.period_page import PeriodPage

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(app, "_QUERY", None)
        mp.delenv("QUERY_STRING", raising=False)
        mp.delenv("VOILA_PREHEAT", raising=False)
        pages = {lang: PeriodPage("2026-W37", data_dir=str(period_dir), lang=lang, mode="static") for lang in ("zh", "en")}
    for page in pages.values():
        for name in ps.PERIOD:
            page.items(name)
    return pages


def _html(page, name: str) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in page.outputs[name].outputs)


def test_url_sets_period_granularity_rooms_and_language(fresh_query, monkeypatch, period_dir):
    from liveops_nb.pages.period_page import PeriodPage

    monkeypatch.setenv("QUERY_STRING", "period=2026-09-07&rooms=R1&lang=en")
    page = PeriodPage("2026-W37", granularity="week", data_dir=str(period_dir), lang="zh")
    assert (page.period, page.options.granularity, page.options.rooms, page.lang) == ("2026-09-07", "day", ("R1",), "en")


def test_unknown_period_warns_interactive_and_fails_static(fresh_query, period_dir):
    from liveops_nb.errors import PeriodError
    from liveops_nb.pages.period_page import PeriodPage

    page = PeriodPage("2026-W40", data_dir=str(period_dir), lang="en")
    assert page.period == "2026-W37" and "2026-W40" in page.message and page.error is None
    with pytest.raises(PeriodError, match="no session in 2026-W40"):
        PeriodPage("2026-W40", data_dir=str(period_dir), lang="en", mode="static")


def test_pickers_change_the_view(fresh_query, period_dir):
    from liveops_nb.pages.period_page import PeriodPage

    page = PeriodPage("", data_dir=str(period_dir), lang="en")
    page.controls()
    page.section("results")  # the other sections re-render alike (every section: test_every_section_builds)
    assert page.period == "2026-W37"
    assert "¥600" in _html(page, "results")
    assert page.period_picker.options == ("2026-W37",)
    page.grain_picker.value = "day"  # the picker's callback: the latest day
    assert page.period == "2026-09-08" and page.period_picker.options == ("2026-09-08", "2026-09-07")
    assert "¥100" in _html(page, "results")
    page.period_picker.value = "2026-09-07"
    assert page.period == "2026-09-07" and "¥500" in _html(page, "results")
    page.rooms_picker.value = ("R1",)
    assert page.options.rooms == ("R1",) and page.period == "2026-09-07"
    page.set_lang("zh")
    assert "成交金额" in _html(page, "results") or "GMV" in _html(page, "results")
    assert "本期 GMV" in _html(page, "results")


def test_every_section_builds_in_both_languages(static_pages):
    for page in static_pages.values():
        assert page.section_errors == [] and set(page.data) == set(page.save_key_figures()) - {
            "period", "granularity", "rooms", "lang", "section_errors"}


def test_case_links_open_the_session_review(static_pages):
    html = "".join(static_pages["en"].items("cases"))
    assert 'href="01-session-review.ipynb?session=S1&amp;lang=en"' in html
    assert 'href="01-session-review.ipynb?session=S2&amp;lang=en"' in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exports_are_offline_and_hold_the_page_numbers(static_pages, tmp_path, lang):
    import openpyxl

    from liveops_nb.pages import period_sections as ps
    from liveops_nb.render.period.text import TITLES

    page = static_pages[lang]
    html_file, xlsx_file = page.export(tmp_path)
    html = html_file.read_text(encoding="utf-8")
    assert html_file.name == "period-2026-W37.html"
    # no network: no script, no external stylesheet, image, font or link (SVG namespaces are names, not requests)
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", html, re.I)
    assert html.count("<svg") >= 3  # waterfall, slots heat-map, channel mix
    wb = openpyxl.load_workbook(xlsx_file)
    heads = [TITLES[n][0 if lang == "zh" else 1] for n in ps.PERIOD]
    assert wb.sheetnames == heads
    results = list(wb[heads[0]].iter_rows(values_only=True))
    gmv = next(r for r in results if r[1] in ("成交金额", "GMV") and r[0] in ("合计", "Total"))
    assert gmv[2] == "¥600" and "¥600" in html  # the same number on the page and in the workbook
    bridge = list(wb[heads[1]].iter_rows(values_only=True))
    assert bridge[-1][1:4] == (0, 600, 600)  # GMV of W36 (no session), W37, change: numbers, not text
    figures = page.save_key_figures()
    assert figures["results"]["gmv_value"] == 600 and figures["bridge"]["traffic"] == 600


def test_nothing_is_written_without_a_folder(static_pages):
    assert static_pages["zh"].export("") == []
