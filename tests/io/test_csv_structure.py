"""CSV structure: malformed files are refused naming file and line; odd but valid ones are read as written."""
from __future__ import annotations

import pytest

from liveops_nb.errors import DataFileError, DataValidationError
from tests.io.helpers import only


def test_unclosed_quote_names_the_line_where_it_opens(read_export):
    text = 'comment_id,text\nc1,fine\nc2,"never closed\nc3,other\n'
    with pytest.raises(DataFileError) as info:
        read_export("comments", text)
    err = info.value
    assert err.line == 3 and "comments.csv, line 3" in str(err) and "never closed" in str(err)
    assert isinstance(err, DataValidationError) and err.problems[0].table == "comments"


def test_stray_quote_names_its_line(read_export):
    with pytest.raises(DataFileError) as info:
        read_export("comments", 'comment_id,text\nc1,ok\nc2,"said" twice\n')
    assert info.value.line == 3 and "well-formed" in str(info.value)


def test_lines_with_the_wrong_number_of_fields(read_export):
    text = "session_id,gmv\nS1,5\nS2,6,7\nS3,8\nS4\n"
    with pytest.raises(DataFileError) as info:
        read_export("sessions", text)
    p = info.value.problems[0]
    assert info.value.line == 3 and "2 line(s)" in p.problem and "header's 2 fields" in p.problem
    assert p.rows == [{"line": 3, "fields": 3}, {"line": 5, "fields": 1}] and p.n_rows == 2


def test_truncated_last_line_is_refused(read_export):
    full = "session_id,room_id,gmv\nS1,R1,5\nS2,R1,6\n"
    with pytest.raises(DataFileError) as info:
        read_export("sessions", full[:-6])  # "S2,R1,6\n" cut to "S2"
    assert info.value.line == 3


def test_column_named_twice_is_refused(read_export):
    with pytest.raises(DataFileError, match=r"column 'gmv' appears twice in the header \(columns 2 and 3\)"):
        read_export("sessions", "session_id,gmv,gmv\nS1,1,2\n")


def test_row_numbers_are_file_lines_after_blank_lines_and_multiline_cells(read_export):
    text = ('session_id,title,gmv\n'
            'S1,"two\nlines",5\n'      # record on lines 2-3
            '\n'                        # blank line 4 is skipped
            'S2,plain,lots\n')          # line 5
    df, raw = read_export("sessions", text)
    assert df["title"].tolist() == ["two\nlines", "plain"]
    assert only(raw.problems, "gmv").rows == [{"row": 5, "session_id": "S2", "gmv": "lots"}]


def test_control_characters_are_kept_as_written(read_export):
    cells = ["a\x01b", "esc\x1b[31m", "del\x7f", "form\x0cfeed", "nul\x00in", "tab\tin"]
    body = "".join(f'c{i},"{c}"\n' for i, c in enumerate(cells))
    df, raw = read_export("comments", "comment_id,text\n" + body)
    assert df["text"].tolist() == cells and raw.problems == []


def test_very_long_text_is_read_whole(read_export):
    long = "好" * 1_000_000 + ",\"quoted\"" * 3  # 1 M characters: beyond the csv module's default field limit
    escaped = long.replace('"', '""')
    df, _ = read_export("comments", f'comment_id,text\nc1,"{escaped}"\nc2,short\n')
    assert df["text"].tolist() == [long, "short"]


def test_crlf_and_tab_delimited(read_export):
    df, raw = read_export("sessions", "session_id\tgmv\r\nS1\t¥1,234\r\nS2\t5\r\n")
    assert raw.problems == [] and df["gmv"].tolist() == [1234.0, 5.0]


def test_unknown_and_unnamed_columns_are_kept_as_text(read_export):
    df, _ = read_export("rooms", ",room_id,colour\n0,R1,red\n")
    assert list(df.columns) == ["unnamed_1", "room_id", "colour"] and df["colour"].tolist() == ["red"]


def test_text_missing_tokens(read_export):
    df, _ = read_export("sessions", "session_id,title\nS1,\nS2,nan\nS3,-\nS4,秋季上新\n")
    assert df["title"].isna().tolist() == [True, True, True, False]


def test_excel_sep_line_names_the_delimiter(read_export):
    df, raw = read_export("sessions", "sep=;\nsession_id;gmv\nS1;2607,79\nS2;x\n")
    assert df["gmv"].iloc[0] == 2607.79
    assert only(raw.problems, "gmv").rows == [{"row": 4, "session_id": "S2", "gmv": "x"}]
