"""The segment board page on the tiny dataset: URL query, pickers, both languages, aggregate-only data,
the layer download, and the thin notebook (executed by papermill on the demo, marked slow)."""
from __future__ import annotations

import ast
import base64
import html as _html
import json
import re
from pathlib import Path

import pytest

import liveops_nb
from liveops_nb.errors import UnknownSectionError
from liveops_nb.pages.outputs import outputs_of
from liveops_nb.pages.segments_page import SegmentsPage
from liveops_nb.render.segments import TITLES
from liveops_nb.segments import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "06-segments.ipynb"
CJK = re.compile(r"[\u3400-\u9fff]")
TINY_DATA_WORDS = ("小美彩妆", "广东", "浙江", "上海", "北京", "四川", "普通", "金卡", "银卡")
"""Words from the tiny dataset itself (room, regions, member tiers): allowed in either language."""


def _text(items) -> str:
    """Everything a reader sees in ``items``: HTML without tags, and the titles and labels of charts."""
    parts = []
    for item in items:
        if isinstance(item, str):
            parts.append(_html.unescape(re.sub(r"<[^>]+>", " ", item)))
        else:
            spec = json.dumps(item.to_dict(), ensure_ascii=False)
            parts += re.findall(r'"(?:title|text)": "([^"]*)"', spec)
    return " ".join(parts)


def _page(monkeypatch, folder, query: str = "", **kw) -> SegmentsPage:
    monkeypatch.setenv("QUERY_STRING", query)
    return SegmentsPage(data_dir=str(folder), **kw)


def test_static_page_builds_every_section(tiny_dir, monkeypatch, fresh_query):
    page = _page(monkeypatch, tiny_dir, mode="static", lang="zh")
    assert page.sel is not None and str(page.sel.win.as_of.date()) == "2026-09-08"
    for name in SECTIONS:
        items = page._items(name)
        assert items and "出现意外错误" not in _text(items), name
        outputs_of(items)  # every item can be shown in a page area
    assert "RFM" in _text(page._items("layers")) and "新客" in _text(page._items("layers"))
    with pytest.raises(UnknownSectionError):
        page._build("nope")


def test_url_query_picks_day_period_room_and_language(tiny_dir, monkeypatch, fresh_query):
    page = _page(monkeypatch, tiny_dir, "asof=2026-09-07&period=month&room=R1&lang=en")
    assert page.error is None and page.lang == "en"
    w = page.sel.win
    assert (str(w.as_of.date()), w.granularity, page.sel.room) == ("2026-09-07", "month", "R1")
    header = _html.unescape(page._header_html())
    assert "小美彩妆" in header and "as of 2026-09-07" in header and "this month 2026-09-01" in header


def test_unknown_room_in_the_url_is_a_message_and_the_default_board(tiny_dir, monkeypatch, fresh_query):
    page = _page(monkeypatch, tiny_dir, "room=R9&lang=en")
    assert page.error is None and "R9" in page.message and page.sel.room == ""
    with pytest.raises(liveops_nb.LiveOpsError):
        _page(monkeypatch, tiny_dir, "room=R9", mode="static")  # a batch run fails loudly


def test_pickers_and_the_language_toggle_keep_the_selection(tiny_dir, monkeypatch, fresh_query):
    page = _page(monkeypatch, tiny_dir, "lang=en")
    page.controls()
    for name in SECTIONS:
        page.section(name)
    page.select(as_of="2026-09-07", granularity="month")
    assert str(page.sel.win.as_of.date()) == "2026-09-07" and page.sel.win.granularity == "month"
    page.set_lang("zh")
    assert page.lang == "zh" and page.sel.win.granularity == "month"
    shown = json.dumps([o for out in page.outputs.values() for o in out.outputs], ensure_ascii=False)
    assert "首购月份" in shown and "截至 2026-09-07" in page._header_html()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_speaks_one_language(tiny_dir, monkeypatch, fresh_query, lang):
    from tests.pages.test_languages import ALLOWED_LATIN

    page = _page(monkeypatch, tiny_dir, f"lang={lang}", mode="static")
    text = " ".join(_text(page._items(n)) for n in SECTIONS) + _text(page._header_items())
    for word in TINY_DATA_WORDS:
        text = text.replace(word, " ")
    if lang == "en":
        assert not CJK.findall(text)
    else:
        latin = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text)) - ALLOWED_LATIN
        assert not latin, latin
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # no keys, codes or column names
    assert not re.search(r"\.(yaml|csv|parquet)\b", text)


def test_layer_download_link_holds_the_layer_csv(tiny_dir, monkeypatch, fresh_query):
    (tiny_dir / "segments.yaml").write_text("new_days: 1\nat_risk_days: 1\ndormant_days: 2\n"
                                            "high_value: {min_frequency: 1, min_monetary_value: 100}\n",
                                            encoding="utf-8")
    page = _page(monkeypatch, tiny_dir, "asof=2026-09-08", mode="static")
    html = "".join(i for i in page._items("layers") if isinstance(i, str))
    links = dict(re.findall(r'download="segment-(\w+)-2026-09-08\.csv" href="data:text/csv;charset=utf-8;base64,'
                            r'([A-Za-z0-9+/=]+)"', html))
    assert set(links) == {"high_value", "at_risk"}  # only layers with buyers
    csv = base64.b64decode(links["high_value"])
    assert csv.startswith(b"\xef\xbb\xbf") and b"\nu1,high_value," in csv
    path = page.export_layer("at_risk", tiny_dir.parent / "risk.csv")
    assert path.read_text(encoding="utf-8-sig").splitlines()[1].startswith("u4,at_risk,")


def test_aggregate_only_data_is_not_available(tiny_aggregate_dir, monkeypatch, fresh_query):
    page = _page(monkeypatch, tiny_aggregate_dir, "lang=en", mode="static")
    for name in SECTIONS:
        text = _text(page._items(name))
        if name == "retention":
            assert "not available from this source" in text
        else:
            assert text.strip().endswith("not available from this source (needs the viewer-level table “Viewer events”)")


# ---------------------------------------------------------------- the notebook
def test_notebook_is_thin_and_follows_the_sections():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert cells[0]["metadata"].get("tags") == ["parameters"]
    for stmt in ast.parse("".join(cells[0]["source"])).body:
        assert isinstance(stmt, ast.Assign)
        ast.literal_eval(stmt.value)
    for c in cells:
        if c["cell_type"] == "code":
            assert not c.get("outputs") and c.get("execution_count") is None
            tree = ast.parse("".join(c["source"]))
            assert not any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef)) for n in ast.walk(tree))
            assert len(tree.body) <= 2 or c is cells[0]
    called = re.findall(r'page\.section\("(\w+)"\)', "".join("".join(c["source"]) for c in cells))
    assert called == list(SECTIONS)
    headings = [c["source"][0] for c in cells if c["cell_type"] == "markdown" and c["source"][0].startswith("## ")]
    assert headings == [f"## {i}. {zh} · {en}" for i, (zh, en) in enumerate((TITLES[n] for n in SECTIONS), 1)]


@pytest.mark.slow
@pytest.mark.parametrize("granularity,lang", [("week", "zh"), ("month", "en")])
def test_notebook_runs_in_papermill_on_the_demo(demo_dir, tmp_path, granularity, lang):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"data_dir": str(demo_dir), "mode": "static",
                                                             "granularity": granularity, "lang": lang,
                                                             "validate": False},
                        kernel_name="python3", progress_bar=False, cwd=str(ROOT / "notebooks"))
    nb = json.loads(out.read_text(encoding="utf-8"))
    shown = json.dumps([o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])],
                       ensure_ascii=False)
    assert "Traceback" not in shown and '"output_type": "error"' not in shown
    assert shown.count("image/svg+xml") >= 5  # layers, cohorts, returning shares, tiers, retention as SVG
    words = {"zh": ("用户分层看板", "沉睡", "首购月份留存", "私域会员"),
             "en": ("User-segment board", "Dormant", "Retention by first-purchase month", "Private-domain members")}
    for word in words[lang]:
        assert word in shown
