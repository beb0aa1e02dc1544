"""Crafted minute frames and rules for the alert tests."""
from __future__ import annotations

from typing import Any

import pandas as pd

from liveops_nb.alerts import Rules, parse_rules

START = pd.Timestamp("2026-09-07 20:00", tz="Asia/Shanghai")


def minute(i: int) -> pd.Timestamp:
    return START + pd.Timedelta(minutes=i)


def frame(metric: str, values: list[float]) -> pd.DataFrame:
    """One session's minutes 20:00, 20:01, … with one metric column."""
    return pd.DataFrame({"minute": [minute(i) for i in range(len(values))], "offset": range(len(values)),
                         metric: [float(v) for v in values]})


def rules(*rule: dict[str, Any], **top: Any) -> Rules:
    return parse_rules({"rules": list(rule), **top}, "test.yaml")
