"""The review as an Excel workbook (复盘表): one sheet per section with the section's tables.

Numbers stay numbers (rates as fractions with a percent format, money and counts as numbers), headers
and labels are in the page's language, rooms / products / channels by name. The tables are the ones
the page shows, taken from each section's built data (:mod:`liveops_nb.review.frames` turns it into
DataFrames); :func:`workbook_tables` lists them, :func:`workbook_bytes` writes the xlsx and
:func:`write_workbook` puts it at a path atomically (:func:`liveops_nb.io.atomic.write_atomic`).

A rate resting on fewer people than the small-sample rule (:func:`liveops_nb.measures.few_people`) gets
the "few data" marker in a column of its own beside the numbers.
"""
from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ... import measures
from ...io.atomic import write_atomic
from ...metrics import REGISTRY
from ...review import frames
from ..fmt import is_missing
from ..i18n import Lang, register, t
from ..metrics import reason_text

register({
    "wb_title": ("下播复盘表 · {room} · {start}", "Session review · {room} · {start}"),
    "wb_download": ("下载复盘表（Excel）", "Download the review (Excel)"),
    "wb_build": ("生成复盘表（Excel）", "Build the review workbook (Excel)"),
    "wb_few": ("样本少", "few data"),
    "wb_t_comparison": ("指标对比", "Metrics against the basis"),
    "wb_t_minute": ("每分钟数据", "Per minute"),
    "wb_t_pitches": ("讲解", "Pitches"),
    "wb_t_incidents": ("事故记录", "Incidents"),
    "wb_t_outages": ("在线人数骤降", "Outages"),
    "wb_t_channels": ("渠道", "Channels"),
    "wb_t_groups": ("渠道类型", "Channel groups"),
    "wb_t_minutes": ("每分钟流量来源", "Traffic sources per minute"),
    "wb_t_platform": ("平台漏斗", "Platform funnel"),
    "wb_t_template": ("复盘模板漏斗", "Template funnel"),
    "wb_t_products": ("商品", "Products"),
    "wb_t_mix": ("引流款 / 利润款结构", "Traffic-driver vs profit mix"),
    "wb_t_kpis": ("互动指标", "Interaction metrics"),
    "wb_t_kinds": ("弹幕类型", "Comment kinds"),
    "wb_t_keywords": ("弹幕热词与短语", "Comment keywords and phrases"),
    "wb_t_high_value": ("高价值观众互动", "High-value viewers' interactions"),
    "wb_t_new_returning": ("新老观众 / 买家", "New vs returning viewers and buyers"),
    "wb_t_rfm": ("RFM 分层", "RFM layers"),
    "wb_t_portrait": ("画像：{dim}", "Portrait: {dim}"),
    "wb_t_findings": ("发现的问题（按估算 GMV 影响排序）", "Problems found (by estimated GMV impact)"),
    "wb_t_assessment": ("各指标与比较基准", "Every main metric against the basis"),
    "wb_t_actions": ("下一步行动", "Actions"),
    "wb_t_factors": ("下场 GMV 因子目标", "Next session's GMV factor targets"),
    "wb_c_metric": ("指标", "Metric"),
    "wb_c_value": ("本场", "This session"),
    "wb_c_previous": ("上一场", "Previous session"),
    "wb_c_median": ("房间中位数", "Room median"),
    "wb_c_bench_p50": ("同品类 P50", "Category P50"),
    "wb_c_target": ("目标", "Target"),
    "wb_c_rel": ("相对差异", "Relative difference"),
    "wb_c_minute": ("时间", "Time"),
    "wb_c_online": ("在线人数", "Online viewers"),
    "wb_c_entries": ("进入人次", "Entries"),
    "wb_c_exits": ("离开人次", "Exits"),
    "wb_c_likes": ("点赞次数", "Likes"),
    "wb_c_shares": ("分享次数", "Shares"),
    "wb_c_comments": ("评论次数", "Comments"),
    "wb_c_product": ("商品", "Product"),
    "wb_c_start": ("开始", "Start"),
    "wb_c_end": ("结束", "End"),
    "wb_c_minutes": ("分钟数", "Minutes"),
    "wb_c_kind": ("类型", "Kind"),
    "wb_c_note": ("说明", "Note"),
    "wb_c_min_online": ("最低在线", "Lowest online"),
    "wb_c_reference": ("参照", "Reference"),
    "wb_c_channel": ("渠道", "Channel"),
    "wb_c_group": ("渠道类型", "Group"),
    "wb_c_uv_share": ("人数占比", "UV share"),
    "wb_c_views_share": ("次数占比", "Views share"),
    "wb_c_spend": ("投放消耗", "Paid spend"),
    "wb_c_roi": ("ROI", "ROI"),
    "wb_c_entering": ("进入人数", "People entering"),
    "wb_c_step": ("环节", "Step"),
    "wb_c_people": ("人数", "People"),
    "wb_c_conversion": ("环节转化", "Step conversion"),
    "wb_c_loss": ("流失人数", "Lost"),
    "wb_c_role": ("角色", "Role"),
    "wb_c_list_price": ("标价", "List price"),
    "wb_c_impression_uv": ("商品曝光人数", "Product-impression people"),
    "wb_c_click_uv": ("商品点击人数", "Product-click people"),
    "wb_c_refund_amount": ("退款金额", "Refund amount"),
    "wb_c_pitch_minutes": ("讲解分钟", "Pitch minutes"),
    "wb_c_pitch_gmv": ("讲解期间成交额(全场)", "GMV during pitch (whole room)"),
    "wb_c_pitch_online": ("讲解期间平均在线", "Avg online during pitch"),
    "wb_c_products": ("商品数", "Products"),
    "wb_c_gmv_share": ("成交额占比", "GMV share"),
    "wb_c_units_share": ("件数占比", "Units share"),
    "wb_c_count": ("条数", "Count"),
    "wb_c_share": ("占比", "Share"),
    "wb_c_keyword": ("关键词 / 短语", "Keyword / phrase"),
    "wb_c_mentions": ("提到的弹幕条数", "Comments mentioning it"),
    "wb_c_viewer_group": ("人群", "Group"),
    "wb_c_viewers": ("观众人数", "Viewers"),
    "wb_c_interactions": ("互动次数", "Interactions"),
    "wb_c_per_viewer": ("人均互动", "Per viewer"),
    "wb_c_new": ("新", "New"),
    "wb_c_returning": ("老", "Returning"),
    "wb_c_total": ("合计", "Total"),
    "wb_c_returning_share": ("老客占比", "Returning share"),
    "wb_c_layer": ("分层", "Layer"),
    "wb_c_buyers": ("买家数", "Buyers"),
    "wb_c_watched": ("本场来看", "Watched this session"),
    "wb_c_bought": ("本场购买", "Bought this session"),
    "wb_c_attr": ("取值", "Value"),
    "wb_c_viewer_share": ("观众占比", "Share of viewers"),
    "wb_c_buyer_share": ("买家占比", "Share of buyers"),
    "wb_c_gap": ("买家−观众（百分点）", "Buyers − viewers (points)"),
    "wb_c_rank": ("排名", "Rank"),
    "wb_c_problem": ("问题", "Problem"),
    "wb_c_severity": ("严重程度", "Severity"),
    "wb_c_impact": ("估算 GMV 影响（元）", "Estimated GMV impact (CNY)"),
    "wb_c_lever": ("改进方向", "Lever"),
    "wb_c_evidence": ("依据", "Evidence"),
    "wb_c_shortfall": ("差距", "Shortfall"),
    "wb_c_threshold": ("阈值", "Threshold"),
    "wb_c_status": ("判断", "Assessment"),
    "wb_c_action": ("行动", "Action"),
    "wb_c_slope": ("趋势（每场）", "Trend (per session)"),
    "wb_c_why": ("为什么", "Why"),
})

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT, MONEY, COUNT, DECIMAL = "0.0%", "#,##0.00", "#,##0", "#,##0.00"
ROWS = "_rows"  # a column whose rows are different metrics: each row takes its metric's format
Table = tuple[str, pd.DataFrame, dict[str, str]]
"""One table of a sheet: its title, the frame (headers already in the page's language), number formats by header."""


def _unit_format(unit: str | None) -> str | None:
    return {"ratio": PERCENT, "CNY": MONEY, "people": COUNT, "times": COUNT, "orders": COUNT, "units": COUNT,
            "count": COUNT, "seconds": COUNT, "minutes": DECIMAL, "x": DECIMAL}.get(unit or "", None)


def _naive(col: pd.Series) -> pd.Series:
    """Date-times as local wall-clock times (Excel has no time zones)."""
    col = pd.to_datetime(col)
    return col.dt.tz_localize(None) if col.dt.tz is not None else col


def _num(col: Any) -> pd.Series:
    return pd.to_numeric(pd.Series(col), errors="coerce").astype(float)


class _Builder:
    """Collects the columns of one table with their headers and number formats."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.cols: dict[str, Any] = {}
        self.formats: dict[str, str] = {}

    def add(self, key_or_header: str, values: Any, fmt: str | None = None, *, header: str | None = None) -> _Builder:
        name = header if header is not None else t(f"wb_c_{key_or_header}", self.lang)
        self.cols[name] = list(values)
        if fmt:
            self.formats[name] = fmt
        return self

    def metric(self, key: str, values: Any) -> _Builder:
        m = REGISTRY[key]
        return self.add("", _num(values), _unit_format(m.unit), header=m.label(self.lang))

    def few(self, people: Any) -> _Builder:
        return self.add("", [t("wb_few", self.lang) if measures.few_people(p) else "" for p in people],
                        header=t("wb_few", self.lang))

    def table(self, title_key: str, **kw: Any) -> Table:
        return t(f"wb_t_{title_key}", self.lang, **kw), pd.DataFrame(self.cols), self.formats


# ------------------------------------------------------------------------------------------ sections
def _results(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    c = f["comparison"]
    b = _Builder(lang).add("metric", [REGISTRY[k].label(lang) for k in c["key"]])
    for col in ("value", "previous", "median", "bench_p50", "target"):
        b.add(col, _num(c[col]), ROWS)
    b.add("rel", _num(c["rel_vs_basis"]), PERCENT)
    return [_per_row(b.table("comparison"), c["key"])]


def _per_row(table: Table, keys: Any) -> Table:
    """The table with the number format of each row's metric for its :data:`ROWS` columns."""
    table[1].attrs["row_formats"] = [_unit_format(REGISTRY[k].unit) if k in REGISTRY else None for k in keys]
    return table


def _timeline(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    out: list[Table] = []
    m = f.get("minute")
    if m is not None and len(m):
        b = _Builder(lang).add("minute", _naive(m["minute"]), "hh:mm").add("online", _num(m["online"]), COUNT)
        b.add("entries", _num(m["entries"]), COUNT).add("exits", _num(m["exits"]), COUNT).metric("gmv", m["gmv"])
        b.add("comments", _num(m["comments"]), COUNT).add("likes", _num(m["likes"]), COUNT)
        b.add("shares", _num(m["shares"]), COUNT).metric("new_followers", m["new_followers"])
        out.append(b.table("minute"))
    empty = pd.DataFrame()
    p = f.get("pitches", empty)
    if len(p):
        out.append(_Builder(lang).add("product", p["name"]).add("start", _naive(p["start"]), "hh:mm")
                   .add("end", _naive(p["end"]), "hh:mm").add("minutes", _num(p["minutes"]), DECIMAL).table("pitches"))
    i = f.get("incidents", empty)
    if len(i):
        out.append(_Builder(lang).add("start", _naive(i["start"]), "hh:mm").add("end", _naive(i["end"]), "hh:mm")
                   .add("kind", i["kind"].astype(str)).add("note", i["note"].fillna("").astype(str)).table("incidents"))
    o = f.get("outages", empty)
    if len(o):
        out.append(_Builder(lang).add("start", _naive(o["start"]), "hh:mm").add("end", _naive(o["end"]), "hh:mm")
                   .add("minutes", _num(o["minutes"]), DECIMAL).add("min_online", _num(o["min_online"]), COUNT)
                   .add("reference", _num(o["reference"]), DECIMAL).table("outages"))
    return out


def _traffic(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    from . import traffic as view

    out: list[Table] = []
    for name, first in (("channels", "channel"), ("groups", "channel_group")):
        if name not in f:
            continue
        c = f[name]
        b = _Builder(lang)
        if first == "channel":
            b.add("channel", c["channel"].astype(str))
        b.add("group", [view.group_label(g, lang) for g in c["channel_group"]])
        b.metric("uv", c["uv"]).add("uv_share", _num(c["uv_share"]), PERCENT).metric("views", c["views"])
        b.add("views_share", _num(c["views_share"]), PERCENT).metric("gmv", c["gmv"]).metric("gpm", c["gpm"])
        b.add("spend", _num(c["spend"]), MONEY).add("roi", _num(c["roi"]), DECIMAL).few(c["uv"])
        out.append(b.table(name))
    if "minutes" in f:
        m = f["minutes"]
        out.append(_Builder(lang).add("minute", _naive(m["minute"]), "hh:mm")
                   .add("group", [view.group_label(g, lang) for g in m["channel_group"]])
                   .add("entering", _num(m["uv"]), COUNT).metric("views", m["views"]).metric("gmv", m["gmv"])
                   .table("minutes"))
    return out


def _funnel(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    from . import funnel as view

    out: list[Table] = []
    for name, template in (("platform", False), ("template", True)):
        if name not in f:
            continue
        d = f[name]
        before = [None, *d["count"].iloc[:-1]]
        b = _Builder(lang).add("step", [view.step_label(s, lang, template) for s in d["step"]])
        b.add("people", _num(d["count"]), COUNT).add("conversion", _num(d["conversion"]), PERCENT)
        b.add("loss", _num(d["loss"]), COUNT)
        if not template:
            b.add("bench_p50", _num(d["bench_p50"]), PERCENT)
        out.append(b.few(before).table(name))
    return out


def _products(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    from .products import role_label

    p = f.get("table")
    if p is None or p.empty:
        return []
    b = _Builder(lang).add("product", p["name"].astype(str)).add("role", [role_label(r, lang) for r in p["role"]])
    b.add("list_price", _num(p["list_price"]), MONEY).add("impression_uv", _num(p["impression_uv"]), COUNT)
    b.add("click_uv", _num(p["click_uv"]), COUNT)
    for k in ("buyers", "orders", "units", "gmv"):
        b.metric(k, p[k])
    b.add("refund_amount", _num(p["refund_amount"]), MONEY)
    for k in ("product_click_rate", "click_to_order_rate", "refund_rate"):
        b.metric(k, p[k])
    b.few(p[["impression_uv", "click_uv"]].min(axis=1))  # the rates rest on the impressed / clicking people
    if "pitch_minutes" in p.columns:
        b.add("pitch_minutes", _num(p["pitch_minutes"]), DECIMAL).add("pitch_gmv", _num(p["pitch_gmv"]), MONEY)
        b.add("pitch_online", _num(p["pitch_avg_online"]), DECIMAL)
    out = [b.table("products")]
    mix = f.get("mix")
    if mix is not None and len(mix):
        out.append(_Builder(lang).add("role", [role_label(r, lang) for r in mix["role"]])
                   .add("products", _num(mix["products"]), COUNT).metric("gmv", mix["gmv"])
                   .add("gmv_share", _num(mix["gmv_share"]), PERCENT).metric("units", mix["units"])
                   .add("units_share", _num(mix["units_share"]), PERCENT).table("mix"))
    return out


def _interaction(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    k = f.get("kpis", pd.DataFrame(columns=["key", "value", "reason"]))
    out = [_per_row(_Builder(lang).add("metric", [REGISTRY[x].label(lang) for x in k["key"]])
                    .add("value", _num(k["value"]), ROWS)
                    .add("note", [reason_text(r, lang) or "" for r in k["reason"]]).table("kpis"), k["key"])]
    if "kinds" in f and len(f["kinds"]):
        d = f["kinds"]
        out.append(_Builder(lang).add("kind", [t(f"interaction_kind_{x}", lang) for x in d["kind"]])
                   .add("count", _num(d["count"]), COUNT).add("share", _num(d["share"]), PERCENT).table("kinds"))
    if "keywords" in f and len(f["keywords"]):
        d = f["keywords"]
        out.append(_Builder(lang).add("keyword", d["keyword"].astype(str)).add("mentions", _num(d["count"]), COUNT)
                   .table("keywords"))
    if "high_value" in f and len(f["high_value"]):
        d = f["high_value"]
        out.append(_Builder(lang).add("viewer_group", [t(f"interaction_group_{g}", lang) for g in d["group"]])
                   .add("viewers", _num(d["viewers"]), COUNT).add("interactions", _num(d["interactions"]), COUNT)
                   .add("per_viewer", _num(d["per_viewer"]), DECIMAL).table("high_value"))
    return out


def _audience(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    from ...review.portrait import DIMS

    out: list[Table] = []
    if "new_returning" in f and len(f["new_returning"]):
        d = f["new_returning"]
        out.append(_Builder(lang).add("viewer_group", [t(f"audience_{g}", lang) for g in d["group"]])
                   .add("new", _num(d["new"]), COUNT).add("returning", _num(d["returning"]), COUNT)
                   .add("total", _num(d["total"]), COUNT).add("returning_share", _num(d["returning_share"]), PERCENT)
                   .table("new_returning"))
    if "rfm" in f and len(f["rfm"]):
        d = f["rfm"]
        out.append(_Builder(lang).add("layer", [t(f"audience_layer_{x}", lang) for x in d["layer"]])
                   .add("buyers", _num(d["buyers"]), COUNT).add("watched", _num(d["watched"]), COUNT)
                   .add("bought", _num(d["bought"]), COUNT).table("rfm"))
    from .portrait import value_label

    portrait = getattr(data, "portrait", None)
    for dim in DIMS:
        p = f.get(f"portrait.tables.{dim}")
        if p is None or portrait is None:
            continue
        out.append(_Builder(lang).add("attr", [value_label(v, lang) for v in p["value"]])
                   .add("viewers", _num(p["viewers"]), COUNT).add("viewer_share", _num(p["viewer_share"]), PERCENT)
                   .add("buyers", _num(p["buyers"]), COUNT).add("buyer_share", _num(p["buyer_share"]), PERCENT)
                   .add("gap", _num(p["gap"]) * 100, "0.0")
                   .few([min(portrait.viewers or 0, portrait.buyers or 0)] * len(p))
                   .table("portrait", dim=t(f"portrait_dim_{dim}", lang)))
    return out


def _diagnosis(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    from .diagnosis import finding_text, finding_title
    from .scopes import figures_line, lever_text

    found = list(data.findings)
    out = [_Builder(lang).add("rank", list(range(1, len(found) + 1)))
           .add("problem", [finding_title(x, lang) for x in found])
           .add("severity", [t(f"diagnosis_severity_{x.severity}", lang) for x in found])
           .add("impact", [None if x.impact is None else float(x.impact) for x in found], MONEY)
           .add("lever", [lever_text(x.lever, lang) for x in found])
           .add("evidence", [("；" if lang == "zh" else "; ").join(
               y for y in (figures_line(x.figures, lang), finding_text(x, lang)) if y) for x in found])
           .table("findings")]
    a = f["assessment"]
    b = _Builder(lang).add("metric", [REGISTRY[k].label(lang) for k in a["key"]])
    b.add("value", _num(a["value"]), ROWS).add("reference", _num(a["reference"]), ROWS)
    b.add("shortfall", _num(a["shortfall"]), PERCENT).add("threshold", _num(a["threshold"]), PERCENT)
    b.add("status", [t(f"wb_status_{s}", lang) for s in a["status"]])
    return [*out, _per_row(b.table("assessment"), a["key"])]


def _next_steps(f: dict[str, pd.DataFrame], data: Any, lang: Lang) -> list[Table]:
    from .next_steps import item_label, row_action
    from .scopes import lever_text

    out: list[Table] = []
    rows = [{str(k): v for k, v in r.items()} for r in data.actions.to_dict("records")]
    if rows:
        a = _Builder(lang).add("rank", list(range(1, len(rows) + 1))).add("problem", [item_label(r, lang) for r in rows])
        for col, key in (("value", "current"), ("reference", "reference"), ("target", "target")):
            a.add(col, [None if is_missing(r[key]) else float(r[key]) for r in rows], ROWS)
        a.add("lever", [lever_text(r["lever"], lang) for r in rows])
        a.add("impact", [None if is_missing(r["impact"]) else float(r["impact"]) for r in rows], MONEY)
        a.add("action", [row_action(r, lang) for r in rows])
        table = a.table("actions")
        table[1].attrs["row_formats"] = [_unit_format(r["unit"]) for r in rows]
        out.append(table)
    fac = data.factors
    if len(fac):
        b = _Builder(lang).add("metric", [REGISTRY[k].label(lang) for k in fac["factor"]])
        b.add("lever", [lever_text(x or None, lang) for x in fac["lever"]])
        for col, key in (("value", "current"), ("median", "median"), ("slope", "slope"), ("target", "target")):
            b.add(col, _num(fac[key]), ROWS)
        out.append(_per_row(b.table("factors"), fac["factor"]))
    return out


register({f"wb_status_{s}": pair for s, pair in {
    "better": ("更好", "better"), "flat": ("持平", "level"), "not_comparable": ("无法比较", "not comparable"),
    "worse_normal": ("更差（正常波动内）", "worse, within normal variation"),
    "worse_material": ("明显更差", "materially worse")}.items()})

SECTION_TABLES: Mapping[str, Callable[[dict[str, pd.DataFrame], Any, Lang], list[Table]]] = {
    "results": _results, "timeline": _timeline, "traffic": _traffic, "funnel": _funnel, "products": _products,
    "interaction": _interaction, "audience": _audience, "diagnosis": _diagnosis, "next_steps": _next_steps}
"""Section name -> the tables of its sheet."""


def sheet_name(i: int, section: str, lang: Lang = "zh") -> str:
    """``"3 流量来源"``: the section's number and title, cut to Excel's 31 characters."""
    title = importlib.import_module(f"liveops_nb.review.{section}").TITLE
    name = f"{i} {title[0] if lang == 'zh' else title[1]}"
    return "".join("_" if c in "[]:*?/\\" else c for c in name)[:31]


def workbook_tables(built: Mapping[str, Any], lang: Lang = "zh") -> dict[str, list[Table]]:
    """Sheet name -> its tables, for every section in ``built`` (section name -> its built data; None = failed)."""
    out: dict[str, list[Table]] = {}
    for i, name in enumerate(frames.SECTIONS, start=1):
        data = built.get(name)
        if data is None or name not in SECTION_TABLES:
            continue
        out[sheet_name(i, name, lang)] = SECTION_TABLES[name](frames.to_frames(data), data, lang)
    return out


def workbook_bytes(built: Mapping[str, Any], lang: Lang = "zh", title: str = "") -> bytes:
    """The xlsx file (bytes): one sheet per section, its tables one below the other, each with a bold title
    row and header row; numbers as numbers with their formats; ``title`` in the first sheet's first row."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for n, (sheet, tables) in enumerate(workbook_tables(built, lang).items()):
        ws = wb.create_sheet(sheet)
        row = 1
        if n == 0 and title:
            ws.cell(row, 1, title).font = Font(bold=True, size=13)
            row += 2
        widths: dict[int, int] = {}
        for caption, frame, formats in tables:
            ws.cell(row, 1, caption).font = Font(bold=True, size=12)
            row += 1
            for j, head in enumerate(frame.columns, start=1):
                ws.cell(row, j, str(head)).font = bold
                widths[j] = max(widths.get(j, 8), _width(head))
            row += 1
            per_row = frame.attrs.get("row_formats") or [None] * len(frame)
            for i, values in enumerate(frame.itertuples(index=False)):
                for j, (head, v) in enumerate(zip(frame.columns, values, strict=True), start=1):
                    cell = ws.cell(row, j, _cell(v))
                    fmt = formats.get(str(head))
                    fmt = per_row[i] if fmt == ROWS else fmt
                    if fmt and isinstance(cell.value, (int, float)):
                        cell.number_format = fmt
                    elif fmt == "hh:mm" and cell.value is not None:
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    widths[j] = max(widths.get(j, 8), min(60, _width(cell.value)))
                row += 1
            row += 1
        for j, w in widths.items():
            ws.column_dimensions[get_column_letter(j)].width = w + 2
        ws.freeze_panes = None
    if not wb.sheetnames:
        wb.create_sheet("—")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v: Any) -> Any:
    """A value as Excel takes it: numbers as numbers, missing as empty, date-times without zone, else text."""
    if v is None or is_missing(v) if not isinstance(v, (list, tuple, dict)) else False:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # a NumPy scalar
        return _cell(v.item())
    if isinstance(v, pd.Timestamp):
        return (v.tz_localize(None) if v.tzinfo else v).to_pydatetime()
    return str(v)


def _width(v: Any) -> int:
    """Display width of a value in Excel's character units (a CJK character counts twice)."""
    text = "" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v))
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def write_workbook(path: str | Path, built: Mapping[str, Any], lang: Lang = "zh", title: str = "") -> Path:
    """Write the workbook of ``built`` (section name -> built data) at ``path``, atomically; returns the path."""
    return write_atomic(Path(path), workbook_bytes(built, lang, title))
