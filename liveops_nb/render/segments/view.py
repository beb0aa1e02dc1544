"""The segment board's sections as displayable items (HTML strings and charts) in 中文 or English.

Turns the results of :mod:`liveops_nb.segments.board` into items; :func:`render` dispatches by section.
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pandas as pd

from ... import measures
from ...errors import UnknownSectionError
from ...metrics import REGISTRY
from ...segments import board as sb
from ...segments.export import layer_members, members_csv
from ...segments.groups import OTHER, TOP_REGIONS, UNKNOWN
from ...segments.retention import KEYS as RETENTION_KEYS
from ..fmt import fmt_value
from ..html import esc, note, table
from ..i18n import Lang, t
from ..metrics import reason_text
from . import charts
from .text import action_text, layer_name, period_word


def _day(ts: Any) -> str:
    return f"{pd.Timestamp(ts):%Y-%m-%d}"


def _period(sel: sb.Selection, lang: Lang) -> dict[str, str]:
    w = sel.win
    return {"period": period_word(w.granularity, lang), "start": _day(w.start), "as_of": _day(w.as_of),
            "prev_start": _day(w.prev_start), "prev_end": _day(w.prev_end)}


def header_line(sel: sb.Selection, room_name: str, lang: Lang) -> str:
    """The one-line header: room, as-of day, the period and the previous one."""
    return t("seg_header", lang, room=room_name or t("seg_all_rooms", lang), **_period(sel, lang))


def rules_note(sel: sb.Selection, lang: Lang) -> str:
    r = sel.rules
    return note(t("seg_rules", lang, new=r.new_days, risk=r.at_risk_days, dormant=r.dormant_days,
                  freq=r.high_value_min_frequency, money=fmt_value(r.high_value_min_monetary_value, "CNY", lang)))


def download_link(buyers: pd.DataFrame, layer: str, sel: sb.Selection, lang: Lang) -> str:
    """A link that downloads the layer's user ids as CSV (UTF-8 with BOM) from the page itself (data: URI)."""
    b64 = base64.b64encode(members_csv(layer_members(buyers, layer))).decode("ascii")
    name = f"segment-{layer}-{_day(sel.win.as_of)}{'-' + sel.room if sel.room else ''}.csv"
    return (f'<a class="lo lo-seg-download" download="{esc(name)}" '
            f'href="data:text/csv;charset=utf-8;base64,{b64}">{esc(t("seg_download", lang))}</a>')


def _signed(n: int) -> str:
    return f"{n:+,d}" if n else "0"


def layers(d: sb.LayerData, sel: sb.Selection, lang: Lang) -> list:
    if d.buyers.empty:
        return [note(t("seg_layers_empty", lang), "na"), rules_note(sel, lang)]
    b = d.board
    shown = pd.DataFrame({
        t("seg_col_layer", lang): [layer_name(x, lang) for x in b["layer"]],
        t("seg_col_buyers", lang): [fmt_value(v, "people", lang) for v in b["buyers"]],
        t("seg_col_buyer_share", lang): [fmt_value(v, "ratio", lang) for v in b["buyer_share"]],
        t("seg_col_gmv", lang): [fmt_value(v, "CNY", lang) for v in b["gmv"]],
        t("seg_col_gmv_share", lang): [fmt_value(v, "ratio", lang) for v in b["gmv_share"]],
        t("seg_col_before", lang): [fmt_value(v, "people", lang) for v in b["buyers_before"]],
        t("seg_col_change", lang): [_signed(int(v)) for v in b["change"]],
        t("seg_col_action", lang): [action_text(a, lang) for a in b["action"]],
    })
    html = table(shown, numeric=list(shown.columns[1:7]))
    links = "".join(f'<div class="lo" style="font-size:12.5px;margin:2px 0">{esc(layer_name(x, lang))} · '
                    f'{download_link(d.buyers, x, sel, lang)}</div>' for x, n in zip(b["layer"], b["buyers"], strict=True)
                    if n > 0)
    head = note(t("seg_layers_note", lang, n=f"{len(d.buyers):,}", as_of=_day(sel.win.as_of),
                  prev_end=_day(sel.win.prev_end)))
    return [head, html, charts.layer_bars(b, lang),
            f'<div class="lo lo-seg-exports"><b>{esc(t("seg_col_export", lang))}</b>{links}</div>',
            rules_note(sel, lang)]


def cohorts(cells: pd.DataFrame, sel: sb.Selection, lang: Lang) -> list:
    if cells.empty:
        return [note(t("seg_layers_empty", lang), "na")]
    return [note(t("seg_cohort_note", lang)), charts.cohort_heatmap(cells, lang)]


def new_returning(trend: pd.DataFrame, sel: sb.Selection, lang: Lang) -> list:
    heads = {"viewers": "seg_viewers", "new_viewers": "seg_new_viewers", "returning_viewers": "seg_returning_viewers",
             "returning_viewer_share": "seg_returning_viewer_share", "buyers": "seg_buyers",
             "new_buyers": "seg_new_buyers", "returning_buyers": "seg_returning_buyers",
             "returning_buyer_share": "seg_returning_buyer_share"}
    shown = pd.DataFrame({t("seg_bucket", lang): [_day(b) for b in trend["bucket"]]})
    for c, head in heads.items():
        unit = "ratio" if c.endswith("share") else "people"
        shown[t(head, lang)] = [fmt_value(v, unit, lang) for v in trend[c]]
    p = _period(sel, lang)
    return [note(t("seg_nr_note", lang, period=p["period"])), charts.returning_lines(trend, lang),
            table(shown, numeric=list(shown.columns[1:]))]


def tier_label(lower: float, upper: float, lang: Lang) -> str:
    """A spending tier in words: "< ¥100", "¥100 – ¥300", "≥ ¥1,000"."""
    lo, hi = fmt_value(lower, "CNY", lang), fmt_value(upper, "CNY", lang)
    if lower <= 0:
        return t("seg_tier_under", lang, hi=hi)
    if upper == float("inf"):
        return t("seg_tier_over", lang, lo=lo)
    return t("seg_tier_between", lang, lo=lo, hi=hi)


def spending(tiers: pd.DataFrame, sel: sb.Selection, lang: Lang) -> list:
    labelled = tiers.assign(label=[tier_label(lo, hi, lang) for lo, hi in zip(tiers["lower"], tiers["upper"],
                                                                              strict=True)])
    shown = pd.DataFrame({
        t("seg_tier", lang): labelled["label"],
        t("seg_col_buyers", lang): [fmt_value(v, "people", lang) for v in tiers["buyers"]],
        t("seg_col_buyer_share", lang): [fmt_value(v, "ratio", lang) for v in tiers["buyer_share"]],
        t("seg_period_gmv", lang): [fmt_value(v, "CNY", lang) for v in tiers["gmv"]],
        t("seg_col_gmv_share", lang): [fmt_value(v, "ratio", lang) for v in tiers["gmv_share"]],
    })
    return [note(t("seg_spend_note", lang, **_period(sel, lang))), table(shown, numeric=list(shown.columns[1:])),
            charts.tier_bars(labelled, lang)]


def _group_name(value: str, lang: Lang) -> str:
    return {OTHER: t("seg_other", lang), UNKNOWN: t("seg_unknown", lang),
            "yes": t("seg_private_yes", lang), "no": t("seg_private_no", lang)}.get(value, value)


def _group_table(frame: pd.DataFrame, head_key: str, lang: Lang) -> str:
    shown = pd.DataFrame({t(head_key, lang): [_group_name(g, lang) for g in frame["group"]]})
    for k in [c for c in frame.columns if c != "group"]:
        shown[REGISTRY[k].label(lang)] = [fmt_value(v, REGISTRY[k].unit, lang) for v in frame[k]]
    return table(shown, numeric=list(shown.columns[1:]))


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Named groups first (as given), then "other" and "unknown"."""
    rank = frame["group"].map({OTHER: 1, UNKNOWN: 2}).fillna(0)
    return frame.assign(_r=rank.to_numpy()).sort_values("_r", kind="stable").drop(columns="_r")


def groups(d: sb.GroupsData, sel: sb.Selection, lang: Lang) -> list:
    items = [note(t("seg_groups_note", lang, **_period(sel, lang))),
             f'<h4 class="lo">{esc(t("seg_regions", lang, n=TOP_REGIONS))}</h4>',
             _group_table(_ordered(d.regions), "seg_region", lang),
             f'<h4 class="lo">{esc(t("seg_tiers", lang))}</h4>', _group_table(_ordered(d.tiers), "seg_member_tier", lang),
             f'<h4 class="lo">{esc(t("seg_private", lang))}</h4>', _group_table(d.private, "seg_group", lang)]
    rates = d.private.set_index("group")["view_to_order_rate"]
    x = measures.multiple(rates.get("yes"), rates.get("no"))
    if x == x:  # not NaN
        items.append(note(t("seg_private_gap", lang, x=f"{x:.2f}"), "info"))
    return items


def retention(d: Any, sel: sb.Selection, lang: Lang) -> list:
    p = _period(sel, lang)
    rows = []
    for k in RETENTION_KEYS:
        row = {t("seg_metric", lang): REGISTRY[k].label(lang)}
        for when, values, head in (("current", d.current, "seg_ret_current"), ("previous", d.previous, "seg_ret_previous")):
            why = reason_text(d.missing.get(k) or d.reasons.get((when, k)), lang)
            row[t(head, lang, period=p["period"])] = fmt_value(values[k], "ratio", lang) if values[k] is not None \
                else (why or fmt_value(None, "ratio", lang))
        rows.append(row)
    items: list = [table(pd.DataFrame(rows), numeric=[])]
    if not d.trend.dropna(how="all", subset=list(RETENTION_KEYS)).empty:
        items.append(charts.retention_lines(d.trend, RETENTION_KEYS, lang))
    return items


RENDERERS: dict[str, Callable[[Any, sb.Selection, Lang], list]] = {
    "layers": layers, "cohorts": cohorts, "new_returning": new_returning, "spending": spending, "groups": groups,
    "retention": retention}


def render(name: str, data: Any, sel: sb.Selection, lang: Lang) -> list:
    """Displayable items of section ``name``'s results ``data`` (raises :class:`UnknownSectionError`)."""
    if name not in RENDERERS:
        raise UnknownSectionError(name, tuple(RENDERERS))
    return RENDERERS[name](data, sel, lang)


def not_available(name: str, table_name: str, title: str, lang: Lang) -> str:
    """The "not available from this source" note of a section that needs viewer-level data."""
    from ...schema import TABLES

    spec = TABLES.get(table_name)
    label = (spec.zh if lang == "zh" else spec.en) if spec is not None else table_name
    return note(t("seg_not_available", lang, what=title, table=label), "na")
