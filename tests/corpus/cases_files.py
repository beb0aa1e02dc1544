"""File-level defects: which files are there, and whether their bytes can be read at all."""
from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

from tests.corpus.harness import Case, Read, Refused, chain, csv_text, read, to_csv
from tests.corpus.numbers import same_numbers


def _unlink(d: Path, name: str) -> None:
    (d / name).unlink()


def _bytes(name: str, fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def damage(d: Path) -> None:
        p = d / name
        p.write_bytes(fn(p.read_bytes()))
    return damage


def _two_files_parquet_csv(d: Path) -> None:
    (d / "sessions.csv").write_text(csv_text(d, "sessions"), encoding="utf-8")


def _two_files_csv_gz(d: Path) -> None:
    body = csv_text(d, "orders").encode()
    (d / "orders.parquet").unlink()
    (d / "orders.csv").write_bytes(body)
    (d / "orders.csv.gz").write_bytes(gzip.compress(body, mtime=0))


def _dangling(d: Path) -> None:
    _unlink(d, "orders.parquet")
    os.symlink(d.parent / "moved-away" / "orders.parquet", d / "orders.parquet")


def _loop(d: Path) -> None:
    _unlink(d, "orders.parquet")
    os.symlink("orders.parquet", d / "orders.parquet")


def _loop_pair(d: Path) -> None:
    _unlink(d, "orders.parquet")
    os.symlink("orders.csv", d / "orders.parquet")
    os.symlink("orders.parquet", d / "orders.csv")


def _valid_link(d: Path) -> None:
    elsewhere = d.parent / "elsewhere"
    elsewhere.mkdir()
    (d / "orders.parquet").rename(elsewhere / "orders.parquet")
    os.symlink(elsewhere / "orders.parquet", d / "orders.parquet")


def _folder_as_table(d: Path) -> None:
    (d / "orders.parquet").rename(d.parent / "part-0.parquet")
    (d / "orders.parquet").mkdir()
    (d.parent / "part-0.parquet").rename(d / "orders.parquet" / "part-0.parquet")


def _fifo(d: Path) -> None:
    _unlink(d, "orders.parquet")
    os.mkfifo(d / "orders.parquet")


def _corrupt_footer(b: bytes) -> bytes:
    # keep the footer length and the closing magic; overwrite the footer's metadata itself
    return b[:-208] + bytes(range(200)) + b[-8:]


def _zero_in(column: str, skip: int, n: int = 40) -> Callable[[Path], None]:
    """Zero ``n`` bytes ``skip`` bytes into ``column``'s first page of orders.parquet (a page that still decodes)."""
    def damage(d: Path) -> None:
        import pyarrow.parquet as pq

        p = d / "orders.parquet"
        md = pq.ParquetFile(p).metadata
        chunk = next(md.row_group(0).column(j) for j in range(md.num_columns)
                     if md.row_group(0).column(j).path_in_schema == column)
        start = (chunk.dictionary_page_offset or chunk.data_page_offset) + skip
        b = p.read_bytes()
        p.write_bytes(b[:start] + bytes(n) + b[start + n:])
    return damage


def _duplicate_column(d: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pq.read_table(d / "orders.parquet")
    zeros = pa.array([0.0] * len(t))
    pq.write_table(pa.Table.from_arrays([*t.columns, zeros], names=[*t.column_names, "amount"]), d / "orders.parquet")


def _upper_case(d: Path) -> None:
    (d / "orders.parquet").rename(d / "Orders.PARQUET")


def _both_cases(d: Path) -> None:
    (d / "Orders.parquet").write_bytes((d / "orders.parquet").read_bytes())


def _text_as_parquet(d: Path) -> None:
    (d / "orders.parquet").write_text(csv_text(d, "orders"), encoding="utf-8")


def _parquet_as_csv(d: Path) -> None:
    (d / "orders.parquet").rename(d / "orders.csv")


def _empty_folder(d: Path) -> None:
    for p in d.iterdir():
        p.unlink()


def _csv_gz(d: Path) -> None:
    body = csv_text(d, "orders").encode()
    _unlink(d, "orders.parquet")
    (d / "orders.csv.gz").write_bytes(gzip.compress(body, mtime=0))


def _truncated_gz(d: Path) -> None:
    body = gzip.compress(csv_text(d, "orders").encode(), mtime=0)
    _unlink(d, "orders.parquet")
    (d / "orders.csv.gz").write_bytes(body[: len(body) // 2])


def _unknown_files(d: Path) -> None:
    (d / "notes.parquet").write_bytes((d / "rooms.parquet").read_bytes())
    (d / "README.txt").write_text("exported 2026-09-14\n", encoding="utf-8")
    (d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")


def _excel_beside(d: Path) -> None:
    (d / "sessions.xlsx").write_bytes(b"PK\x03\x04" + bytes(60))


def _file_target(d: Path) -> Path:
    return d / "sessions.parquet"


def _missing_target(d: Path) -> Path:
    return d.parent / "no-such-folder"


def _dangling_folder(d: Path) -> Path:
    link = d.parent / "data-link"
    os.symlink(d.parent / "gone", link)
    return link


def _linked_folder(d: Path) -> Path:
    link = d.parent / "data-link"
    os.symlink(d, link)
    return link


def _rows(d: Path) -> None:
    read(d, "orders")  # noqa: B018 - the copy is valid as it is


def _F(*names: str) -> tuple[str, ...]:
    return names


CASES = [
    Case("two files: sessions.parquet + sessions.csv", _two_files_parquet_csv,
         Refused(frozenset({("sessions", None)}), _F("sessions.csv", "sessions.parquet", "two files"))),
    Case("two files: orders.csv + orders.csv.gz", _two_files_csv_gz,
         Refused(frozenset({("orders", None)}), _F("orders.csv ", "orders.csv.gz", "two files"))),
    Case("dangling symlink", _dangling,
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "does not exist", "moved-away"))),
    Case("symlink to itself", _loop, Refused(frozenset({("orders", None)}), _F("orders.parquet", "loops"))),
    Case("two symlinks pointing at each other", _loop_pair,
         Refused(frozenset({("orders", None)}), _F("orders.csv and orders.parquet", "two files"))),
    Case("unreadable file (permission)", _rows,
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "permission denied")),
         deny=("orders.parquet",)),
    Case("zero-byte Parquet", _bytes("orders.parquet", lambda b: b""),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "empty (0 bytes)"))),
    Case("truncated Parquet (first half)", _bytes("orders.parquet", lambda b: b[: len(b) // 2]),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "truncated or corrupt"))),
    Case("Parquet cut 1 byte short", _bytes("events.parquet", lambda b: b[:-1]),
         Refused(frozenset({("events", None)}), _F("events.parquet", "truncated or corrupt"))),
    Case("corrupt Parquet footer", _bytes("orders.parquet", _corrupt_footer),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "truncated or corrupt"))),
    Case("corrupt Parquet data pages", _bytes("orders.parquet", lambda b: b[:1000] + bytes(200) + b[1200:]),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "cannot be read", "corrupt"))),
    # pages without checksums that still decode, into other values: the data disagrees with the footer
    Case("damaged page of orders.amount (decodes to zeros)", _zero_in("amount", 27),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "corrupt", "amount"))),
    Case("damaged page of orders.ts (decodes to 1970)", _zero_in("ts", 45),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "corrupt", "ts"))),
    Case("damaged page of orders.channel (decodes to garbage text)", _zero_in("channel", 54),
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "corrupt", "channel"))),
    Case("Parquet column named twice (orders.amount)", _duplicate_column,
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "'amount' appears twice"))),
    Case("CSV text named .parquet", _text_as_parquet,
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "not a Parquet file"))),
    Case("Parquet file named .csv", _parquet_as_csv, Refused(frozenset({("orders", None)}), _F("orders.csv", "Parquet"))),
    Case("folder named orders.parquet (partitioned export)", _folder_as_table,
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "is a folder"))),
    Case("FIFO named orders.parquet (must not block)", _fifo,
         Refused(frozenset({("orders", None)}), _F("orders.parquet", "not a regular file"))),
    Case("zero-byte CSV", chain(to_csv("rooms"), _bytes("rooms.csv", lambda b: b"")),
         Refused(frozenset({("rooms", None)}), _F("rooms.csv", "empty"))),
    Case("truncated .csv.gz", _truncated_gz, Refused(frozenset({("orders", None)}), _F("orders.csv.gz"))),
    Case("empty folder", _empty_folder,
         Refused(frozenset({("rooms", None), ("sessions", None)}), _F("required table is missing", "rooms.parquet"))),
    Case("file given where the folder is expected", _rows,
         Refused(None, _F("sessions.parquet", "is a file, not a data folder")), target=_file_target),
    Case("folder that does not exist", _rows, Refused(None, _F("no-such-folder", "does not exist")),
         target=_missing_target),
    Case("data folder is a dangling symlink", _rows, Refused(None, _F("data-link", "does not exist")),
         target=_dangling_folder),
    Case("unknown extra files", _unknown_files, Read(same_numbers, frozenset({("notes.parquet", None)}))),
    Case("Excel workbook beside the tables", _excel_beside, Read(same_numbers, frozenset({("sessions.xlsx", None)}))),
    Case("file name in capitals (Orders.PARQUET)", _upper_case, Read(same_numbers)),
    Case("two files differing in letter case (Orders.parquet + orders.parquet)", _both_cases,
         Refused(frozenset({("orders", None)}), _F("Orders.parquet and orders.parquet", "two files"))),
    Case("table behind a valid symlink", _valid_link, Read(same_numbers)),
    Case("data folder behind a symlink", _rows, Read(same_numbers), target=_linked_folder),
    Case("orders as .csv.gz", _csv_gz, Read(same_numbers)),
]
