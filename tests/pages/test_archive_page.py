"""The A/B archive browser: a one-section page on the base class that opens no dataset."""
from __future__ import annotations

import pytest

from liveops_nb.abtest import archive as ar
from liveops_nb.pages.archive_page import ArchiveBrowser
from liveops_nb.pages.base import Page


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    """A folder holding two archived verdicts and no dataset."""
    monkeypatch.delenv("QUERY_STRING", raising=False)
    for rid, eid, variable, decision in (("r1", "EXP-SCRIPT", "script", "ship"), ("r2", "EXP-COUPON", "coupon", "iterate")):
        ar.save_record(tmp_path, {"record_id": rid, "archived_at": "2026-10-01T08:00:00+00:00", "decision": decision,
                                  "experiment_id": eid, "variable": variable, "room_ids": ["R02"],
                                  "results": [{"metric": "gmv", "treatment": "B", "effect_rel": 0.2}]})
    return str(tmp_path)


def html_of(page: ArchiveBrowser) -> str:
    return "".join(o["data"].get("text/html", "") for o in page.outputs["table"].outputs)


def test_the_archive_is_a_page_without_a_dataset(folder):
    page = ArchiveBrowser(data_dir=folder, lang="en")
    assert isinstance(page, Page) and page.error is None and page.ds is None
    page.controls()
    page.section("table")
    html = html_of(page)
    assert "EXP-SCRIPT" in html and "EXP-COUPON" in html and 'download="ab-archive.csv"' in html
    page.set_filter("variable", "coupon")  # a filter re-renders the table in place
    assert "EXP-COUPON" in html_of(page) and "EXP-SCRIPT" not in html_of(page)
    page.set_filter("variable", "")
    assert html_of(page) == html


def test_an_empty_archive_and_an_unknown_section(tmp_path, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    page = ArchiveBrowser(data_dir=str(tmp_path), lang="en", mode="static")
    assert "no archived verdicts" in "".join(page._items("table"))
    assert "no_such" in "".join(page._items("no_such"))  # the registry's error, shown
