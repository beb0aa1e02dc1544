"""Defects in the values of well-formed Parquet files, found by validation: one clear problem each.

Row 0 of orders is order R01-20260831-2-O00001 (session R01-20260831-2, 31.59 paid, quantity 1).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from tests.corpus.harness import Case, Read, Refused, edit, read, set_column
from tests.corpus.numbers import spend_not_reported

O1 = "R01-20260831-2-O00001"
S1 = "R01-20260831-2"


def _empty(table: str):
    return edit(table, lambda df: df.iloc[0:0])


def _drop_table(table: str):
    def damage(d: Path) -> None:
        (d / f"{table}.parquet").unlink()
    return damage


def _dup_order(df: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([df, df.iloc[[0]]], ignore_index=True)


def _dup_channel(df: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([df, df.iloc[[3]]], ignore_index=True)


def _set(table: str, column: str, value, row: int = 0):
    def fn(df: pd.DataFrame) -> None:
        df.loc[row, column] = value
    return edit(table, fn)


def _shift(table: str, column: str, delta: pd.Timedelta, row: int = 0):
    def fn(df: pd.DataFrame) -> None:
        df.loc[row, column] = df.loc[row, column] + delta
    return edit(table, fn)


def _swap_times(df: pd.DataFrame) -> None:
    df.loc[0, ["start_time", "end_time"]] = df.loc[0, ["end_time", "start_time"]].to_numpy()


def _swap_pitch(df: pd.DataFrame) -> None:
    df.loc[0, ["start", "end"]] = df.loc[0, ["end", "start"]].to_numpy()


def _uint64_overflow(d: Path) -> None:
    q = read(d, "orders")["quantity"].to_numpy().astype(np.uint64)
    q[0] = np.uint64(2**63 + 5)
    set_column(d, "orders", "quantity", pa.array(q, pa.uint64()))


def _float_value(value: float):
    def damage(d: Path) -> None:
        a = read(d, "orders")["amount"].to_numpy().copy()
        a[0] = value
        set_column(d, "orders", "amount", pa.array(a, pa.float64()))  # a real NaN / inf, not a null
    return damage


def _as_text(table: str, column: str, fmt):
    return edit(table, lambda df: df.assign(**{column: df[column].map(fmt)}))


def _all_null_spend(d: Path) -> None:
    n = len(read(d, "channels"))
    set_column(d, "channels", "spend", pa.nulls(n))  # an all-missing column: Parquet type NULL


def _float_null_spend(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(spend=np.nan)  # pandas writes NaN of a float column as null


def _null_user(df: pd.DataFrame) -> None:
    df.loc[0, "user_id"] = None


def _int_as_float(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(quantity=df["quantity"].astype(float) + 0.5)


def _where(*pairs: tuple[str, str | None]) -> frozenset:
    return frozenset(pairs)


def _bool_as_text(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(is_follower=df["is_follower"].map({True: "是", False: "否"}))


CASES = [
    Case("empty orders table (zero rows)", _empty("orders"),
         Refused(_where(("orders", None)), ("orders", "empty"))),
    Case("empty channels table (zero rows)", _empty("channels"),
         Refused(_where(("channels", None)), ("channels", "empty")), extra=("channels",)),
    Case("empty rooms table (zero rows)", _empty("rooms"), Refused(_where(("rooms", None)), ("rooms", "empty"))),
    Case("channels.spend all missing (NULL-typed column)", _all_null_spend,
         Read(spend_not_reported, _where(("channels", "spend"))), extra=("channels",)),
    Case("channels.spend all missing (float nulls)", edit("channels", _float_null_spend),
         Read(spend_not_reported, _where(("channels", "spend"))), extra=("channels",)),
    Case("required table missing (sessions)", _drop_table("sessions"),
         Refused(_where(("sessions", None)), ("required table is missing", "sessions.parquet"))),
    Case("required column missing (sessions.end_time)", edit("sessions", lambda df: df.drop(columns=["end_time"])),
         Refused(_where(("sessions", "end_time")), ("required column is missing",))),
    Case("required column missing (orders.amount)", edit("orders", lambda df: df.drop(columns=["amount"])),
         Refused(_where(("orders", "amount")), ("required column is missing",))),
    Case("money stored as text (orders.amount '¥32')", _as_text("orders", "amount", lambda v: f"¥{v:.0f}"),
         Refused(_where(("orders", "amount")), ("expects float",), {"order_id": O1, "amount": "¥32"}, 16)),
    Case("times stored as text (sessions.start_time)", _as_text("sessions", "start_time", str),
         Refused(_where(("sessions", "start_time")), ("expects timestamp",), n_rows=6)),
    Case("count stored as fractions (orders.quantity 1.5)", edit("orders", _int_as_float),
         Refused(_where(("orders", "quantity")), ("expects int",))),
    Case("ids stored as numbers (rooms.room_id)", edit("rooms", lambda df: df.assign(room_id=[1, 2, 3])),
         Refused(_where(("rooms", "room_id")), ("expects string",))),
    Case("flags stored as text (users.is_follower '是/否')", edit("users", _bool_as_text),
         Refused(_where(("users", "is_follower")), ("expects bool",), n_rows=2368)),
    Case("session id with a trailing space in orders", _set("orders", "session_id", S1 + " "),
         Refused(_where(("orders", "session_id")), ("refers to sessions",), {"order_id": O1, "session_id": S1 + " "}, 1)),
    Case("header name in Chinese (实付金额 for amount)", edit("orders", lambda df: df.rename(columns={"amount": "实付金额"})),
         Refused(_where(("orders", "amount")), ("required column is missing", "实付金额"))),
    Case("duplicate order id", edit("orders", _dup_order),
         Refused(_where(("orders", "order_id")), ("not unique",), {"order_id": O1, "n_copies": 2}, 1)),
    Case("duplicate (session, channel) key", edit("channels", _dup_channel),
         Refused(_where(("channels", "session_id, channel")), ("not unique",), {"n_copies": 2}, 1),
         extra=("channels",)),
    Case("order of an unknown session", _set("orders", "session_id", "R09-20260907-1"),
         Refused(_where(("orders", "session_id")), ("refers to sessions",), {"session_id": "R09-20260907-1"}, 1)),
    Case("order of an unknown product", _set("orders", "product_id", "P9999"),
         Refused(_where(("orders", "product_id")), ("refers to products",), {"order_id": O1, "product_id": "P9999"}, 1)),
    Case("event of an unknown user", _set("events", "user_id", "U9999999"),
         Refused(_where(("events", "user_id")), ("refers to users",), {"user_id": "U9999999"}, 1)),
    Case("session of an unknown room", _set("sessions", "room_id", "R99"),
         Refused(_where(("sessions", "room_id")), ("refers to rooms",), {"room_id": "R99"}, 1)),
    Case("order placed a day after its session", _shift("orders", "ts", pd.Timedelta(days=1)),
         Refused(_where(("orders", "ts")), ("outside their session", "time zone"), {"order_id": O1}, 1)),
    Case("event 8 hours early (UTC read as local)", _shift("events", "ts", pd.Timedelta(hours=-8)),
         Refused(_where(("events", "ts")), ("outside their session",), n_rows=1)),
    Case("comment outside its session", _shift("comments", "ts", pd.Timedelta(hours=5)),
         Refused(_where(("comments", "ts")), ("outside their session",), n_rows=1), extra=("comments",)),
    Case("session ending in the year 2300 (must not hang)", _set("sessions", "end_time",
                                                                   pd.Timestamp("2300-01-01", tz="Asia/Shanghai")),
         Refused(_where(("sessions", "end_time")), ("outside the years 1900–2200",), n_rows=1)),
    Case("session lasting three days", _shift("sessions", "end_time", pd.Timedelta(days=3)),
         Refused(_where(("sessions", "end_time")), ("lasts more than 48 hours",), n_rows=1)),
    Case("first seen in the year 1800", _set("users", "first_seen", pd.Timestamp("1800-01-01", tz="Asia/Shanghai")),
         Refused(_where(("users", "first_seen")), ("outside the years 1900–2200",), n_rows=1)),
    Case("session ends before it starts", edit("sessions", _swap_times),
         Refused(_where(("sessions", "end_time")), ("end_time is before start_time",), n_rows=1)),
    Case("pitch ends before it starts", edit("pitches", _swap_pitch),
         Refused(_where(("pitches", "end")), ("end is before start",), n_rows=1), extra=("pitches",)),
    Case("negative amount", _set("orders", "amount", -31.59),
         Refused(_where(("orders", "amount")), ("negative",), {"order_id": O1, "amount": -31.59}, 1)),
    Case("negative count (minute_stats.online)", _set("minute_stats", "online", -3, row=10),
         Refused(_where(("minute_stats", "online")), ("negative",), {"online": -3}, 1), extra=("minute_stats",)),
    Case("refund larger than the amount", _set("orders", "refund_amount", 60.0),
         Refused(_where(("orders", "refund_amount")), ("refund is larger",), {"order_id": O1, "amount": 31.59}, 1)),
    Case("value outside the vocabulary (event_type 'gift')", _set("events", "event_type", "gift", row=5),
         Refused(_where(("events", "event_type")), ("outside the allowed list", "impression"), {"event_type": "gift"}, 1)),
    Case("missing value in a required column (orders.user_id)", edit("orders", _null_user),
         Refused(_where(("orders", "user_id")), ("missing values",), {"order_id": O1}, 1)),
    Case("uint64 quantity beyond int64 (Parquet)", _uint64_overflow,
         Refused(_where(("orders", "quantity")), ("overflow",), {"order_id": O1, "quantity": 2**63 + 5}, 1)),
    Case("infinite amount (Parquet)", _float_value(np.inf),
         Refused(_where(("orders", "amount")), ("infinite or NaN",), {"order_id": O1}, 1)),
    Case("NaN amount (Parquet)", _float_value(np.nan),
         Refused(_where(("orders", "amount")), ("infinite or NaN",), {"order_id": O1}, 1)),
    Case("negative infinite gmv (Parquet sessions)", edit("sessions", lambda df: df.assign(
        gmv=[-np.inf] + list(df["gmv"].iloc[1:]))),
         Refused(_where(("sessions", "gmv")), ("infinite or NaN",), n_rows=1)),
]

