"""The notebooks and the batch index follow the registry of sections (fast: nothing is executed)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SECTION_CELL = re.compile(r'page\.section\("(\w+)"\)')


def _cells(name: str) -> list:
    import nbformat

    return nbformat.read(NOTEBOOKS / name, as_version=4).cells


def test_review_notebook_shows_the_registry_sections_in_order_under_their_titles():
    from liveops_nb.pages import sections

    cells = _cells("01-session-review.ipynb")
    shown = [(i, m.group(1)) for i, c in enumerate(cells) if (m := SECTION_CELL.fullmatch(c.source.strip()))]
    assert [name for _, name in shown] == list(sections.REVIEW)
    for n, (i, name) in enumerate(shown, start=1):
        zh, en = sections.get(name).title
        assert cells[i - 1].cell_type == "markdown" and cells[i - 1].source == f"## {n}. {zh} · {en}"


def test_landing_notebook_is_a_thin_page_like_the_others():
    cells = _cells("00-sessions.ipynb")
    code = [c.source for c in cells if c.cell_type == "code"][1:]  # after the parameters cell
    assert code == ["from liveops_nb.pages.landing import LandingPage\n"
                    "page = LandingPage(data_dir=data_dir, lang=lang)", "page.controls()", 'page.section("trend")',
                    'page.section("sessions")']
    assert all(not c.get("outputs") for c in cells if c.cell_type == "code")


def test_batch_index_names_failed_sections_by_their_titles(tmp_path):
    from liveops_nb.batch import BatchSummary, SessionOutcome, write_index

    sessions = pd.DataFrame({"session_id": ["S1"], "room_name": ["R"], "start_time": [pd.Timestamp("2026-09-07 20:00")],
                             "gmv": [500.0]})
    summary = BatchSummary(tmp_path, [SessionOutcome("S1", "ok", section_errors=["funnel", "no_such_section"])])
    index = write_index(summary, sessions, lang="en").read_text(encoding="utf-8")
    assert "sections with errors: Conversion funnel, no_such_section" in index
    index = write_index(summary, sessions, lang="zh").read_text(encoding="utf-8")
    assert "部分章节出错: 转化漏斗, no_such_section" in index
