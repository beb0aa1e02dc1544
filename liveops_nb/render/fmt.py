"""Formatting numbers for people: money, rates, durations, counts — in 中文 or English."""
from __future__ import annotations

import math

import pandas as pd

from .i18n import Lang, t


def is_missing(value) -> bool:
    """None, NaN or ``pd.NA`` (a missing nullable integer)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt_value(value, unit: str, lang: Lang = "zh") -> str:
    """Format ``value`` by its metric unit ("CNY", "ratio", "seconds", "people", "x", ...)."""
    if is_missing(value):
        return "—"
    v = float(value)
    if unit == "CNY":
        if abs(v) >= 1e6 and lang == "zh":
            return f"¥{v / 1e4:,.1f}万"
        return f"¥{v:,.0f}" if abs(v) >= 100 else f"¥{v:,.2f}"
    if unit == "ratio":
        return f"{v * 100:.1f}%" if abs(v) >= 0.01 else f"{v * 100:.2f}%"
    if unit == "seconds":
        m, s = divmod(int(round(v)), 60)
        if lang == "zh":
            return f"{m}分{s:02d}秒" if m else f"{s}秒"
        return f"{m}m {s:02d}s" if m else f"{s}s"
    if unit == "x":
        return f"{v:.2f}"
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}"
    return f"{v:,.1f}"


def fmt_delta(rel: float | None, lang: Lang = "zh") -> str:
    """A relative change as "+12.3%" (or "—")."""
    if rel is None or is_missing(rel):
        return "—"
    return f"{rel * 100:+.1f}%"


def na(lang: Lang = "zh") -> str:
    return t("not_available", lang)
