"""Words shared by the diagnosis and the next steps: what a number shows (its scope), the levers,
the names of the non-registry figures, and a finding's figures as one labelled line."""
from __future__ import annotations

from collections.abc import Iterable

from ...metrics import REGISTRY
from ...review.findings import Figure
from ..fmt import fmt_value
from ..i18n import Lang, register, t

register({
    "scope_session": ("本场", "this session"),
    "scope_previous": ("上一场", "previous session"),
    "scope_median": ("房间近{n}场中位数", "room median, last {n} sessions"),
    "scope_benchmark": ("同品类 P50", "category P50"),
    "scope_target": ("本场目标", "session target"),
    "scope_recent": ("近{n}天（本房间）", "room, last {n} days"),
    "scope_earlier": ("此前{n}天（本房间）", "room, {n} days before"),
    "scope_history": ("房间近{n}场", "room, last {n} sessions"),
    "scope_next": ("下场", "next session"),
    "lever_traffic": ("流量", "traffic"),
    "lever_conversion": ("转化", "conversion"),
    "lever_order_value": ("客单", "order value"),
    "lever_retention": ("停留", "retention"),
    "lever_engagement": ("互动/涨粉", "engagement"),
    "lever_after_sales": ("售后", "after-sales"),
    "lever_paid": ("投放", "paid traffic"),
    "lever_stability": ("直播稳定性", "stream stability"),
    "figure_channel_share": ("最大渠道观看人数占比", "top channel's share of viewers"),
    "figure_cart_to_buyer": ("加购→成交转化", "cart→buyer conversion"),
    "figure_pitch_online": ("该讲解平均在线", "average online during the pitch"),
    "figure_median_online": ("全场在线中位数", "session median online"),
    "figure_outage_minutes": ("断流分钟数", "outage minutes"),
    "figure_incidents_logged": ("事故记录条数", "incidents logged"),
})


def scope_text(scope: str | None, n: int | None = None, lang: Lang = "zh") -> str:
    """The scope of a number in words ("本场", "房间近10场中位数", "近14天（本房间）")."""
    if not scope:
        return ""
    return t(f"scope_{scope}", lang, n="—" if n is None else int(n))


def lever_text(lever: str | None, lang: Lang = "zh") -> str:
    """A lever in words ("流量", "conversion"); "—" without one."""
    return "—" if not lever else t(f"lever_{lever}", lang)


def figure_name(name: str, lang: Lang = "zh") -> str:
    """A figure's name: the registry label of a metric, else the measure's words."""
    return REGISTRY[name].label(lang) if name in REGISTRY else t(f"figure_{name}", lang)


def figure_value(fig: Figure, lang: Lang = "zh") -> str:
    """One figure as "scope value" ("本场 26.5%")."""
    return f"{scope_text(fig.scope, fig.n, lang)} {fmt_value(fig.value, fig.unit, lang)}"


def figures_line(figures: Iterable[Figure], lang: Lang = "zh") -> str:
    """A finding's figures grouped by name: "退款率：本场 26.5% · 房间近10场中位数 12.5% · 近14天（本房间）10.9%"."""
    groups: dict[str, list[Figure]] = {}
    for f in figures:
        groups.setdefault(f.name, []).append(f)
    sep = "：" if lang == "zh" else ": "
    parts = [f"{figure_name(name, lang)}{sep}" + " · ".join(figure_value(f, lang) for f in figs)
             for name, figs in groups.items()]
    return ("；" if lang == "zh" else "; ").join(parts)
