"""The metric registry: one definition per number.

Every KPI the workbench shows is a :class:`Metric` registered here, with a
stable key, 中文 and English labels, the formula in words, unit, denominator
kind (PV 次数 / UV 人数) and direction. Values are computed by
:mod:`liveops_nb.engine` from per-session *base quantities* (counts and sums);
a metric is either one base quantity or a ratio of two, so no screen can
compute "conversion" with a different denominator than another.

A metric whose inputs are missing in the dataset is reported as not available,
with the reason, never estimated.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from .errors import UnknownMetricError

Lang = Literal["zh", "en"]
Direction = Literal["higher", "lower", "neutral"]
Denominator = Literal["PV", "UV", "amount", "none"]


@dataclass(frozen=True)
class Metric:
    """One registered KPI.

    Attributes
    ----------
    key : stable identifier (snake_case; never renamed).
    zh, en : display labels.
    formula_zh, formula_en : the definition in words.
    unit : "people", "times", "CNY", "ratio", "seconds", ...
    denominator : "UV" (人数), "PV" (次数), "amount" (money) or "none" for counts.
    direction : whether higher or lower is better ("neutral" for scale counts).
    numerator : base quantity on top (for a count metric, the quantity itself).
    denominator_base : base quantity below for ratio metrics (None for counts).
    scale : multiplier applied to the ratio (1000 for GPM).
    requires : the input tables that must be present (any one of each tuple).
    main : shown in the session list and the KPI cards.
    """

    key: str
    zh: str
    en: str
    formula_zh: str
    formula_en: str
    unit: str
    denominator: Denominator
    direction: Direction
    numerator: str
    denominator_base: str | None = None
    scale: float = 1.0
    main: bool = False

    def label(self, lang: Lang = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def formula(self, lang: Lang = "zh") -> str:
        return self.formula_zh if lang == "zh" else self.formula_en

    @property
    def is_ratio(self) -> bool:
        return self.denominator_base is not None

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.numerator,) + ((self.denominator_base,) if self.denominator_base else ())


class _Registry(Mapping[str, Metric]):
    """Read-only view of the registered metrics; an unknown key raises :class:`UnknownMetricError`."""

    def __init__(self, entries: dict[str, Metric]) -> None:
        self._entries = entries

    def __getitem__(self, key: str) -> Metric:
        try:
            return self._entries[key]
        except KeyError:
            raise UnknownMetricError(key, self._entries) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


_METRICS: dict[str, Metric] = {}
REGISTRY: Mapping[str, Metric] = _Registry(_METRICS)
"""Every registered metric by key (read-only; the definitions below are the only entries)."""


def _register(metric: Metric) -> Metric:
    assert metric.key not in _METRICS, f"metric '{metric.key}' registered twice"
    _METRICS[metric.key] = metric
    return metric


def get(key: str) -> Metric:
    """The metric ``key``; raises :class:`UnknownMetricError` (with the known keys) for anything else."""
    return REGISTRY[key]


def _count(key, zh, en, fzh, fen, unit="people", denominator="none", direction="higher", numerator=None, main=False):
    return _register(Metric(key, zh, en, fzh, fen, unit, denominator, direction, numerator or key, main=main))


def _ratio(key, zh, en, fzh, fen, num, den, unit="ratio", denominator="UV", direction="higher", scale=1.0, main=False):
    return _register(Metric(key, zh, en, fzh, fen, unit, denominator, direction, num, den, scale, main))


# --- traffic --------------------------------------------------------------
_count("impressions", "直播间曝光人数", "Room impressions (people)",
       "直播间在信息流中被展示的去重人数", "distinct people the room was shown to in a feed")
_count("views", "观看次数", "Views (PV)", "进入直播间的次数（含重复进入）",
       "room entries, revisits counted", unit="times", main=True)
_count("uv", "观看人数", "Viewers (UV)", "进入直播间的去重人数", "distinct viewers", main=True)
_count("pcu", "最高在线人数", "Peak concurrent viewers", "分钟在线人数的最大值",
       "maximum of per-minute online viewers", main=True)
_ratio("acu", "平均在线人数", "Average concurrent viewers", "分钟在线人数之和 / 直播分钟数（即分钟在线人数的平均值）",
       "sum of per-minute online viewers / broadcast minutes (the mean of per-minute online)",
       "online_minutes", "broadcast_minutes", unit="people", denominator="none", direction="higher", main=True)
_ratio("avg_watch_seconds", "人均观看时长", "Average watch time", "总观看时长 / 观看人数",
       "total watch time / viewers (UV)", "watch_seconds", "uv", unit="seconds", main=True)
# --- sales ----------------------------------------------------------------
_count("gmv", "成交金额", "GMV", "本场下单并支付的金额（含之后退款）",
       "amount paid for orders placed in the session (incl. later refunds)", unit="CNY", main=True)
_count("orders", "成交订单数", "Orders", "本场支付订单数", "paid orders placed in the session", unit="orders", main=True)
_count("buyers", "成交人数", "Buyers", "本场有支付订单的去重人数", "distinct people with a paid order", main=True)
_count("units", "成交件数", "Units sold", "本场支付订单的商品件数合计", "items in paid orders", unit="units")
_ratio("aov", "客单价", "Average order value per buyer", "成交金额 / 成交人数", "GMV / buyers",
       "gmv", "buyers", unit="CNY", denominator="UV", main=True)
_ratio("uv_value", "UV价值", "UV value", "成交金额 / 观看人数", "GMV / viewers (UV)",
       "gmv", "uv", unit="CNY", denominator="UV", main=True)
_ratio("gpm", "千次观看成交金额", "GPM (GMV per 1,000 views)", "成交金额 / 观看次数 × 1000（按次数PV，不按人数）",
       "GMV / views (PV, not UV) × 1000", "gmv", "views", unit="CNY", denominator="PV", scale=1000.0, main=True)
# --- funnel (people) --------------------------------------------------------
_ratio("impression_to_view_rate", "曝光-观看率(人数)", "Impression→view rate (people)",
       "观看人数 / 直播间曝光人数", "viewers (UV) / room-impression people", "uv", "impressions", main=True)
_ratio("product_impression_rate", "观看-商品曝光率(人数)", "View→product-impression rate (people)",
       "商品曝光人数 / 观看人数", "product-impression people / viewers (UV)", "product_impression_uv", "uv")
_ratio("product_click_rate", "商品曝光-点击率(人数)", "Product impression→click rate (people)",
       "商品点击人数 / 商品曝光人数", "product-click people / product-impression people",
       "product_click_uv", "product_impression_uv", main=True)
_ratio("click_to_order_rate", "商品点击-成交转化率(人数)", "Click→order conversion (people)",
       "成交人数 / 商品点击人数", "buyers / product-click people", "buyers", "product_click_uv", main=True)
_ratio("view_to_order_rate", "观看-成交转化率(人数)", "View→order conversion (people)",
       "成交人数 / 观看人数", "buyers / viewers (UV)", "buyers", "uv", main=True)
# --- engagement -------------------------------------------------------------
_ratio("interaction_rate", "互动率", "Interaction rate", "点赞、评论或分享的去重人数 / 观看人数",
       "people who liked, commented or shared / viewers (UV)", "interaction_uv", "uv", main=True)
_count("new_followers", "新增粉丝数", "New followers", "本场新关注人数", "people who followed during the session", main=True)
_ratio("follow_rate", "转粉率", "Follow rate", "新增粉丝数 / 观看人数", "new followers / viewers (UV)",
       "new_followers", "uv", main=True)
_ratio("valid_comment_ratio", "有效弹幕占比", "Valid comment ratio",
       "非刷屏、非重复、非纯表情的观众评论 / 观众评论总数（规则见 docs/comment-rules.md）",
       "viewer comments that are not spam, repeats or emoji-only / viewer comments (rules: docs/comment-rules.md)",
       "valid_comments", "viewer_comments", denominator="PV")
_count("questions", "观众提问数", "Viewer questions", "观众评论中的提问条数", "viewer comments that ask a question",
       unit="times", direction="neutral")
_ratio("answer_coverage", "主播应答覆盖率", "Host answer coverage", "主播回复过的提问 / 观众提问数",
       "questions the host replied to / viewer questions", "answered_questions", "questions", denominator="PV")
# --- after-sales and money ----------------------------------------------------
_ratio("refund_rate", "退款率", "Refund rate", "退款金额 / 成交金额", "refund amount / GMV",
       "refund_amount", "gmv", denominator="amount", direction="lower", main=True)
_count("paid_spend", "投放消耗", "Paid spend", "付费渠道消耗合计", "spend on paid channels",
       unit="CNY", direction="neutral")
_ratio("paid_roi", "投放ROI", "Paid ROI", "付费渠道带来的成交金额 / 投放消耗", "GMV from paid channels / paid spend",
       "paid_gmv", "paid_spend", unit="x", denominator="amount", main=True)
# --- retention --------------------------------------------------------------
_ratio("next_day_return_rate", "次日回访率", "Next-day return rate",
       "本场观众中次日再次观看同一直播间的人数 / 观看人数",
       "viewers who watch the same room again the next day / viewers (UV)", "next_day_returners", "uv")
_ratio("repurchase_rate", "复购率", "Repurchase rate",
       "本场买家中此前90天内在同一直播间买过的人数 / 成交人数",
       "buyers who also bought in the same room in the previous 90 days / buyers", "repeat_buyers", "buyers")

MAIN_KEYS: tuple[str, ...] = tuple(k for k, m in REGISTRY.items() if m.main)

# Base quantities: what the engine computes for any grouping (see liveops_nb.engine), how a group's value is
# formed from its rows, and where each comes from. Every metric above is one of them or a ratio of two.
BaseKind = Literal["sum", "people", "max"]


@dataclass(frozen=True)
class Base:
    """One base quantity.

    Attributes
    ----------
    name : column name in the engine's base-quantity tables.
    kind : ``"sum"`` (counts and money: summed over a group), ``"people"`` (distinct viewers with a
        property: with viewer-level data each person is counted once per group; from aggregate-only
        data it is a sum over sessions, flagged as such) or ``"max"`` (peak).
    table : the viewer-level table it is derived from.
    aggregate : the platform table.column that can supply it per session ("" if none).
    """

    name: str
    kind: BaseKind
    table: str
    aggregate: str = ""


BASES: Mapping[str, Base] = MappingProxyType({b.name: b for b in (
    Base("impressions", "people", "events", "sessions.impressions"),
    Base("views", "sum", "events", "sessions.views"),
    Base("uv", "people", "events", "sessions.uv"),
    Base("pcu", "max", "events", "minute_stats.online"),
    Base("online_minutes", "sum", "events", "minute_stats.online"),
    Base("broadcast_minutes", "sum", "sessions"),
    Base("watch_seconds", "sum", "events", "sessions.avg_watch_seconds"),
    Base("gmv", "sum", "orders", "sessions.gmv"),
    Base("orders", "sum", "orders", "sessions.orders"),
    Base("buyers", "people", "orders", "sessions.buyers"),
    Base("units", "sum", "orders", "sessions.units"),
    Base("refund_amount", "sum", "orders", "sessions.refund_amount"),
    Base("product_impression_uv", "people", "events", "sessions.product_impression_uv"),
    Base("product_click_uv", "people", "events", "sessions.product_click_uv"),
    Base("interaction_uv", "people", "events", "sessions.interaction_uv"),
    Base("new_followers", "sum", "events", "sessions.new_followers"),
    Base("paid_spend", "sum", "channels", "channels.spend"),
    Base("paid_gmv", "sum", "orders", "channels.gmv"),
    Base("viewer_comments", "sum", "comments"),
    Base("valid_comments", "sum", "comments"),
    Base("questions", "sum", "comments"),
    Base("answered_questions", "sum", "comments"),
    Base("next_day_returners", "people", "events"),
    Base("repeat_buyers", "people", "orders"),
)})
BASE_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType({b.name: (b.table, b.aggregate) for b in BASES.values()})
"""Base quantity -> (viewer-level table, platform table.column): where each can come from."""


def metrics_table(lang: Lang = "zh"):
    """The registry as a pandas DataFrame (for docs and the 口径 glossary on pages)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "key": m.key,
                "label": m.label(lang),
                "formula": m.formula(lang),
                "unit": m.unit,
                "denominator": m.denominator,
                "direction": m.direction,
            }
            for m in REGISTRY.values()
        ]
    )
