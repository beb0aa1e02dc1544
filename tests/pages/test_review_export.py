"""The review page's Excel export (复盘表): written beside the static report, offered as a download in Voila."""
from __future__ import annotations

import base64
import io

import openpyxl


def test_static_export_writes_the_workbook_and_links_it(tiny_dir, tmp_path, capsys):
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="zh", mode="static")
    path = tmp_path / "review.xlsx"
    page.export(str(path))
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 9 and wb["1 阶段成果"]["A1"].value == "下播复盘表 · 小美彩妆 · 2026-09-07 20:00"
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically: no temporary file left
    page.export("")  # no path: nothing written, nothing raised


def test_interactive_export_offers_a_download_of_the_session_shown(tiny_dir):
    from liveops_nb.pages.review_page import ReviewPage

    page = ReviewPage("S1", str(tiny_dir), lang="en")
    page.export()
    assert page._export_link.value == ""
    page._export_button.click()
    html = page._export_link.value
    assert 'download="review-小美彩妆-20260907-2000.xlsx"' in html and "Download the review (Excel)" in html
    data = html.split("base64,", 1)[1].split('"', 1)[0]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data)))
    assert wb.sheetnames[0] == "1 Results"
    page.select("S2")
    assert page._export_link.value == ""  # a link for S1 no longer fits
