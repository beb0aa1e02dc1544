"""Section 9 — 下一步 Next steps: targets and actions for the next broadcast.

* For the weakest main metrics (``results.weakest`` against the page's basis —
  by default the room median of the last 10 sessions — or against the
  category P50 when that gives none) and for every diagnosis finding: a
  **target** and an **action**.
* Target (:func:`target_value`): of the room median and the category P50, the
  one nearer to the current value among those better than it in the metric's
  direction (above for "higher", below for "lower"); none when the value is
  already at least as good as both.
* GMV target for the next session = traffic × conversion × order value =
  ``uv × view_to_order_rate × aov`` (registry values; ``uv × buyers/uv ×
  gmv/buyers = gmv``), each factor raised to its target (or kept).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..config import load_benchmarks
from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import MAIN_KEYS, REGISTRY
from ..render.html import note, table
from . import diagnosis
from .results import Basis, comparison_table, prior_sessions, weakest

TITLE = ("下一步", "Next steps")
HISTORY_N = 10
WEAK_K = 3
GMV_FACTORS: tuple[str, ...] = ("uv", "view_to_order_rate", "aov")

# metric key -> action (zh, en); keys not listed use "default"
METRIC_ACTIONS: dict[str, tuple[str, str]] = {
    "avg_watch_seconds": ("开场福利 + 留人话术，每 5 分钟预告下一个福利", "Opening giveaway + retention script; tease the next perk every 5 minutes"),
    "impression_to_view_rate": ("优化封面、标题和开场画面，提升进房率", "Improve cover, title and opening shot to lift entries"),
    "product_click_rate": ("讲解时弹出商品卡并口播引导点击", "Pop the product card during pitches and ask viewers to tap it"),
    "click_to_order_rate": ("讲清使用场景和痛点，配合限时优惠与库存提醒", "Show use scenarios and pain points; add time-limited offers and stock alerts"),
    "view_to_order_rate": ("增加逼单节点：限时价、倒计时、福袋", "Add closing moments: limited-time price, countdown, lucky bags"),
    "aov": ("组合套装与满减，提高客单价", "Bundles and spend-more discounts to raise order value"),
    "uv_value": ("高峰时段讲利润款，组合套装提高客单", "Pitch profit items at peaks; bundles to raise order value"),
    "gpm": ("高峰时段讲利润款，组合套装提高客单", "Pitch profit items at peaks; bundles to raise order value"),
    "interaction_rate": ("分层互动奖励：提问抽奖、点赞解锁福利", "Tiered interaction rewards: question draws, like-to-unlock perks"),
    "follow_rate": ("关注/加粉丝团福利，主播定时口播", "Follower / fan-club perks with regular host call-outs"),
    "new_followers": ("关注/加粉丝团福利，主播定时口播", "Follower / fan-club perks with regular host call-outs"),
    "refund_rate": ("讲清尺码与质检，售后 48 小时内处理", "Explain sizes and quality checks; resolve after-sales within 48 h"),
    "paid_roi": ("更新投放人群包，按时段 A/B 测试 15/30/60 秒素材", "Refresh paid audience packs; A/B test 15/30/60 s creatives by time slot"),
    "default": ("预热短视频 + 私域预告，保证开场流量", "Warm-up short videos and private-domain notices for opening traffic"),
}
FINDING_ACTIONS: dict[str, tuple[str, str]] = {
    "short_stay": METRIC_ACTIONS["avg_watch_seconds"],
    "single_channel": ("拓展短视频引流、搜索和私域预告，把“{channel}”占比降到 50% 以下",
                       "Add short-video, search and private-domain traffic; bring '{channel}' under 50 %"),
    "rhythm_off": ("把利润款“{product}”移到第 {peak_minute} 分钟（{peak_clock}）前后的在线高峰讲解，低谷安排福利/引流款",
                   "Move profit item '{product}' to the peak slot around minute {peak_minute} ({peak_clock}); "
                   "use giveaways / traffic drivers in troughs"),
    "incident": ("推流备用线路 checklist：开播前测速、备用推流码与第二台设备、断流 1 分钟内切换并记录事故",
                 "Backup-stream checklist: speed test before going live, spare stream key and second device, "
                 "switch within 1 minute and log the incident"),
    "cart_drop": ("缩短下单路径：自动领券、库存/限时提醒、客服跟进加购未付",
                  "Shorten checkout: auto-applied coupons, stock/time reminders, service follow-up on unpaid carts"),
    "refunds": ("核查近两周退款原因（尺码/质量/描述），售后 48 小时内处理",
                "Review refund reasons of the last two weeks (size / quality / description); resolve within 48 h"),
}

register({
    "next_steps_item": ("问题 / 指标", "Gap"),
    "next_steps_now": ("本场", "This session"),
    "next_steps_target": ("下场目标", "Next target"),
    "next_steps_action": ("行动", "Action"),
    "next_steps_none": ("本场没有明显短板，保持当前打法", "No clear gaps this session; keep the current plan"),
    "next_steps_gmv_title": ("下场 GMV 目标拆解：流量 × 转化 × 客单", "Next GMV target: traffic × conversion × order value"),
    "next_steps_gmv_na": ("GMV 拆解：此数据源无法提供（需要观看人数、成交人数和成交金额）",
                          "GMV decomposition: not available from this source (needs viewers, buyers and GMV)"),
    "next_steps_factor": ("因子", "Factor"),
    "next_steps_plan": ("按下场计划目标", "To reach the next session's plan"),
    "next_steps_keep": ("保持", "keep"),
    "next_steps_target_rule": ("目标 = 房间近10场中位数与同品类 P50 中，比本场更好且更接近的一个",
                               "Target = whichever of the room's last-10 median and the category P50 is better than this "
                               "session and nearer to it"),
})


@dataclass(frozen=True)
class NextStepsData:
    """Targets and actions for the next broadcast."""

    session_id: str
    actions: pd.DataFrame  # source, key, current, target, unit, action_zh, action_en
    gmv: pd.DataFrame = field(default_factory=pd.DataFrame)  # factor, current, target
    weakest: tuple[str, ...] = ()


def target_value(value: float | None, median: float | None, bench_p50: float | None, direction: str) -> float | None:
    """The nearer of ``median`` / ``bench_p50`` among those better than ``value`` (None if neither is)."""
    if is_missing(value) or direction not in ("higher", "lower"):
        return None
    better = [float(x) for x in (median, bench_p50) if not is_missing(x)
              and (float(x) > value if direction == "higher" else float(x) < value)]
    return min(better, key=lambda x: abs(x - value)) if better else None


def metric_actions(comparison: pd.DataFrame, keys) -> pd.DataFrame:
    """One action row per weak metric ``key`` (from ``results.comparison_table``)."""
    comp = comparison.set_index("key")
    rows = []
    for k in keys:
        m = REGISTRY[k]
        zh, en = METRIC_ACTIONS.get(k, METRIC_ACTIONS["default"])
        rows.append({"source": "metric", "key": k, "current": comp.at[k, "value"], "unit": m.unit,
                     "target": target_value(comp.at[k, "value"], comp.at[k, "median"], comp.at[k, "bench_p50"], m.direction),
                     "action_zh": zh, "action_en": en})
    return pd.DataFrame(rows)


def finding_actions(findings, comparison: pd.DataFrame) -> pd.DataFrame:
    """One action row per diagnosis finding, with a target where the finding has one."""
    comp = comparison.set_index("key")
    rows = []
    for f in findings:
        zh, en = FINDING_ACTIONS[f.code]
        ev = {k: v for k, v in f.evidence.items() if not is_missing(v)}
        cur = target = None
        unit = ""
        if f.code == "short_stay" and "avg_watch_seconds" in comp.index:
            c = comp.loc["avg_watch_seconds"]
            cur, unit = c["value"], "seconds"
            target = target_value(c["value"], c["median"], c["bench_p50"], "higher")
        elif f.code == "single_channel":
            cur, target, unit = ev.get("share"), ev.get("limit"), "ratio"
        elif f.code == "cart_drop":
            cur, target, unit = ev.get("ratio"), ev.get("room_median"), "ratio"
        elif f.code == "refunds":
            cur, target, unit = ev.get("recent_rate"), ev.get("earlier_rate"), "ratio"
        rows.append({"source": "finding", "key": f.code, "current": cur, "target": target, "unit": unit,
                     "action_zh": zh.format_map(_Safe(ev)), "action_en": en.format_map(_Safe(ev))})
    return pd.DataFrame(rows)


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def gmv_decomposition(comparison: pd.DataFrame, planned_gmv: float | None = None) -> pd.DataFrame:
    """``factor, current, target, plan`` for uv, view_to_order_rate, aov and their product ``gmv``.

    ``target``: each factor's :func:`target_value` (or its current value when it is already at least as good
    as both references); the gmv row is the product. ``plan`` (when the next session has a planned
    ``gmv_target``): that GMV and the viewers needed to reach it at the target conversion and order value
    (rounded up).
    Empty when a factor is not available.
    """
    comp = comparison.set_index("key")
    rows = []
    for k in GMV_FACTORS:
        c = comp.loc[k]
        if is_missing(c["value"]):
            return pd.DataFrame(columns=["factor", "current", "target", "plan"])
        tgt = target_value(c["value"], c["median"], c["bench_p50"], REGISTRY[k].direction)
        rows.append({"factor": k, "current": float(c["value"]), "target": float(c["value"]) if tgt is None else tgt})
    df = pd.DataFrame(rows)
    df = pd.concat([df, pd.DataFrame([{"factor": "gmv", "current": df["current"].prod(), "target": df["target"].prod()}])],
                   ignore_index=True)
    df["plan"] = float("nan")
    if not is_missing(planned_gmv):
        tg = df.set_index("factor")["target"]
        per_viewer = tg["view_to_order_rate"] * tg["aov"]
        df["plan"] = [math.ceil(planned_gmv / per_viewer) if per_viewer > 0 else float("nan"), tg["view_to_order_rate"], tg["aov"],
                      float(planned_gmv)]
    return df


def next_planned_gmv(session_info: pd.DataFrame, session_id: str) -> float | None:
    """``gmv_target`` of the room's next session after ``session_id`` (None when there is none or no target)."""
    if "gmv_target" not in session_info.columns:
        return None
    me = session_info.loc[session_info["session_id"] == session_id].iloc[0]
    nxt = session_info[(session_info["room_id"] == me["room_id"]) & (session_info["start_time"] > me["start_time"])]
    if nxt.empty:
        return None
    v = nxt.sort_values("start_time")["gmv_target"].iloc[0]
    return None if is_missing(v) else float(v)


# ---------------------------------------------------------------------------------------- orchestration
def build(ds, session_id: str, *, lang: Lang = "zh", basis: Basis = "median", history_n: int = HISTORY_N,
          findings: diagnosis.DiagnosisData | None = None, **options) -> NextStepsData:
    """Targets and actions for ``session_id``.

    ``basis`` picks the weakest metrics (``results.weakest``; the category P50 is used when the basis gives
    none, e.g. a room's first session); ``findings`` reuses an already built diagnosis.
    """
    si = ds.session_info
    ds.session(session_id)
    hist = prior_sessions(si, session_id)["session_id"].iloc[-history_n:].tolist()
    keys = tuple(dict.fromkeys([*MAIN_KEYS, *GMV_FACTORS]))
    comp = comparison_table(ds.kpis(keys, where={"session_id": [*hist, session_id]}), si, session_id, history_n,
                            basis=basis, benchmarks=load_benchmarks(ds.path), keys=keys)
    weak = weakest(comp, basis, WEAK_K) or weakest(comp, "benchmark", WEAK_K)
    diag = findings if findings is not None else diagnosis.build(ds, session_id, lang=lang, history_n=history_n)
    acts = pd.concat([finding_actions(diag.findings, comp), metric_actions(comp, weak)], ignore_index=True)
    return NextStepsData(session_id, acts, gmv_decomposition(comp, next_planned_gmv(si, session_id)), tuple(weak))


def _label(row, lang: Lang) -> str:
    if row.source == "metric":
        return REGISTRY[row.key].label(lang)
    return diagnosis.RULES[row.key].title[0 if lang == "zh" else 1]


def _fmt(v, unit: str, lang: Lang, keep: bool = False) -> str:
    if is_missing(v):
        return t("next_steps_keep", lang) if keep else "—"
    return fmt_value(v, unit or "count", lang)


def render(data: NextStepsData, lang: Lang = "zh") -> list:
    """Action table (gap, now, target, action) and the GMV target decomposition."""
    items: list = []
    if data.actions.empty:
        items.append(note(t("next_steps_none", lang), "good"))
    else:
        a = data.actions
        items += [note(t("next_steps_target_rule", lang), "info"), table(pd.DataFrame({
            t("next_steps_item", lang): [_label(r, lang) for r in a.itertuples()],
            t("next_steps_now", lang): [_fmt(r.current, r.unit, lang) for r in a.itertuples()],
            t("next_steps_target", lang): [_fmt(r.target, r.unit, lang, keep=r.source == "metric") for r in a.itertuples()],
            t("next_steps_action", lang): a["action_zh" if lang == "zh" else "action_en"]}))]
    if data.gmv.empty:
        items.append(note(t("next_steps_gmv_na", lang), "na"))
    else:
        g = data.gmv
        shown = pd.DataFrame({
            t("next_steps_factor", lang): [REGISTRY[k].label(lang) for k in g["factor"]],
            t("next_steps_now", lang): [fmt_value(v, REGISTRY[k].unit, lang) for k, v in zip(g["factor"], g["current"])],
            t("next_steps_target", lang): [fmt_value(v, REGISTRY[k].unit, lang) for k, v in zip(g["factor"], g["target"])]})
        if g["plan"].notna().any():
            shown[t("next_steps_plan", lang)] = [fmt_value(v, REGISTRY[k].unit, lang) for k, v in zip(g["factor"], g["plan"])]
        items += [note(t("next_steps_gmv_title", lang), "info"), table(shown, numeric=list(shown.columns[1:]))]
    return items


def key_figures(data: NextStepsData) -> dict[str, float | str | None]:
    """GMV target and its factors, the weakest metrics, the number of actions and each weak metric's target."""
    out: dict[str, float | str | None] = {"n_actions": float(len(data.actions)), "weakest": ",".join(data.weakest)}
    g = data.gmv.set_index("factor") if not data.gmv.empty else None
    for k in (*GMV_FACTORS, "gmv"):
        out[f"{k}_current"] = None if g is None else float(g.at[k, "current"])
        out[f"{k}_target"] = None if g is None else float(g.at[k, "target"])
        out[f"{k}_plan"] = None if g is None or is_missing(g.at[k, "plan"]) else float(g.at[k, "plan"])
    weak = data.actions[data.actions["source"] == "metric"] if not data.actions.empty else data.actions
    for i in range(WEAK_K):
        row = weak.iloc[i] if i < len(weak) else None
        out[f"weak_{i + 1}_key"] = None if row is None else str(row["key"])
        out[f"weak_{i + 1}_current"] = None if row is None or is_missing(row["current"]) else float(row["current"])
        out[f"weak_{i + 1}_target"] = None if row is None or is_missing(row["target"]) else float(row["target"])
    return out
