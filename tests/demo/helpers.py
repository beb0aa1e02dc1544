"""Small helpers shared by the demo tests."""
from __future__ import annotations

import pandas as pd

from liveops_nb import demo

TZ = "Asia/Shanghai"
START = pd.Timestamp(demo.START_DATE.isoformat(), tz=TZ)


def week_start(week: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=7 * (week - 1))


def session_events(t: dict[str, pd.DataFrame], sid: str) -> pd.DataFrame:
    return t["events"][t["events"]["session_id"] == sid]
