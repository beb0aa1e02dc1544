"""The alert log: append-only JSON lines, acknowledgements, two real processes appending at once."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb.alerts import Alert
from liveops_nb.alerts.log import acknowledge, log_alerts, log_path, read_log, records
from liveops_nb.errors import AlertLogError, LiveOpsError

from .helpers import minute

ROOT = Path(__file__).resolve().parents[2]


def _alert(i: int, session: str = "S1", rule: str = "outage") -> Alert:
    return Alert(rule, "online", session, "R1", minute(i), minute(i + 2), 1.0, 3.0, "high", "threshold_below",
                 minute(i + 1), None, {"minutes": 2})


def test_alerts_are_logged_once_and_acknowledged(tmp_path: Path) -> None:
    a, b = _alert(1), _alert(5)
    assert log_alerts(tmp_path, [a, b], at="2026-09-07T20:03:00+08:00") == [a.id, b.id]
    assert log_alerts(tmp_path, [a, b, _alert(9)]) == [_alert(9).id]  # a refresh logs only the new one
    acknowledge(tmp_path, a.id, "小美", note="切备用线路", at="2026-09-07T20:05:00+08:00")
    log = read_log(tmp_path)
    assert log["alert_id"].tolist() == [a.id, b.id, _alert(9).id]
    first = log.iloc[0]
    assert (first.acknowledged, first.ack_by, first.ack_at, first.ack_note) == (True, "小美",
                                                                                "2026-09-07T20:05:00+08:00", "切备用线路")
    assert not log.iloc[1].acknowledged and pd.isna(log.iloc[1].ack_by)
    assert [r["type"] for r in records(tmp_path)] == ["alert", "alert", "alert", "ack"]  # nothing rewritten
    assert len(read_log(tmp_path, session_id="S2")) == 0


def test_bad_acknowledgements_and_a_damaged_line(tmp_path: Path) -> None:
    with pytest.raises(AlertLogError, match="no alert"):
        acknowledge(tmp_path, "nope", "me")
    log_alerts(tmp_path, [_alert(1)])
    with pytest.raises(LiveOpsError):
        acknowledge(tmp_path, _alert(1).id, " ")
    with open(log_path(tmp_path), "a", encoding="utf-8") as f:
        f.write("{not json\n")
    with pytest.raises(AlertLogError, match="line 2"):
        read_log(tmp_path)
    assert read_log(tmp_path / "none").empty


WRITER = """
import sys
from liveops_nb.alerts import Alert
from liveops_nb.alerts.log import log_alerts, acknowledge
import pandas as pd
import time
from pathlib import Path
folder, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
(Path(folder) / f"ready-{tag}").touch()
while not (Path(folder) / "go").exists():  # both start appending at the same moment
    time.sleep(0.01)
t0 = pd.Timestamp("2026-09-07 20:00", tz="Asia/Shanghai")
for i in range(n):
    a = Alert("r", "online", tag, "R1", t0 + pd.Timedelta(minutes=i), None, 1.0, 2.0, "low", "threshold_below",
              t0 + pd.Timedelta(minutes=i), None, {"i": i, "pad": "x" * 300})
    log_alerts(folder, [a])
    if i % 10 == 0:
        acknowledge(folder, a.id, tag)
"""


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    n = 80
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), tag, str(n)], cwd=ROOT)
             for tag in ("A", "B")]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{tag}").exists() for tag in ("A", "B")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.05)
    (tmp_path / "go").touch()
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    lines = log_path(tmp_path).read_text(encoding="utf-8").splitlines()
    recs = [json.loads(line) for line in lines]  # every line whole
    assert len(recs) == 2 * (n + n // 10)
    log = read_log(tmp_path)
    assert sorted(log.groupby("session_id").size().items()) == [("A", n), ("B", n)]
    assert int(log["acknowledged"].sum()) == 2 * (n // 10)
