"""``liveops alerts`` on the tiny dataset with a hand-made inventory: show, log, acknowledge, errors.

Tiny session S1 (20:00–20:05): p1 sells 1 unit at 20:01:20 and 1 at 20:03:40, p2 2 units at 20:03:30. With a stock
of 2 × p1 and 3 × p2, p1 is sold out from 20:03 (and below 10 % of its stock, 0.2); p2 keeps 1 (not below 0.3).
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb import alerts
from liveops_nb.cli import main

RULES = """
rules:
  - {id: sold_out, metric: stock_left, comparison: at_or_below, threshold: 0, severity: high}
  - {id: stock_low, metric: stock_left, threshold: {ratio: 0.1, of: stock}, severity: low}
"""
SOLD_OUT_ID = "S1|sold_out|p1|2026-09-07T20:03:00+08:00"


@pytest.fixture()
def folder(tiny_dir: Path) -> Path:
    pd.DataFrame({"session_id": ["S1", "S1"], "product_id": ["p1", "p2"], "stock": [2, 3]}).to_csv(
        tiny_dir / "inventory.csv", index=False)
    (tiny_dir / "alert_rules.yaml").write_text(RULES, encoding="utf-8")
    return tiny_dir


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_sold_out_on_the_tiny_dataset(folder: Path) -> None:
    import liveops_nb

    ds = liveops_nb.open(folder)
    a, low = alerts.evaluate(ds, "S1")
    assert (a.id, a.code, a.value, a.threshold) == (SOLD_OUT_ID, "stock_out", 0.0, 0.0)
    assert (low.rule_id, low.product_id, low.start, low.threshold) == ("stock_low", "p1", a.start, 0.2)
    assert a.fired_at == pd.Timestamp("2026-09-07 20:03", tz="Asia/Shanghai")
    assert not alerts.evaluate(ds, "S1", upto=2)  # at 20:02 p1 still has 1
    assert not alerts.evaluate(ds, "S2")  # no inventory for S2


def test_show_log_and_acknowledge(folder: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("LIVEOPS_DATA", raising=False)
    code, out, _ = _run(capsys, "alerts", "--data", folder, "--session", "S1", "--format", "csv")
    rows = pd.read_csv(io.StringIO(out))
    assert code == 0 and rows["alert_id"].tolist() == [SOLD_OUT_ID, SOLD_OUT_ID.replace("sold_out", "stock_low")]
    code, out, _ = _run(capsys, "alerts", "--data", folder, "--session", "S1", "--log", "--lang", "en")
    assert code == 0 and "口红 sold out (stock at the start: 2)" in out  # products by name
    code, out, _ = _run(capsys, "alerts", "ack", SOLD_OUT_ID, "--by", "小美", "--note", "补货", "--data", folder)
    assert code == 0 and "小美" in out
    code, out, _ = _run(capsys, "alerts", "log", "--data", folder, "--format", "csv")
    log = pd.read_csv(io.StringIO(out))
    assert log[["alert_id", "acknowledged", "ack_by", "ack_note"]].values.tolist()[0] == [SOLD_OUT_ID, True, "小美", "补货"]
    assert log["acknowledged"].tolist() == [True, False]


def test_errors_are_messages(folder: Path, capsys) -> None:
    code, _, err = _run(capsys, "alerts", "--data", folder, "--session", "S9")
    assert code == 1 and "S9" in err
    code, _, err = _run(capsys, "alerts", "ack", "nope", "--by", "me", "--data", folder)
    assert code == 1 and "no alert 'nope'" in err
    (folder / "alert_rules.yaml").write_text("rules:\n  - {id: x, metric: online, threshold: {ratio: 2, of: mean}}\n",
                                            encoding="utf-8")
    code, _, err = _run(capsys, "alerts", "--data", folder, "--session", "S1")
    assert code == 1 and "rule 'x', field 'threshold.of'" in err
    code, _, err = _run(capsys, "alerts", "--data", folder)
    assert code == 1 and "--session" in err


def test_live_upto_a_timestamp(folder: Path) -> None:
    import liveops_nb

    ds = liveops_nb.open(folder)
    at = pd.Timestamp("2026-09-07 20:03", tz="Asia/Shanghai")
    assert not alerts.evaluate(ds, "S1", upto=at - pd.Timedelta(minutes=1))
    live = alerts.evaluate(ds, "S1", upto=at)
    assert [(a.rule_id, a.start, a.end) for a in live] == [("sold_out", at, None), ("stock_low", at, None)]


def test_aggregate_only_data_without_minutes(tiny_aggregate_ds) -> None:
    """Platform totals without minute data: nothing to watch, no alerts, no error."""
    assert alerts.evaluate(tiny_aggregate_ds, "S1") == []
    assert alerts.session_alerts(tiny_aggregate_ds, "S1").empty
