"""The review as an Excel workbook (复盘表): opened with openpyxl and checked against the page's numbers.

Tiny dataset (devtools/tiny.py), session S1: channels 千川 (paid) 2 viewers of 3, 3 views, ¥400, spend ¥50;
直播推荐 1 viewer, ¥100; 搜索 0. Funnel: 4 impressed → 3 entered (75 %). Member tiers of the viewers:
普通 u1 (bought), 金卡 u2, 银卡 u4 (bought).
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from liveops_nb.pages import sections
from liveops_nb.render.review import workbook as W


def _built(ds, sid: str = "S1") -> dict:
    return {name: sections.get(name).build(ds, sid, sections.ReviewOptions()) for name in sections.REVIEW}


def _table(ws, title: str) -> tuple[list, list[list]]:
    """The header and rows of the table titled ``title`` in sheet ``ws``."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    head = rows[start + 1]
    body = []
    for r in rows[start + 2:]:
        if all(v is None for v in r):
            break
        body.append(r)
    return head, body


def test_one_sheet_per_section_numbers_as_numbers(tiny_ds, tmp_path: Path):
    path = W.write_workbook(tmp_path / "review.xlsx", _built(tiny_ds), "zh", "下播复盘表")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["1 阶段成果", "2 直播过程", "3 流量来源", "4 转化漏斗", "5 商品与讲解", "6 互动与弹幕",
                             "7 观众", "8 现存问题", "9 下一步"]
    head, rows = _table(wb["3 流量来源"], "渠道")
    row = dict(zip(head, next(r for r in rows if r[0] == "千川"), strict=True))
    assert row["渠道类型"] == "付费" and row["观看人数"] == 2 and row["成交金额"] == 400 and row["投放消耗"] == 50
    assert row["人数占比"] == pytest.approx(2 / 3) and row["ROI"] == pytest.approx(8)
    assert row["千次观看成交金额"] == pytest.approx(400 / 3 * 1000)  # GPM = GMV / views × 1000
    assert row["样本少"] == "样本少"  # 2 viewers behind the channel's rates
    cell = next(c for c in wb["3 流量来源"]["D"] if c.value == pytest.approx(2 / 3))
    assert cell.number_format == "0.0%"  # a share is a fraction shown as a percentage
    head, rows = _table(wb["4 转化漏斗"], "平台漏斗")
    entered = dict(zip(head, rows[1], strict=True))
    assert entered["环节"] == "进入" and entered["人数"] == 3 and entered["环节转化"] == pytest.approx(0.75)


def test_portrait_sheet_and_english_headers(tiny_ds, tmp_path: Path):
    wb = openpyxl.load_workbook(W.write_workbook(tmp_path / "en.xlsx", _built(tiny_ds), "en"))
    assert wb.sheetnames[6] == "7 Audience"
    head, rows = _table(wb["7 Audience"], "Portrait: Member tier")
    assert head[:5] == ["Value", "Viewers", "Share of viewers", "Buyers", "Share of buyers"]
    gold = dict(zip(head, next(r for r in rows if r[0] == "Gold"), strict=True))
    assert gold["Viewers"] == 1 and gold["Buyers"] == 0 and gold["Share of viewers"] == pytest.approx(1 / 3)
    assert gold["Buyers − viewers (points)"] == pytest.approx(-100 / 3)
    for ws in wb:  # no raw key or snake_case column name reaches a manager
        for r in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and "_" in v and v.isascii() and " " not in v for v in r), r


def test_diagnosis_sheet_reads_the_findings_evidence(tiny_ds, tmp_path: Path):
    wb = openpyxl.load_workbook(W.write_workbook(tmp_path / "d.xlsx", _built(tiny_ds), "zh"))
    head, rows = _table(wb["8 现存问题"], "发现的问题（按估算 GMV 影响排序）")
    first = dict(zip(head, rows[0], strict=True))
    assert first["排名"] == 1 and first["问题"] == "流量依赖单一渠道"
    assert "66.7%" in first["依据"] and "千川" in first["依据"]  # the finding's evidence, not an empty params


def test_aggregate_only_dataset(tiny_aggregate_ds, tmp_path: Path):
    wb = openpyxl.load_workbook(W.write_workbook(tmp_path / "a.xlsx", _built(tiny_aggregate_ds), "en"))
    assert len(wb.sheetnames) == 9
    head, rows = _table(wb["3 Traffic sources"], "Channels")
    assert dict(zip(head, rows[0], strict=True))["Viewers (UV)"] == 2  # the channels export: 千川 uv 2


def test_a_failed_section_is_left_out():
    built = {"results": None}
    assert W.workbook_tables(built) == {}
