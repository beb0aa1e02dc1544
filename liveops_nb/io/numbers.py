"""Platform-export numbers: ``"¥236,552"``, ``"15.28%"``, ``"1.2万"``, ``"1分5秒"``, ``"-"``."""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..errors import NumberFormatError

MISSING_TOKENS = {"", "-", "--", "—", "nan", "NaN", "null", "NULL", "None", "N/A", "n/a"}
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s))?$")
_WAN = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(万|w|W|亿)$")


def parse_number(value: Any) -> float | None:
    """Parse a platform-export number: ``"¥236,552"``, ``"15.28%"``, ``"1.2万"``, ``"1分5秒"``, ``"-"``.

    Returns ``None`` for the missing-value tokens and raises ``ValueError`` for
    anything else that is not a number. Percentages become fractions, 万 = 10 000,
    亿 = 10^8, durations become seconds.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    s = str(value).strip()
    if s in MISSING_TOKENS:
        return None
    s = s.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    if s.endswith("%"):
        return float(s[:-1]) / 100.0
    m = _WAN.match(s)
    if m:
        return float(m.group(1)) * {"万": 1e4, "w": 1e4, "W": 1e4, "亿": 1e8}[m.group(2)]
    try:
        return float(s)
    except ValueError:
        pass
    m = _DURATION.match(s)
    if m and any(m.groups()):
        h, mi, se = (float(g) if g else 0.0 for g in m.groups())
        return h * 3600 + mi * 60 + se
    raise NumberFormatError(value)


