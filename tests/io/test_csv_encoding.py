"""Text encodings of CSV exports: each one Excel or a platform writes is read right; the rest are refused by name."""
from __future__ import annotations

import codecs
import gzip

import pytest

from liveops_nb.errors import DataFileError

ROOMS = ("room_id,room_name,platform,category,host\n"
         "R1,小美的直播间,douyin,美妆,小美\n"
         "R2,阿强好物,taobao,食品,阿强\n")


def _hosts(df) -> list[str]:
    return df["host"].tolist()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_chinese_text_is_read_in_every_common_encoding(read_export, encoding):
    data = ROOMS.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # UTF-16 as Excel writes it ("Unicode Text") carries a BOM
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    df, raw = read_export("rooms", data)
    assert raw.problems == [] and raw.warnings == []
    assert _hosts(df) == ["小美", "阿强"] and df["room_name"].iloc[0] == "小美的直播间"
    assert list(df.columns) == ["room_id", "room_name", "platform", "category", "host"]  # no BOM in the name


def test_gbk_export_from_excel_on_chinese_windows(read_export):
    # Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK with CRLF line ends
    data = ROOMS.replace("\n", "\r\n").encode("gbk")
    df, raw = read_export("rooms", data)
    assert _hosts(df) == ["小美", "阿强"] and raw.warnings == []


def test_characters_only_gb18030_has(read_export):
    df, raw = read_export("comments", "comment_id,text\nc1,𠀀好😂\n".encode("gb18030"))
    assert df["text"].tolist() == ["𠀀好😂"] and raw.problems == []


def test_unsure_encoding_is_a_warning_naming_file_and_encoding(read_export):
    # one GBK character: several encodings decode it; GB18030 is chosen and the guess is said
    df, raw = read_export("rooms", "room_id,host\nR1,美\n".encode("gbk"))
    assert _hosts(df) == ["美"]
    (w,) = raw.warnings
    assert w.table == "rooms" and "rooms.csv" in w.problem and "gb18030" in w.problem and "UTF-8" in w.fix


def test_undecodable_bytes_are_refused_naming_the_file(read_export):
    with pytest.raises(DataFileError) as info:
        read_export("rooms", bytes(range(256)) * 4)
    assert "rooms.csv" in str(info.value) and info.value.table == "rooms"
    assert not isinstance(info.value, UnicodeDecodeError)


def test_utf8_file_cut_in_the_middle_of_a_character(read_export):
    data = ROOMS.encode("utf-8")[:-2]  # the last character 强 (3 bytes) loses 1 byte, plus the newline
    with pytest.raises(DataFileError) as info:
        read_export("rooms", data)
    assert "truncated" in str(info.value) and info.value.line == 3


def test_one_line_in_another_encoding_is_refused_naming_the_line(read_export):
    data = ROOMS.encode("utf-8") + "R3,小美二号,douyin,美妆,小美\n".encode("gbk") + "R4,阿强二号,taobao,食品,阿强\n".encode()
    with pytest.raises(DataFileError) as info:
        read_export("rooms", data)
    assert info.value.line == 4 and "rooms.csv, line 4" in str(info.value)


@pytest.mark.parametrize("data,what", [
    (b"PK\x03\x04" + bytes(60), "Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(60), "Excel workbook"),
    (b"PAR1" + bytes(60), "Parquet"),
])
def test_files_that_are_not_csv_say_what_they_are(read_export, data, what):
    with pytest.raises(DataFileError, match=what):
        read_export("rooms", data)


@pytest.mark.parametrize("data", [b"", b"\n", b"  \r\n"])
def test_zero_byte_or_blank_file_is_refused(read_export, data):
    with pytest.raises(DataFileError) as info:
        read_export("rooms", data)
    assert "rooms.csv" in str(info.value) and "empty" in str(info.value)


def test_header_only_file_gives_typed_empty_columns(read_export):
    df, raw = read_export("sessions", "session_id,start_time,gmv,uv,title\n")
    assert raw.problems == [] and len(df) == 0
    assert str(df["gmv"].dtype) == "Float64" and str(df["uv"].dtype) == "Int64"
    assert str(df["start_time"].dtype) == "datetime64[us, Asia/Shanghai]"


def test_gzip_export(read_export):
    df, _ = read_export("rooms", gzip.compress(ROOMS.encode("gbk")), file="rooms.csv.gz")
    assert _hosts(df) == ["小美", "阿强"]


def test_corrupt_gzip_is_refused(read_export):
    with pytest.raises(DataFileError, match="truncated or corrupt"):
        read_export("rooms", gzip.compress(ROOMS.encode())[:-12], file="rooms.csv.gz")


def test_utf8_with_a_stray_nul_stays_utf8(read_export):
    df, raw = read_export("comments", "comment_id,text\nc1,这个多少钱\x00？\nc2,好\n".encode())
    assert df["text"].tolist() == ["这个多少钱\x00？", "好"] and raw.warnings == []
