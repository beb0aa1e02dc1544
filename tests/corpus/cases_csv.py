"""Defects and variants of CSV exports (what platforms and Excel write): read exactly, or refused naming the cell.

Orders are exported to ``orders.csv`` from the Parquet file (ISO times with ``+08:00``, amounts with two
decimals), then one thing is changed. Row 0 is order R01-20260831-2-O00001 (31.59 paid, quantity 1), on
line 2 of the file.
"""
from __future__ import annotations

import pandas as pd

from tests.corpus.harness import Case, Read, Refused, to_csv
from tests.corpus.numbers import gmv_changed, same_numbers, spend_not_reported

O1 = "R01-20260831-2-O00001"
S1 = "R01-20260831-2"


def _amounts(fmt):
    """orders.csv with every amount written by ``fmt`` (a str of the float)."""
    def fn(df: pd.DataFrame) -> pd.DataFrame:
        return df.assign(amount=df["amount"].map(fmt))
    return fn


def _cell(column: str, value: str, row: int = 0):
    def fn(df: pd.DataFrame) -> pd.DataFrame:
        df = df.astype({column: object})
        df.loc[row, column] = value
        return df
    return fn


def _mixed_offsets(df: pd.DataFrame) -> pd.DataFrame:
    # even rows in UTC with Z, odd rows with +08:00 — the same instants
    ts = [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ") if i % 2 == 0 else t.isoformat()
          for i, t in enumerate(df["ts"])]
    return df.assign(ts=ts, refunded_at=[t.isoformat() if pd.notna(t) else "" for t in df["refunded_at"]])


def _naive(df: pd.DataFrame) -> pd.DataFrame:
    fmt = "%Y-%m-%d %H:%M:%S"
    return df.assign(ts=[t.strftime(fmt) for t in df["ts"]],
                     refunded_at=[t.strftime(fmt) if pd.notna(t) else "" for t in df["refunded_at"]])


def _reorder(df: pd.DataFrame) -> pd.DataFrame:
    return df[list(reversed(df.columns))]


def _semicolon(text: str) -> str:
    return text.replace(",", ";")


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _unclosed_quote(text: str) -> str:
    lines = text.split("\n")
    lines[3] = lines[3].replace(O1[:3], '"' + O1[:3], 1) if O1[:3] in lines[3] else '"' + lines[3]
    return "\n".join(lines)


def _extra_field(text: str) -> str:
    lines = text.split("\n")
    lines[2] = lines[2] + ",surplus"
    return "\n".join(lines)


def _header_only(text: str) -> str:
    return text.split("\n", 1)[0] + "\n"


def _rooms_cjk(df: pd.DataFrame) -> None:
    df.loc[0, "room_name"] = "暖暖母婴优选直播间（旗舰店）"


def _rooms_ok(ds, base) -> None:
    same_numbers(ds, base)
    rooms = ds.frame("rooms").set_index("room_id")["room_name"].to_dict()
    assert rooms == {"R01": "暖暖母婴优选直播间（旗舰店）", "R02": "花漾美妆研究所", "R03": "极客数码官方直播间"}


def _where(*pairs) -> frozenset:
    return frozenset(pairs)


CASES = [
    Case("orders as plain CSV", to_csv("orders"), Read(same_numbers)),
    Case("CSV with reordered columns", to_csv("orders", _reorder), Read(same_numbers)),
    Case("CSV with CRLF line ends", to_csv("orders", text=_crlf), Read(same_numbers)),
    Case("CSV delimited by semicolons", to_csv("orders", text=_semicolon), Read(same_numbers)),
    Case("decimal comma amounts (\"54,87\")", to_csv("orders", _amounts(lambda v: f"{v:.2f}".replace(".", ","))),
         Read(same_numbers)),
    Case("thousands separators and ¥ (\"¥1,054.87\")",
         to_csv("orders", lambda df: df.assign(
             amount=[f"¥{v + 1000:,.2f}" if i == 0 else f"¥{v:,.2f}" for i, v in enumerate(df["amount"])])),
         Read(gmv_changed(S1, 1000.0))),
    Case("amount changed by a known value (+100.00 on one order)",
         to_csv("orders", lambda df: df.assign(amount=[v + 100 if i == 0 else v for i, v in enumerate(df["amount"])])),
         Read(gmv_changed(S1, 100.0))),
    Case("infinite amount in CSV", to_csv("orders", _cell("amount", "inf")),
         Refused(_where(("orders", "amount")), ("orders", "amount"), {"order_id": O1})),
    Case("NaN amount in CSV", to_csv("orders", _cell("amount", "NaN")),
         Refused(_where(("orders", "amount")), ("orders", "amount"), {"order_id": O1})),
    Case("integer overflow in CSV (quantity 2^64)", to_csv("orders", _cell("quantity", str(2**64))),
         Refused(_where(("orders", "quantity")), ("overflow",), {"order_id": O1})),
    Case("text in a number column", to_csv("orders", _cell("amount", "about 55")),
         Refused(_where(("orders", "amount")), ("cannot be parsed",), {"order_id": O1, "amount": "about 55"})),
    Case("GBK-encoded CSV (Excel on Chinese Windows)", to_csv("rooms", _rooms_cjk, encoding="gbk"), Read(_rooms_ok)),
    Case("GB18030-encoded CSV", to_csv("rooms", _rooms_cjk, encoding="gb18030"), Read(_rooms_ok)),
    Case("UTF-16 CSV with BOM", to_csv("rooms", _rooms_cjk, encoding="utf-16"), Read(_rooms_ok)),
    Case("UTF-8 CSV with BOM", to_csv("rooms", _rooms_cjk, encoding="utf-8-sig"), Read(_rooms_ok)),
    Case("mixed Z and +08:00 offsets", to_csv("orders", _mixed_offsets), Read(same_numbers)),
    Case("naive times in CSV (read as Asia/Shanghai)", to_csv("orders", _naive),
         Read(same_numbers, _where(("orders", "ts"), ("orders", "refunded_at")))),
    Case("unclosed quote", to_csv("orders", text=_unclosed_quote),
         Refused(_where(("orders", None)), ("orders.csv", "line 4", "quote"))),
    Case("a line with one field too many", to_csv("orders", text=_extra_field),
         Refused(_where(("orders", None)), ("orders.csv", "line 3"))),
    Case("header-only CSV (no rows)", to_csv("channels", text=_header_only),
         Refused(_where(("channels", None)), ("channels", "empty")), extra=("channels",)),
    Case("spend column all '-' in CSV (not reported)", to_csv("channels", lambda df: df.assign(spend="-")),
         Read(spend_not_reported, _where(("channels", "spend"))), extra=("channels",)),
    Case("unparseable time in CSV", to_csv("orders", _cell("ts", "yesterday evening")),
         Refused(_where(("orders", "ts")), ("cannot be parsed",), {"order_id": O1, "ts": "yesterday evening"})),
]
