"""Odd but valid datasets: read with the right numbers (and exactly the warnings listed)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tests.corpus.harness import Case, Read, edit, read, to_csv, write
from tests.corpus.numbers import gmv_changed, same_numbers

S1 = "R01-20260831-2"  # the session of orders row 0 (31.59 paid)
CONTROL = "库存\x00还有吗\x07\x1b[31m红色\x1b[0m\u202eevil\r\n第二行\t尾"
LONG = "好" * 200_000 + "end"


def _read_only(d: Path) -> None:
    for p in d.iterdir():
        os.chmod(p, 0o444)
    os.chmod(d, 0o555)


def _shuffle(df: pd.DataFrame) -> pd.DataFrame:
    return df.sample(frac=1.0, random_state=3).reset_index(drop=True)


def _plus(delta: float):
    def fn(df: pd.DataFrame) -> None:
        df.loc[0, "amount"] = df.loc[0, "amount"] + delta
    return fn


def _naive_ts(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(ts=df["ts"].dt.tz_localize(None), refunded_at=df["refunded_at"].dt.tz_localize(None))


def _utc_ts(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(ts=df["ts"].dt.tz_convert("UTC"), refunded_at=df["refunded_at"].dt.tz_convert("UTC"))


def _ns_ts(d: Path) -> None:
    t = pq.read_table(d / "orders.parquet")
    i = t.schema.get_field_index("ts")
    pq.write_table(t.set_column(i, "ts", t.column(i).cast(pa.timestamp("ns", tz="Asia/Shanghai"))),
                   d / "orders.parquet")


def _dictionary_strings(d: Path) -> None:
    t = pq.read_table(d / "orders.parquet")
    i = t.schema.get_field_index("session_id")
    pq.write_table(t.set_column(i, "session_id", t.column(i).dictionary_encode()), d / "orders.parquet",
                   use_dictionary=True)


def _int32_counts(d: Path) -> None:
    t = pq.read_table(d / "orders.parquet")
    i = t.schema.get_field_index("quantity")
    pq.write_table(t.set_column(i, "quantity", t.column(i).cast(pa.int32())), d / "orders.parquet")


def _comment_text(text: str):
    def fn(df: pd.DataFrame) -> None:
        df.loc[0, "text"] = text
    return fn


def _text_is(text: str):
    def check(ds, base) -> None:
        same_numbers(ds, base)
        got = ds.frame("comments").set_index("comment_id")["text"]
        first = read(base.folder, "comments")["comment_id"].iloc[0]
        assert got[first] == text
    return check


def _duplicate_event(df: pd.DataFrame) -> pd.DataFrame:
    likes = df[df["event_type"] == "like"]
    return pd.concat([df, likes.iloc[[0]]], ignore_index=True)  # two likes in one instant are two likes


def _likes_plus_one(ds, base) -> None:
    same_numbers(ds, base)
    e = read(base.folder, "events")
    assert int((ds.frame("events")["event_type"] == "like").sum()) == int((e["event_type"] == "like").sum()) + 1


def _codec(codec: str):
    def damage(d: Path) -> None:
        pq.write_table(pq.read_table(d / "orders.parquet"), d / "orders.parquet", compression=codec)
    return damage


def _pandas_index(d: Path) -> None:
    df = read(d, "orders").set_index("order_id", drop=False)
    df.index.name = "idx"
    df.to_parquet(d / "orders.parquet", index=True)


def _row_groups(d: Path) -> None:
    pq.write_table(pq.read_table(d / "events.parquet"), d / "events.parquet", row_group_size=100)


def _decimal_money(d: Path) -> None:
    from decimal import Decimal

    t = pq.read_table(d / "orders.parquet")
    for c in ("amount", "refund_amount"):
        i = t.schema.get_field_index(c)
        cents = [Decimal(f"{v:.2f}") for v in t.column(c).to_pylist()]  # the amounts have two decimals
        t = t.set_column(i, c, pa.array(cents, pa.decimal128(12, 2)))
    pq.write_table(t, d / "orders.parquet")


def _new_york(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(ts=df["ts"].dt.tz_convert("America/New_York"))


def _write_back(d: Path) -> None:
    write(d, "rooms", read(d, "rooms"))


CASES = [
    Case("read-only data folder", _read_only, Read(same_numbers)),
    Case("folder name with spaces", _write_back, Read(same_numbers), folder="live data 2026 09"),
    Case("folder name in Chinese", _write_back, Read(same_numbers), folder="直播数据 九月"),
    Case("folder name with glob characters", _write_back, Read(same_numbers), folder="data [v2] *?{a,b}"),
    Case("Parquet columns reordered", edit("orders", lambda df: df[list(reversed(df.columns))]), Read(same_numbers)),
    Case("Parquet rows shuffled", edit("orders", _shuffle), Read(same_numbers)),
    Case("amount +100.00 on one order (Parquet)", edit("orders", _plus(100.0)), Read(gmv_changed(S1, 100.0))),
    Case("amount -31.59 on one order (to zero)", edit("orders", _plus(-31.59)), Read(gmv_changed(S1, -31.59))),
    Case("naive Parquet timestamps (read as Asia/Shanghai)", edit("orders", _naive_ts),
         Read(same_numbers, frozenset({("orders", "ts"), ("orders", "refunded_at")}))),
    Case("Parquet timestamps in UTC (same instants)", edit("orders", _utc_ts), Read(same_numbers)),
    Case("nanosecond Parquet timestamps", _ns_ts, Read(same_numbers)),
    Case("Parquet timestamps in America/New_York (same instants)", edit("orders", _new_york), Read(same_numbers)),
    Case("money as decimal(12,2) (database exports)", _decimal_money, Read(same_numbers)),
    Case("gzip-compressed Parquet", _codec("gzip"), Read(same_numbers)),
    Case("uncompressed Parquet", _codec("none"), Read(same_numbers)),
    Case("events in many small row groups", _row_groups, Read(same_numbers)),
    Case("Parquet written with a pandas index column", _pandas_index,
         Read(same_numbers, frozenset({("orders", "idx")}))),
    Case("dictionary-encoded ids", _dictionary_strings, Read(same_numbers)),
    Case("32-bit integer counts", _int32_counts, Read(same_numbers)),
    Case("extra unknown column (warning)", edit("rooms", lambda df: df.assign(colour="red")),
         Read(same_numbers, frozenset({("rooms", "colour")}))),
    Case("control characters in comment text", edit("comments", _comment_text(CONTROL)), Read(_text_is(CONTROL)),
         extra=("comments",)),
    Case("control characters in comment text (CSV)", to_csv("comments", _comment_text(CONTROL)),
         Read(_text_is(CONTROL)), extra=("comments",)),
    Case("very long comment text (200 000 characters)", edit("comments", _comment_text(LONG)), Read(_text_is(LONG)),
         extra=("comments",)),
    Case("very long comment text (CSV)", to_csv("comments", _comment_text(LONG)), Read(_text_is(LONG)),
         extra=("comments",)),
    Case("two identical events (events may repeat)", edit("events", _duplicate_event), Read(_likes_plus_one)),
]
