"""Each validation rule: one clear error naming the table, the column, sample rows and the fix."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.io import parse_number
from liveops_nb.render.metrics import kpi_table


def _problems(folder: Path):
    with pytest.raises(liveops_nb.DataValidationError) as info:
        liveops_nb.open(folder)
    return info.value


def _only(err, table, column):
    hits = [p for p in err.problems if p.table == table and p.column == column]
    assert hits, f"no problem reported for {table}.{column}: {err}"
    return hits[0]


def test_clean_tiny_dataset_has_no_problems(tiny_dir):
    ds = liveops_nb.open(tiny_dir)
    assert ds.warnings == []


def test_missing_required_column(tmp_path):
    s = tiny.tables()["sessions"].drop(columns=["end_time"])
    err = _problems(tiny.write(tmp_path, overrides={"sessions": s}))
    p = _only(err, "sessions", "end_time")
    assert "missing" in p.problem and "end_time" in p.fix
    assert "sessions.end_time" in str(err)


def test_unknown_column_is_a_warning_not_an_error(tmp_path):
    r = tiny.tables()["rooms"].assign(room_colour="red")
    ds = liveops_nb.open(tiny.write(tmp_path, overrides={"rooms": r}))
    assert [(w.table, w.column) for w in ds.warnings] == [("rooms", "room_colour")]


def test_wrong_type_names_rows(tmp_path):
    o = tiny.tables()["orders"]
    o["amount"] = o["amount"].map(lambda v: f"¥{v:.0f}")  # money stored as text
    p = _only(_problems(tiny.write(tmp_path, overrides={"orders": o})), "orders", "amount")
    assert "expects float" in p.problem
    assert p.n_rows == 4 and p.rows[0]["order_id"] == "o1"


def test_negative_amounts_and_counts(tmp_path):
    o = tiny.tables()["orders"]
    o.loc[o.order_id == "o3", "amount"] = -100.0
    p = _only(_problems(tiny.write(tmp_path, overrides={"orders": o})), "orders", "amount")
    assert "negative" in p.problem and p.n_rows == 1 and p.rows[0]["order_id"] == "o3"


def test_values_outside_vocabulary(tmp_path):
    e = tiny.tables()["events"]
    e.loc[3, "event_type"] = "gift"
    p = _only(_problems(tiny.write(tmp_path, overrides={"events": e})), "events", "event_type")
    assert p.rows[0]["event_type"] == "gift" and "impression" in p.fix


def test_timestamps_outside_their_session(tmp_path):
    e = tiny.tables()["events"]
    e.loc[1, "ts"] = pd.Timestamp("2026-09-07 21:00", tz="Asia/Shanghai")  # S1 ended 20:05
    p = _only(_problems(tiny.write(tmp_path, overrides={"events": e})), "events", "ts")
    assert p.n_rows == 1 and p.rows[0]["user_id"] == "u1" and "time zone" in p.fix


def test_duplicate_keys(tmp_path):
    o = tiny.tables()["orders"]
    o = pd.concat([o, o.iloc[[0]]], ignore_index=True)
    p = _only(_problems(tiny.write(tmp_path, overrides={"orders": o})), "orders", "order_id")
    assert "not unique" in p.problem and p.rows[0]["order_id"] == "o1" and p.rows[0]["n_copies"] == 2


def test_references_to_unknown_sessions_products_users(tmp_path):
    o = tiny.tables()["orders"]
    o.loc[0, "session_id"] = "S7"
    o.loc[1, "product_id"] = "p9"
    o.loc[2, "user_id"] = "u99"
    err = _problems(tiny.write(tmp_path, overrides={"orders": o}))
    assert _only(err, "orders", "session_id").rows[0]["session_id"] == "S7"
    assert _only(err, "orders", "product_id").rows[0]["product_id"] == "p9"
    assert _only(err, "orders", "user_id").rows[0]["user_id"] == "u99"


def test_empty_table(tmp_path):
    c = tiny.tables()["comments"].iloc[0:0]
    p = _only(_problems(tiny.write(tmp_path, overrides={"comments": c})), "comments", None)
    assert "empty" in p.problem


def test_refund_larger_than_amount(tmp_path):
    o = tiny.tables()["orders"]
    o.loc[0, "refund_amount"] = 150.0
    p = _only(_problems(tiny.write(tmp_path, overrides={"orders": o})), "orders", "refund_amount")
    assert p.rows[0]["order_id"] == "o1"


def test_missing_required_table(tmp_path):
    folder = tiny.write(tmp_path)
    (folder / "rooms.parquet").unlink()
    p = _only(_problems(folder), "rooms", None)
    assert "rooms.parquet" in p.fix


def test_missing_folder_says_what_to_do(tmp_path):
    with pytest.raises(liveops_nb.LiveOpsError, match="liveops demo"):
        liveops_nb.open(tmp_path / "nope")


def test_all_problems_are_reported_together(tmp_path):
    o = tiny.tables()["orders"]
    o.loc[0, "amount"] = -1.0
    u = tiny.tables()["users"].drop(columns=["region"])
    err = _problems(tiny.write(tmp_path, overrides={"orders": o, "users": u}))
    assert {(p.table, p.column) for p in err.problems} >= {("orders", "amount"), ("users", "region")}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_reading_never_modifies_the_folder(tiny_dir):
    before = _digest(tiny_dir)
    ds = liveops_nb.open(tiny_dir)
    ds.sessions(), ds.session_kpis("S1"), ds.frame("minute_stats")
    assert _digest(tiny_dir) == before


# ---------------------------------------------------------------- CSV platform exports

@pytest.mark.parametrize("text,value", [
    ("¥236,552", 236552.0), ("15.28%", 0.1528), ("1分5秒", 65.0), ("2小时3分", 7380.0), ("1.2万", 12000.0),
    ("-", None), ("", None), ("42", 42.0), ("3.5", 3.5),
])
def test_parse_platform_numbers(text, value):
    assert parse_number(text) == (pytest.approx(value) if value is not None else None)


def test_parse_rejects_garbage():
    with pytest.raises(ValueError):
        parse_number("about 5")


def test_csv_export_with_platform_formats(tmp_path):
    folder = tiny.write(tmp_path, aggregate_only=True, fmt="csv")
    s = pd.read_csv(folder / "sessions.csv", dtype=str)
    s["gmv"] = ["¥500", "¥100"]
    s["avg_watch_seconds"] = ["2分8秒", "30秒"]
    s["impressions"] = ["4", "-"]
    s.to_csv(folder / "sessions.csv", index=False)
    ds = liveops_nb.open(folder)
    rows = ds.session_kpis("S1").set_index("key")
    assert rows.at["gmv", "value"] == 500 and rows.at["avg_watch_seconds", "value"] == pytest.approx(128)
    s2 = kpi_table(ds.session_kpis("S2"), "en").set_index("key")
    assert "not reported" in s2.at["impressions", "missing_reason"]


def test_csv_unparseable_values_are_listed_with_line_numbers(tmp_path):
    folder = tiny.write(tmp_path, aggregate_only=True, fmt="csv")
    s = pd.read_csv(folder / "sessions.csv", dtype=str)
    s.loc[1, "start_time"] = "yesterday evening"
    s.loc[0, "gmv"] = "lots"
    s.to_csv(folder / "sessions.csv", index=False)
    err = _problems(folder)
    ts = _only(err, "sessions", "start_time")
    assert ts.rows == [{"row": 3, "session_id": "S2", "start_time": "yesterday evening"}]
    assert _only(err, "sessions", "gmv").rows[0]["gmv"] == "lots"
