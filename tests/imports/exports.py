"""Hand-built Douyin Compass exports (the formats of issue 12) for the import tests.

Two rooms: 小美直播间 (account xiaomei88) with sessions A (2026-09-07 08:55:37–10:00) and B (10:10–11:00,
a reconnect 10 minutes later) and 阿强 (aqiang01) with session C (2026-09-08 19:00–21:00). Every number
below is written by hand; the tests' expectations are worked out from these cells.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

LIST_HEADER = [
    "主播昵称", "主播抖音号", "直播开始时间", "直播结束时间", "直播时长(分钟)", "直播间曝光人数", "直播间曝光次数",
    "直播间观看人数", "直播间观看次数", "最高在线人数", "平均在线人数", "人均观看时长(分钟)", "评论次数", "新增粉丝数",
    "取关粉丝数", "带货商品数", "直播间商品曝光人数", "直播间商品点击人数", "直播间成交订单数", "直播间成交金额",
    "直播间用户支付金额", "直播间成交件数", "直播间成交人数", "直播间退款订单数", "直播间退款金额", "商品曝光-点击率(人数)",
    "商品点击-成交率(人数)", "观看-成交率(人数)", "投放消耗(店铺绑定)", "净成交金额", "1小时退款率", "直播间热度",
]
ROW_A = ["小美直播间", "xiaomei88", "2026/09/07 08:55:37", "2026/09/07 10:00:00", "64", "12,000", "30,000", "3,000",
         "4,500", "420", "180.5", "1.5", "300", "45", "3", "12", "2,000", "500", "120", "¥236,552", "¥230,000", "130",
         "100", "2", "¥1,200.5", "25.00%", "20.00%", "0.0333", "-", "¥235,351.5", "0.5%", "高"]
ROW_B = ["小美直播间", "xiaomei88", "2026/09/07 10:10:00", "2026/09/07 11:00:00", "50", "5,000", "9,000", "1,000",
         "1,500", "300", "100", "2", "100", "10", "1", "8", "800", "200", "40", "¥50,000", "¥49,000", "45", "30", "0",
         "-", "25%", "15%", "0.03", "¥800", "¥50,000", "0%", "中"]
ROW_C = ["阿强", "aqiang01", "2026/09/08 19:00:00", "2026/09/08 21:00:00", "120", "8,000", "20,000", "2,000",
         "2,600", "350", "150", "3", "500", "60", "2", "2", "1,000", "300", "55", "¥10,000", "¥9,800", "60", "50", "1",
         "¥99", "50.00%", "16.67%", "0.025", "¥800", "¥9,901", "1%", "低"]

MINUTE_HEADER = ["时间", "进入直播间人数", "直播间离开人数", "实时在线人数", "人均观看时长", "曝光-观看率", "互动率",
                 "商品曝光人数", "商品点击人数", "成交人数", "成交订单数", "成交金额", "新增粉丝数", "点赞次数", "评论次数"]
MINUTES_B = [
    ["2026/09/07 10:10", 50, 5, 45, "1分钟6秒", "10%", "2%", 20, 5, 1, 1, "¥100", 1, 10, 2],
    ["2026/09/07 10:11", 40, 10, 75, "1分钟10秒", "11%", "3%", 30, 8, 2, 2, "¥1,236.5", 0, 20, 3],
    ["2026/09/07 10:12", 30, 20, 85, "1分钟", "9%", "2%", 25, 6, 0, 0, "0", 2, 15, 4],
    ["2026/09/07 10:13", 20, 25, 80, "58秒", "9%", "2%", "-", "-", 1, 1, "¥50", 0, 5, 1],
    ["2026/09/07 10:14", 10, 30, 60, "50秒", "8%", "1%", 10, 2, 0, 0, "0", 0, 4, 0],
]


def write_list(path: Path, rows: list[list[str]] | None = None, *, encoding: str = "gbk",
               header: list[str] | None = None, preamble: list[str] = ()) -> Path:
    """A session list (直播间列表 下载明细) as CSV in ``encoding`` (``gbk`` or ``utf-8-sig``)."""
    lines = [*preamble, ",".join(header or LIST_HEADER)]
    for r in rows if rows is not None else [ROW_A, ROW_B, ROW_C]:
        lines.append(",".join(f'"{c}"' if "," in c else c for c in r))
    text = "\r\n".join(lines) + "\r\n"
    if encoding.lower() in ("gbk", "gb18030"):
        text = text.replace("¥", "￥")  # GBK has the full-width yuan sign only (Chinese Excel writes it)
    path.write_bytes(text.encode(encoding))
    return path


def write_list_xlsx(path: Path, rows: list[list[str]] | None = None) -> Path:
    """The session list as an Excel workbook, with a merged title line above the header."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "直播间列表"
    ws.append(["直播间列表 下载明细"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.append(LIST_HEADER)
    for r in rows if rows is not None else [ROW_A, ROW_B, ROW_C]:
        ws.append(r)
    wb.save(path)
    return path


def write_minutes(path: Path, rows: list[list[object]] | None = None, *, header: list[str] | None = None) -> Path:
    """A minute-level trend workbook (…-分钟级数据.xlsx) of one sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分钟级数据"
    ws.append(header or MINUTE_HEADER)
    for r in rows if rows is not None else MINUTES_B:
        ws.append(r)
    wb.save(path)
    return path


def write_workbook(path: Path, *, pitches: bool = True, empty_sheet: bool = False) -> Path:
    """The single-session workbook (整场数据下载.xlsx) of session C."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基本信息"
    ws.append(["整场数据", None])
    ws.merge_cells("A1:B1")
    for k, v in (("主播昵称", "阿强"), ("主播抖音号", "aqiang01"), ("直播标题", "秋季上新"),
                 ("直播开始时间", dt.datetime(2026, 9, 8, 19, 0, 0)), ("直播结束时间", "2026/09/08 21:00:00")):
        ws.append([k, v])
    ws = wb.create_sheet("整体看板")
    ws.append(["直播间观看人数", "直播间成交金额", "直播间成交订单数", "最高在线人数"])
    ws.append([2000, 10000, 55, 350])
    ws = wb.create_sheet("流量分析-渠道分析")
    ws.append(["渠道分析"])
    ws.merge_cells("A1:F1")
    ws.append(["渠道名称", "观看人数", "观看次数", "用户支付金额", "成交订单数", "千川消耗"])
    ws.append(["整体", 2000, 2600, 10000, 55, 800])
    ws.append(["直播推荐", 1200, 1500, 6000, 30, "-"])
    ws.append(["千川", 500, 700, 3000, 20, 800])
    ws.append(["关注", 300, 400, 1000, 5, "-"])
    ws = wb.create_sheet("商品分析-商品明细")
    ws.append(["商品名称", "商品ID", "SKU", "商品价格", "成交金额", "成交件数", "成交人数", "成交订单数", "商品曝光人数",
               "商品点击人数", "退款金额"])
    ws.append(["羊毛大衣", "3612345678901234", "-", 599, 5990, 10, 9, 10, 600, 150, 0])
    ws.append(["羊毛大衣", "3612345678901234", "黑色 L", None, 3594, 6, 5, 6, None, None, 0])
    ws.append(["羊毛大衣", "3612345678901234", "灰色 M", None, 2396, 4, 4, 4, None, None, 0])
    ws.merge_cells("A2:A4")
    ws.merge_cells("B2:B4")
    ws.append(["围巾", "3612345678905678", "-", 99, 4010, 50, 41, 45, 800, 200, 99])
    if pitches:
        ws = wb.create_sheet("商品讲解")
        ws.append(["商品ID", "商品名称", "讲解开始时间", "讲解结束时间"])
        ws.append(["3612345678901234", "羊毛大衣", "2026/09/08 19:05:00", "2026/09/08 19:20:00"])
        ws.append(["3612345678905678", "围巾", "2026/09/08 19:30:00", "2026/09/08 19:40:00"])
    if empty_sheet:
        wb.create_sheet("直播间画像")
    wb.save(path)
    return path
