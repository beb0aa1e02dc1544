"""Views of the period review's results, GMV bridge and next-period plan: ``render(data, lang) -> list`` of
displayable items (HTML strings, charts) and ``sheet(data, lang) -> DataFrame`` (the section's table for the
workbook), in 中文 or English."""
from __future__ import annotations

import pandas as pd

from ... import measures
from ...metrics import REGISTRY
from ...period.bridge import EFFECTS, BridgeData
from ...period.goals import KEYS, TOTAL, GoalsData
from ...period.plan import PlanData
from ..html import esc, note, table
from ..i18n import Lang, t
from . import text as w


# ------------------------------------------------------------------ results vs goals
def results_sheet(data: GoalsData, lang: Lang = "zh") -> pd.DataFrame:
    """One row per scope and metric, formatted, with every reference."""
    rows = []
    for _, r in data.table.iterrows():
        k = r["key"]
        rows.append({
            t("period_scope", lang): w.scope_name(r["scope"], r["name"], lang),
            t("period_metric", lang): w.label(k, lang),
            t("period_value", lang): w.value(r["value"], k, lang),
            t("period_previous", lang, label=data.previous): f"{w.value(r['previous'], k, lang)} ({w.delta(r['rel_previous'])})",
            t("period_cycle", lang, label=data.cycle): f"{w.value(r['cycle'], k, lang)} ({w.delta(r['rel_cycle'])})",
            (t("period_history", lang, n=int(r["n_history"])) if int(r["n_history"]) else
             t("period_history_none", lang)): f"{w.value(r['history'], k, lang)} ({w.delta(r['rel_history'])})",
            t("period_bench", lang): ("—" if w.is_na(r["bench_p50"]) else
                                      f"{w.value(r['bench_p50'], k, lang)} / {w.value(r['bench_p75'], k, lang)}"),
            t("period_target", lang): w.value(r["target"], k, lang),
            t("period_attainment", lang): w.ratio(r["attainment"], lang),
            t("period_forecast", lang): w.value(r["forecast"], k, lang),
            t("period_gap", lang): w.value(r["gap"], k, lang),
        })
    return pd.DataFrame(rows)


def results_summary(data: GoalsData, lang: Lang = "zh") -> list[str]:
    """The summary line and the GMV target line of the total."""
    g = data.row(TOTAL, "gmv")
    lines = [t("period_summary", lang, gmv=w.money(g["value"], lang), prev=w.delta(g["rel_previous"]),
               cycle=w.delta(g["rel_cycle"]), n=data.n_sessions.get(TOTAL, 0))]
    if w.is_na(g["target"]):
        lines.append(t("period_no_target", lang))
    else:
        lines.append(t("period_target_line", lang, target=w.money(g["target"], lang), att=w.ratio(g["attainment"], lang),
                       elapsed=data.elapsed, days=data.days, fc=w.money(g["forecast"], lang),
                       gap=w.money(g["gap"], lang, signed=True)))
    return lines


def render_results(data: GoalsData, lang: Lang = "zh") -> list:
    """Summary, the total's table against every reference, the rooms' values with their change, benchmark note."""
    items: list = [note(line, "info") for line in results_summary(data, lang)]
    sheet = results_sheet(data, lang)
    scope_col = t("period_scope", lang)
    items.append(table(sheet[sheet[scope_col] == t("period_total", lang)].drop(columns=[scope_col])))
    rooms = data.table[data.table["scope"] != TOTAL]
    if rooms["scope"].nunique() > 1:
        grid = []
        for scope, g in rooms.groupby("scope", sort=False):
            g = g.set_index("key")
            grid.append({t("period_scope", lang): w.scope_name(str(scope), g["name"].iloc[0], lang),
                         t("period_sessions", lang): str(data.n_sessions.get(str(scope), 0)),
                         **{w.label(k, lang): f"{w.value(g.at[k, 'value'], k, lang)} ({w.delta(g.at[k, 'rel_previous'])})"
                            for k in KEYS}})
        items.append(table(pd.DataFrame(grid)))
    items.append(note(t("period_bench_illustrative", lang) if data.illustrative
                      else t("period_bench_source", lang, src=data.bench_source), "warn" if data.illustrative else "info"))
    return items


# ------------------------------------------------------------------ GMV bridge
def bridge_sheet(data: BridgeData, lang: Lang = "zh") -> pd.DataFrame:
    """Per scope: GMV before / after, the change and the three effects (numbers, CNY)."""
    cols = {"gmv_before": f"GMV {data.before}", "gmv_after": f"GMV {data.after}", "change": t("period_change", lang),
            **{e: t(f"period_effect_{e}", lang) for e in EFFECTS}}
    if data.table.empty:
        return pd.DataFrame(columns=[t("period_scope", lang), *cols.values()])
    out = data.table[["scope", "name", *cols]].copy()
    out.insert(0, t("period_scope", lang), [w.scope_name(s, n, lang) for s, n in zip(out["scope"], out["name"], strict=True)])
    return out.drop(columns=["scope", "name"]).rename(columns=cols)


def render_bridge(data: BridgeData, lang: Lang = "zh") -> list:
    """The total's sentence and waterfall, the method, and the per-room table."""
    tot = data.table[data.table["scope"] == TOTAL] if not data.table.empty else data.table
    if tot.empty or w.is_na(tot["change"].iloc[0]):
        return [note(t("period_bridge_none", lang), "na")]
    r = tot.iloc[0]
    items: list = [note(t("period_bridge_line", lang, before=w.money(r["gmv_before"], lang), after=w.money(r["gmv_after"], lang),
                          change=w.money(r["change"], lang, signed=True),
                          **{e: w.money(r[e], lang, signed=True) for e in EFFECTS}), "info")]
    from ...charts.period import waterfall  # altair: imported when a chart is drawn

    items.append(waterfall(r, data.before, data.after, lang))
    items.append(note(t("period_bridge_method", lang), "info"))
    sheet = bridge_sheet(data, lang)
    shown = sheet.copy()
    for i, c in enumerate(shown.columns[1:]):
        shown[c] = [w.money(v, lang, signed=i >= 2) for v in shown[c]]  # GMV before / after; change and effects signed
    items.append(table(shown, numeric=list(shown.columns[1:])))
    return items


# ------------------------------------------------------------------ plan
def plan_sheet(data: PlanData, lang: Lang = "zh") -> pd.DataFrame:
    """Per scope and lever: now, history median, plan; and the target."""
    rows = []
    for _, r in data.table.iterrows():
        for k in ("uv", "view_to_order_rate", "aov"):
            rows.append({t("period_scope", lang): w.scope_name(r["scope"], r["name"], lang),
                         t("period_lever", lang): w.label(k, lang),
                         t("period_now", lang): w.value(r[f"{k}_now"], k, lang),
                         t("period_history", lang, n=""): w.value(r.get(f"{k}_history", float("nan")), k, lang),
                         t("period_plan", lang): w.value(r[f"{k}_plan"], k, lang),
                         t("period_target", lang): w.money(r["target"], lang)})
    return pd.DataFrame(rows)


def render_plan(data: PlanData, tests: list[str] | None = None, lang: Lang = "zh") -> list:
    """The total's target split into levels, the rule, the table per room, suggested tests and the user layers."""
    items: list = []
    tot = data.table[data.table["scope"] == TOTAL]
    if len(tot):
        r = tot.iloc[0]
        source = (t("period_plan_file", lang) if r["target_source"] == "file"
                  else t("period_plan_growth", lang, pct=w.ratio(data.growth, lang)))
        items.append(note(t("period_plan_line", lang, label=data.period, target=w.money(r["target"], lang), source=source,
                            uv=w.value(r["uv_plan"], "uv", lang), conv=w.value(r["view_to_order_rate_plan"], "view_to_order_rate", lang),
                            aov=w.value(r["aov_plan"], "aov", lang)), "info"))
    items.append(note(t("period_plan_rule", lang), "info"))
    items.append(table(plan_sheet(data, lang)))
    if tests:
        body = "".join(f"<li>{esc(x)}</li>" for x in tests)
        items.append(f'<div class="lo">{esc(t("period_tests", lang))}<ul>{body}</ul></div>')
    items.append(note(t("period_layers", lang), "info"))
    return items


def suggested_tests(plan: PlanData, recurring: pd.DataFrame | None, lang: Lang = "zh") -> list[str]:
    """Open questions to test: the lever the plan leans on most (the largest planned lift), then the recurring
    problems found in at least two sessions."""
    out = []
    tot = plan.table[plan.table["scope"] == TOTAL]
    if len(tot):
        r = tot.iloc[0]
        lifts = {k: measures.multiple(r[f"{k}_plan"], r[f"{k}_now"]) for k in ("uv", "view_to_order_rate", "aov")}
        lifts = {k: (0.0 if w.is_na(v) else v) for k, v in lifts.items()}
        best = max(lifts, key=lambda k: lifts[k])
        if lifts[best] > 1:
            out.append(t("period_test_lever", lang, lever=REGISTRY[best].label(lang)))
    if recurring is not None:
        for _, p in recurring[recurring["n_sessions"] >= 2].head(3).iterrows():
            out.append(t("period_test_problem", lang, title=w.problem_title(p["source"], p["code"], lang), n=int(p["n_sessions"])))
    return out


