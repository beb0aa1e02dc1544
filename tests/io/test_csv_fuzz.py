"""Whatever a CSV file holds, reading it gives typed columns or the package's own error — never a raw traceback."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liveops_nb.errors import DataFileError, DataProblem
from liveops_nb.io.csv import TEXT_MISSING_TOKENS, read_csv
from liveops_nb.io.tables import RawTables
from liveops_nb.schema import TABLES

SESSIONS = TABLES["sessions"]
HEADER = ["session_id", "start_time", "gmv", "uv", "acu", "title"]
CELL_ALPHABET = st.sampled_from(list('0123456789,.;"\n\r\t -+eE%¥万分秒:TZ年月日 abcé小美\x00\x01\x7f'))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(path: Path, data: bytes) -> tuple[pd.DataFrame | None, RawTables]:
    path.write_bytes(data)
    raw = RawTables(con=None, tables={})
    try:
        return read_csv(path, SESSIONS, raw, "Asia/Shanghai"), raw
    except DataFileError as err:
        assert err.path == path and err.table == "sessions" and "sessions.csv" in str(err)
        return None, raw


def _well_formed(df: pd.DataFrame, raw: RawTables) -> None:
    assert str(df["gmv"].dtype) == "Float64" and str(df["uv"].dtype) == "Int64"
    assert str(df["start_time"].dtype) == "datetime64[us, Asia/Shanghai]"
    for p in raw.problems + raw.warnings:
        assert isinstance(p, DataProblem) and p.table == "sessions" and p.problem.startswith("sessions.csv")
        assert len(p.rows) <= 5 and all(isinstance(r.get("row"), int) for r in p.rows)


@FUZZ
@given(st.lists(st.lists(st.text(CELL_ALPHABET, max_size=12), min_size=6, max_size=6), max_size=8),
       st.sampled_from([",", ";", "\t"]))
def test_any_cells_give_columns_or_a_package_error(tmp_path, rows, delimiter):
    text = delimiter.join(HEADER) + "\n" + "".join(delimiter.join(r) + "\n" for r in rows)
    df, raw = _read(tmp_path / "sessions.csv", text.encode())
    if df is not None:
        _well_formed(df, raw)


@FUZZ
@given(st.lists(st.lists(st.text(CELL_ALPHABET, max_size=12), min_size=6, max_size=6), max_size=8))
def test_quoted_cells_are_read_back_exactly(tmp_path, rows):
    quoted = "".join(",".join('"' + c.replace('"', '""') + '"' for c in r) + "\n" for r in rows)
    df, raw = _read(tmp_path / "sessions.csv", (",".join(HEADER) + "\n" + quoted).encode())
    assert df is not None  # properly quoted CSV is always well-formed
    _well_formed(df, raw)
    assert len(df) == len(rows)
    for got, row in zip(df["title"].tolist(), rows, strict=True):
        title = row[5].strip()
        assert (got == title) if title not in TEXT_MISSING_TOKENS else pd.isna(got)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["utf-8", "gbk", "utf-16"]))
def test_any_bytes_give_columns_or_a_package_error(tmp_path, tail, encoding):
    head = ",".join(HEADER).encode(encoding)
    df, raw = _read(tmp_path / "sessions.csv", head + b"\n" + tail)
    if df is not None:
        _well_formed(df, raw)
