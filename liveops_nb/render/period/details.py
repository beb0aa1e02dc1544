"""Views of the period review's cases, recurring problems, time slots, hosts and rooms, products and channels:
``render_*(data, lang) -> list`` of displayable items and ``*_sheet(data, lang) -> DataFrame`` for the workbook."""
from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from ...period.cases import CasesData, RecurringData
from ...period.compare import INTERVAL_KEYS, SMALL_N, CompareData
from ...period.compare import KEYS as COMPARE_KEYS
from ...period.slots import KEYS as SLOT_KEYS
from ...period.slots import SlotsData
from ...period.structure import CONCENTRATION, ChannelsData, ProductsData
from ..html import esc, note, table
from ..i18n import Lang, t
from . import text as w

REVIEW_NOTEBOOK = "01-session-review.ipynb"
"""The session review the cases link to (``01-session-review.ipynb?session=<id>``, next to this notebook)."""


def review_link(session_id: str, lang: Lang = "zh") -> str:
    """The relative link to a session's review page, in the page's language."""
    return f"{REVIEW_NOTEBOOK}?session={quote(str(session_id), safe='')}&lang={lang}"


# ------------------------------------------------------------------ cases
def cases_sheet(data: CasesData, lang: Lang = "zh") -> pd.DataFrame:
    """One row per case."""
    if data.table.empty:
        return pd.DataFrame(columns=[t("session", lang)])
    rows = []
    for _, c in data.table.iterrows():
        rows.append({"": t(f"period_case_{c['kind']}", lang), t("session", lang): c["session_id"],
                     t("room", lang): c["room_name"], t("host", lang): c["host"], t("period_title", lang): c["title"],
                     t("period_slot_col", lang): w.weekday_slot(c["weekday"], c["hour"], lang),
                     **{w.label(k, lang): w.value(c[k], k, lang) for k in ("gmv", "gpm", "uv", "view_to_order_rate", "aov")}})
    return pd.DataFrame(rows)


def _case_html(c: pd.Series, lang: Lang) -> str:
    parts = ", ".join(f"{w.label(k, lang)} {w.delta(c[f'rel_{k}'])}" for k in ("gpm", "uv", "view_to_order_rate", "aov"))
    lines = [t("period_case_line", lang, room=c["room_name"], host=c["host"], title=c["title"] or "",
               slot=w.weekday_slot(c["weekday"], c["hour"], lang), minutes=f"{c['minutes']:.0f}"),
             f"{w.label('gmv', lang)} {w.value(c['gmv'], 'gmv', lang)} · {w.label('gpm', lang)} {w.value(c['gpm'], 'gpm', lang)}",
             t("period_case_vs", lang, parts=parts)]
    if c["driver"]:
        lines.append(t("period_case_driver", lang, driver=w.label(c["driver"], lang)))
    if c["top_group"] is not None:
        lines.append(t("period_case_mix", lang, group=w.group_name(c["top_group"], lang), share=w.ratio(c["top_group_share"], lang),
                       n=int(c["n_products"]), product=c["top_product"] or "—", pshare=w.ratio(c["top_product_share"], lang)))
    if c["problems"]:
        sep = "、" if lang == "zh" else ", "
        lines.append(t("period_case_problems", lang, codes=sep.join(w.problem_title("diagnosis", p, lang) for p in c["problems"])))
    css = "lo-up" if c["kind"] == "best" else "lo-down"
    head = f'<b class="{css}">{esc(t("period_case_" + c["kind"], lang))}</b> · {esc(c["session_id"])}'
    href = esc(review_link(c["session_id"], lang))
    link = f'<a class="lo-case-link" href="{href}" target="_blank">{esc(t("period_case_open", lang))}</a>'
    body = "<br>".join(esc(x) for x in lines)
    return f'<div class="lo lo-card lo-case" data-session="{esc(c["session_id"])}" style="width:auto">{head}<br>{body}<br>{link}</div>'


def render_cases(data: CasesData, lang: Lang = "zh") -> list:
    """A card per case with what distinguished it and a link to its session review."""
    if data.table.empty:
        return [note(t("period_cases_none", lang), "na")]
    return ['<div class="lo">' + "".join(_case_html(c, lang) for _, c in data.table.iterrows()) + "</div>"]


# ------------------------------------------------------------------ recurring problems
def problems_sheet(data: RecurringData, lang: Lang = "zh", names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per problem: source, title, sessions with it, of all, rooms, and the count per step."""
    rows = []
    for _, p in data.table.iterrows():
        rows.append({t("period_source", lang): w.source_name(p["source"], lang),
                     t("period_problem", lang): w.problem_title(p["source"], p["code"], lang),
                     t("period_sessions", lang): f"{int(p['n_sessions'])} / {int(p['n_total'])}",
                     t("period_rooms", lang): ", ".join((names or {}).get(r, r) for r in p["rooms"]),
                     **{step: int(n) for step, n in p["trend"].items()}})
    return pd.DataFrame(rows)


def render_problems(data: RecurringData, lang: Lang = "zh", names: dict[str, str] | None = None) -> list:
    """"pitch-in-trough in 6 of 14 sessions (rooms)" per problem, then the table with the trend."""
    if data.table.empty:
        return [note(t("period_problems_none", lang), "good")]
    sep = "、" if lang == "zh" else ", "
    lines = [t("period_problem_line", lang, title=w.problem_title(p["source"], p["code"], lang), n=int(p["n_sessions"]),
               total=int(p["n_total"]), rooms=sep.join((names or {}).get(r, r) for r in p["rooms"]))
             for _, p in data.table.iterrows()]
    return [f'<div class="lo"><ul>{"".join(f"<li>{esc(x)}</li>" for x in lines)}</ul></div>',
            table(problems_sheet(data, lang, names).astype(str))]


# ------------------------------------------------------------------ time slots
def slots_sheet(data: SlotsData, lang: Lang = "zh") -> pd.DataFrame:
    """One row per slot."""
    rows = []
    for _, s in data.table.iterrows():
        rows.append({t("period_chart_weekday", lang): w.weekday_names(lang)[int(s["weekday"])],
                     t("period_chart_hour", lang): int(s["hour"]), t("period_sessions", lang): int(s["n_sessions"]),
                     **{w.label(k, lang): w.value(s[k], k, lang) for k in SLOT_KEYS}})
    return pd.DataFrame(rows)


def render_slots(data: SlotsData, lang: Lang = "zh") -> list:
    """The rule, the best / worst supported slots, the GPM heat-map and the table."""
    items: list = [note(t("period_slots_rule", lang, n=data.min_sessions, first=f"{data.first_day:%Y-%m-%d}",
                          last=f"{data.last_day:%Y-%m-%d}"), "info")]
    if data.best is None or data.worst is None:
        items.append(note(t("period_slots_none", lang, n=data.min_sessions), "warn"))
    else:
        items.append(note(t("period_slots_best", lang, best=w.weekday_slot(*data.best, lang),
                            worst=w.weekday_slot(*data.worst, lang)), "good"))
    if len(data.table):
        from ...charts.period import heatmap  # altair: imported when a chart is drawn

        items.append(heatmap(data.table, "gpm", lang))
        items.append(table(slots_sheet(data, lang)))
    return items


# ------------------------------------------------------------------ hosts and rooms
def _compare_frame(df: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    rows = []
    for _, r in df.iterrows():
        row = {t("period_name", lang): r["name"],
               t("period_sessions", lang): f"{int(r['n_sessions'])}" + (f" ({t('period_small', lang)})" if r["small"] else "")}
        for k in COMPARE_KEYS:
            row[w.label(k, lang)] = w.value(r[k], k, lang)
            if k in INTERVAL_KEYS:
                row[f"{w.label(k, lang)} {t('period_interval', lang)}"] = (
                    "—" if w.is_na(r[f"{k}_lo"]) else f"[{w.value(r[f'{k}_lo'], k, lang)}, {w.value(r[f'{k}_hi'], k, lang)}]")
        rows.append(row)
    return pd.DataFrame(rows)


def compare_sheet(data: CompareData, lang: Lang = "zh") -> pd.DataFrame:
    """Hosts, then rooms."""
    hosts = _compare_frame(data.hosts, lang).assign(**{t("period_scope", lang): t("period_hosts", lang)})
    rooms = _compare_frame(data.rooms, lang).assign(**{t("period_scope", lang): t("period_rooms", lang)})
    return pd.concat([hosts, rooms], ignore_index=True)


def render_compare(data: CompareData, lang: Lang = "zh") -> list:
    """The hosts' table and the rooms' table, with intervals and small samples flagged."""
    return [f'<div class="lo"><b>{esc(t("period_hosts", lang))}</b></div>', table(_compare_frame(data.hosts, lang)),
            f'<div class="lo"><b>{esc(t("period_rooms", lang))}</b></div>', table(_compare_frame(data.rooms, lang)),
            note(t("period_compare_note", lang, n=SMALL_N), "info")]


# ------------------------------------------------------------------ products
def _role(role: str, lang: Lang) -> str:
    return t(f"period_role_{role}", lang) if role in ("profit", "traffic_driver") else t("period_role_other", lang)


def products_sheet(data: ProductsData, lang: Lang = "zh") -> pd.DataFrame:
    """One row per category."""
    return pd.DataFrame({t("period_category", lang): data.categories["category"],
                         t("period_products_n", lang): data.categories["n_products"],
                         w.label("gmv", lang): [w.value(v, "gmv", lang) for v in data.categories["gmv"]],
                         t("period_share", lang): [w.ratio(v, lang) for v in data.categories["share"]],
                         t("period_conversion_median", lang): [w.ratio(v, lang) for v in data.categories["conversion"]]})


def render_products(data: ProductsData, lang: Lang = "zh") -> list:
    """GMV by role and of high-order-value items, categories by conversion, top products."""
    sep = "；" if lang == "zh" else "; "
    roles = sep.join(f"{_role(r, lang)} {w.ratio(s, lang)}" for r, s in zip(data.roles["role"], data.roles["share"], strict=True))
    items: list = [note(t("period_products_line", lang, roles=roles or "—", cut=w.money(data.price_cut, lang),
                          high=w.ratio(data.high_value_share, lang)), "info"), table(products_sheet(data, lang))]
    top = data.products.head(10)
    items.append(table(pd.DataFrame({t("period_product", lang): top["name"].fillna(top["product_id"]),
                                     w.label("gmv", lang): [w.value(v, "gmv", lang) for v in top["gmv"]],
                                     w.label("click_to_order_rate", lang): [w.ratio(v, lang) for v in top["click_to_order_rate"]]})))
    return items


# ------------------------------------------------------------------ channels
def channels_sheet(data: ChannelsData, lang: Lang = "zh") -> pd.DataFrame:
    """Conversion per source (channel group)."""
    return pd.DataFrame({t("period_channel_group", lang): [w.group_name(g, lang) for g in data.sources["channel_group"]],
                         **{w.label(k, lang): [w.value(v, k, lang) for v in data.sources[k]]
                            for k in ("uv", "gmv", "view_to_order_rate", "uv_value")}})


def render_channels(data: ChannelsData, lang: Lang = "zh") -> list:
    """Concentration line (flagged when single-channel dependent), the mix over time, conversion per source."""
    items: list = [note(t("period_channels_line", lang, hhi="—" if w.is_na(data.hhi) else f"{data.hhi:.2f}",
                          top=data.top_channel or "—", share=w.ratio(data.top_share, lang)), "info")]
    if data.flagged:
        items.append(note(t("period_channels_flag", lang, hhi=f"{CONCENTRATION['hhi']:.2f}",
                            top=w.ratio(CONCENTRATION["top_share"], lang)), "warn"))
    if len(data.mix):
        from ...charts.period import channel_mix  # altair: imported when a chart is drawn

        groups = {g: w.group_name(g, lang) for g in data.mix["channel_group"].unique()}
        items.append(channel_mix(data.mix, data.step, groups, lang))
    items.append(table(channels_sheet(data, lang)))
    return items
