"""Numbers in CSV exports: decimal comma vs thousands separator per column, non-finite values, overflow.

Every expected value is worked out by hand from the cell text and the rules of liveops_nb.io.numbers.
"""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.errors import NumberFormatError
from liveops_nb.io import parse_number
from liveops_nb.io.numbers import parse_number_column
from tests.io.helpers import only

# ------------------------------------------------------------------ decimal comma vs thousands separator


def test_decimal_comma_column_is_read_as_decimals(read_export):
    # quoted, as a comma-delimited export must write them; 2607,79 is not a thousands grouping
    df, raw = read_export("sessions", 'session_id,gmv\nS1,"2607,79"\nS2,"100,5"\nS3,12\n')
    assert raw.problems == []
    assert df["gmv"].tolist() == [2607.79, 100.5, 12.0]


def test_semicolon_export_with_decimal_comma(read_export):
    # what Excel writes in a decimal-comma locale: ';' between cells, ',' before the decimals
    df, raw = read_export("sessions", "session_id;gmv;acu\nS1;2607,79;1,5\nS2;1.234,50;0,25\n")
    assert raw.problems == []
    assert df["gmv"].tolist() == [2607.79, 1234.5]
    assert df["acu"].tolist() == [1.5, 0.25]


def test_thousands_separators_are_removed(read_export):
    df, raw = read_export("sessions", 'session_id,gmv,uv\nS1,"¥1,234,567","12,345"\nS2,"¥236,552",7\n'
                                      'S3,"¥1,234.5","1,000"\n')
    assert raw.problems == []
    assert df["gmv"].tolist() == [1234567.0, 236552.0, 1234.5]
    assert df["uv"].tolist() == [12345, 7, 1000]


def test_column_mixing_decimal_comma_and_thousands_is_refused(read_export):
    df, raw = read_export("sessions", 'session_id,gmv\nS1,"2607,79"\nS2,"1,234.5"\nS3,10\n')
    p = only(raw.problems, "gmv")
    assert p.table == "sessions" and "sessions.csv" in p.problem and "decimal comma" in p.problem
    assert p.rows == [{"row": 2, "session_id": "S1", "gmv": "2607,79"},
                      {"row": 3, "session_id": "S2", "gmv": "1,234.5"}]
    assert p.n_rows == 2 and "2607.79" in p.fix
    assert df["gmv"].isna().all()  # the whole column is refused, no cell is read one way or the other


def test_ambiguous_comma_in_money_is_a_thousands_separator(read_export):
    # ¥1,234 as a decimal comma would be 1.234 yuan: finer than a fen, so money reads it as 1234
    df, raw = read_export("sessions", 'session_id,gmv\nS1,"¥1,234"\nS2,"5,000"\nS3,800\n')
    assert raw.problems == []
    assert df["gmv"].tolist() == [1234.0, 5000.0, 800.0]


def test_ambiguous_comma_in_counts_is_a_thousands_separator(read_export):
    df, raw = read_export("sessions", 'session_id,uv\nS1,"1,234"\nS2,5\n')
    assert raw.problems == []
    assert df["uv"].tolist() == [1234, 5]


def test_ambiguous_comma_in_headcounts_is_a_thousands_separator(read_export):
    # average concurrent viewers as a platform shows them; 1.234 viewers would not be written so
    df, raw = read_export("sessions", 'session_id,acu\nS1,"1,234"\nS2,5.5\n')
    assert raw.problems == [] and df["acu"].tolist() == [1234.0, 5.5]


def test_ambiguous_comma_elsewhere_is_refused(read_export):
    # average watch time in seconds may have decimals: 1,234 could be 1234 s or 1.234 s
    df, raw = read_export("sessions", 'session_id,avg_watch_seconds\nS1,"1,234"\nS2,5\nS3,"2,500"\n')
    p = only(raw.problems, "avg_watch_seconds")
    assert "could be 1234" in p.problem and "sessions.csv" in p.problem
    assert [r["row"] for r in p.rows] == [2, 4] and p.n_rows == 2
    assert df["avg_watch_seconds"].isna().all()


def test_ambiguous_comma_follows_a_decimal_comma_column(read_export):
    # 0,5 can only be a decimal comma, so the column is decimal-comma and 1,234 is 1.234 (seconds)
    df, raw = read_export("sessions", 'session_id,avg_watch_seconds\nS1,"1,234"\nS2,"0,5"\n')
    assert raw.problems == []
    assert df["avg_watch_seconds"].tolist() == [1.234, 0.5]


def test_dot_with_three_decimals_is_a_decimal_point(read_export):
    df, raw = read_export("sessions", "session_id,acu\nS1,1.234\nS2,2.5\n")
    assert raw.problems == [] and df["acu"].tolist() == [1.234, 2.5]


def test_dot_is_a_thousands_separator_only_next_to_a_decimal_comma(read_export):
    df, raw = read_export("sessions", 'session_id,gmv\nS1,1.234\nS2,"2,5"\n')
    assert raw.problems == [] and df["gmv"].tolist() == [1234.0, 2.5]


def test_both_ambiguous_separators_in_one_column_are_refused(read_export):
    _, raw = read_export("sessions", 'session_id,gmv\nS1,1.234\nS2,"1,234"\n')
    assert [r["row"] for r in only(raw.problems, "gmv").rows] == [2, 3]


def test_issue_example_decimal_comma_amount_is_not_multiplied_by_100(tmp_path):
    """The corpus case: S1's GMV written 2607,79 was read as 260779; now 2607.79 (or a refusal)."""
    folder = tiny.write(tmp_path, aggregate_only=True, fmt="csv")
    s = pd.read_csv(folder / "sessions.csv", dtype=str, keep_default_na=False)
    s["gmv"] = ["2607,79", "100"]
    s.to_csv(folder / "sessions.csv", index=False)
    ds = liveops_nb.open(folder)
    assert ds.session_kpis("S1").set_index("key").at["gmv", "value"] == pytest.approx(2607.79)
    assert ds.session_kpis("S2").set_index("key").at["gmv", "value"] == pytest.approx(100.0)


# ------------------------------------------------------------------ non-finite, overflow, whole numbers


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "NaN", "nan", "-NaN", "∞"])
def test_non_finite_amounts_are_refused(read_export, cell):
    df, raw = read_export("sessions", f"session_id,gmv\nS1,100\nS2,{cell}\n")
    p = only(raw.problems, "gmv")
    assert "not finite" in p.problem and p.rows == [{"row": 3, "session_id": "S2", "gmv": cell}]
    assert df["gmv"].iloc[0] == 100.0


def test_nan_amount_refuses_the_dataset_instead_of_gmv_not_available(tmp_path):
    folder = tiny.write(tmp_path, aggregate_only=True, fmt="csv")
    s = pd.read_csv(folder / "sessions.csv", dtype=str, keep_default_na=False)
    s.loc[0, "gmv"] = "NaN"
    s.to_csv(folder / "sessions.csv", index=False)
    with pytest.raises(liveops_nb.DataValidationError) as info:
        liveops_nb.open(folder)
    p = only(info.value.problems, "gmv")
    assert p.rows[0]["session_id"] == "S1" and p.rows[0]["row"] == 2


def test_missing_tokens_stay_missing(read_export):
    df, raw = read_export("sessions", "session_id,gmv,uv\nS1,-,-\nS2,,\nS3,null,N/A\nS4,5,6\n")
    assert raw.problems == []
    assert df["gmv"].isna().tolist() == [True, True, True, False]
    assert df["uv"].isna().tolist() == [True, True, True, False]


def test_amount_beyond_the_float_range_is_overflow(read_export):
    df, raw = read_export("sessions", "session_id,gmv\nS1,1e400\nS2,1e-400\nS3,1e300\n")
    p = only(raw.problems, "gmv")
    assert "overflow" in p.problem and [r["row"] for r in p.rows] == [2, 3]
    assert df["gmv"].iloc[2] == 1e300


def test_count_beyond_int64_is_overflow_not_negative(read_export):
    df, raw = read_export("sessions", "session_id,uv\nS1,9223372036854775807\nS2,9223372036854775808\n"
                                      "S3,99999999999999999999\n")
    p = only(raw.problems, "uv")
    assert "overflow" in p.problem and "9,223,372,036,854,775,807" in p.problem
    assert [r["row"] for r in p.rows] == [3, 4]
    assert df["uv"].iloc[0] == 2**63 - 1  # the largest int64 itself is fine
    assert not (df["uv"].dropna() < 0).any()


def test_counts_are_exact_beyond_float_precision(read_export):
    # 2^53 + 1 = 9007199254740993 has no float64; a float parse would give ...992
    df, _ = read_export("sessions", "session_id,views\nS1,9007199254740993\nS2,\"9,007,199,254,740,993\"\n")
    assert df["views"].tolist() == [9007199254740993, 9007199254740993]


def test_fractional_count_is_refused(read_export):
    df, raw = read_export("sessions", "session_id,orders\nS1,4.0\nS2,2.5\nS3,1.2万\n")
    p = only(raw.problems, "orders")
    assert "whole numbers" in p.fix and p.rows == [{"row": 3, "session_id": "S2", "orders": "2.5"}]
    assert df["orders"].iloc[0] == 4 and df["orders"].iloc[2] == 12000


def test_platform_formats_in_one_file(read_export):
    df, raw = read_export("sessions", "session_id,gmv,avg_watch_seconds,acu\n"
                                      "S1,1.2万,1分5秒,2.5\nS2,-¥5,2小时3分,５０\nS3,¥-12元,30秒,1.5万\n")
    assert raw.problems == []
    assert df["gmv"].tolist() == [12000.0, -5.0, -12.0]
    assert df["avg_watch_seconds"].tolist() == [65.0, 7380.0, 30.0]
    assert df["acu"].tolist() == [2.5, 50.0, 15000.0]


def test_percentages_and_durations_only_in_their_units(read_export):
    # 15% is not an amount and 5m (five minutes) is not GMV: refused, never read as 0.15 or 300
    df, raw = read_export("sessions", "session_id,gmv,avg_watch_seconds\nS1,15%,5m\nS2,5m,15%\nS3,7,8\n")
    gmv, secs = only(raw.problems, "gmv"), only(raw.problems, "avg_watch_seconds")
    assert "unit" in gmv.problem and "CNY" in gmv.problem and [r["row"] for r in gmv.rows] == [2, 3]
    assert [r["row"] for r in secs.rows] == [3] and df["avg_watch_seconds"].tolist()[0] == 300.0
    assert df["gmv"].tolist()[2] == 7.0


def test_unparseable_values_name_file_column_rows_and_fix(read_export):
    _, raw = read_export("sessions", "session_id,gmv\nS1,about 5\nS2,5\nS3,12 yuan\n")
    p = only(raw.problems, "gmv")
    assert p.problem.startswith("sessions.csv:") and "cannot be parsed" in p.problem
    assert p.rows == [{"row": 2, "session_id": "S1", "gmv": "about 5"},
                      {"row": 4, "session_id": "S3", "gmv": "12 yuan"}]
    assert p.n_rows == 2 and "¥1,234" in p.fix


def test_sample_is_five_rows_and_count_is_all(read_export):
    body = "".join(f"S{i},x{i}\n" for i in range(8))
    _, raw = read_export("sessions", "session_id,gmv\n" + body)
    p = only(raw.problems, "gmv")
    assert [r["row"] for r in p.rows] == [2, 3, 4, 5, 6] and p.n_rows == 8


# ------------------------------------------------------------------ the cell-level function


@pytest.mark.parametrize("text,value", [
    ("1,234", 1234.0), ("¥1,234,567.5", 1234567.5), ("12%", 0.12), ("5‰", 0.005), ("3亿", 3e8), ("１，２３４", 1234.0),
    ("−7", -7.0),
])
def test_parse_number_cells(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("value", ["2607,79", "nan", "NaN", "inf", float("inf"), "1e400", "1.234,5"])
def test_parse_number_refuses_what_a_cell_alone_cannot_say(value):
    with pytest.raises(NumberFormatError):
        parse_number(value)


def test_parse_number_column_reports_the_convention():
    assert parse_number_column(["2607,79", "1"]).convention == "comma"
    assert parse_number_column(["1,234,567", "1"]).convention == "point"


def test_money_column_with_decimal_comma_and_a_thousands_comma_is_refused(read_export):
    # 2607,79 decides decimal comma; ¥1,234 would then be 1.234 yuan, finer than a fen: the writer mixed both
    _, raw = read_export("orders", 'order_id,amount\no1,"2607,79"\no2,"1,234"\n')
    p = only(raw.problems, "amount")
    assert "decimal comma" in p.problem and [r["row"] for r in p.rows] == [2, 3] and "orders.csv" in p.problem
