"""The bytes of a CSV file to text: compression, file type and text encoding, or a clear refusal.

Rules, in order:

1. ``.gz`` files (or any file starting with the gzip signature) are decompressed; a truncated or
   corrupt archive is refused.
2. A zero-byte (or whitespace-only) file is refused: it has no header line.
3. Files that are not text are refused with what they are: an Excel workbook (``.xlsx`` / ``.xls``),
   a Parquet file, or binary data.
4. A byte-order mark decides: UTF-8 with BOM (what Excel's "CSV UTF-8" writes), UTF-16 LE/BE, UTF-32.
5. Bytes that are valid UTF-8 are UTF-8, unless NUL bytes are frequent (≥ 5 %: UTF-16 without BOM).
   A UTF-8 file that ends in the middle of a character is refused as truncated; a file whose lines
   are mostly UTF-8 but a few are not (a cell pasted from another encoding) is refused naming the
   first such lines, since any single decoding would garble one part.
6. Otherwise charset-normalizer proposes decodings. GB18030 (the superset of GBK / GB2312 that
   Excel on Chinese Windows writes) is preferred whenever it decodes the file as cleanly as the best
   proposal; the choice is *sure* when it is charset-normalizer's own first choice and either a GB
   encoding or the only one that clean — otherwise it is used with a warning naming the file and the
   encoding. No proposal at all → refused as undecodable.

Nothing here raises a raw :class:`UnicodeDecodeError`; refusals are :class:`~liveops_nb.errors.DataFileError`.
"""
from __future__ import annotations

import codecs
import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataFileError

_GB = {"gb18030", "gbk", "gb2312", "cp936", "hz"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SAVE_UTF8 = "save the file as UTF-8 (Excel: Save As → 'CSV UTF-8 (Comma delimited)')"


@dataclass(frozen=True)
class Decoded:
    """The text of a file, the encoding used, and whether that encoding was a guess."""

    text: str
    encoding: str
    sure: bool = True


def load_text(path: Path, table: str) -> Decoded:
    """Read ``path`` and decode it by the rules of the module docstring.

    Parameters
    ----------
    path : Path
        The CSV file (``.csv`` or ``.csv.gz``).
    table : str
        The table it holds (named in errors).

    Returns
    -------
    Decoded

    Raises
    ------
    DataFileError
        Empty, compressed-and-corrupt, not-a-text-file, truncated or undecodable files.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataFileError(path, table, f"cannot be read ({err.strerror or err})",
                            "check that the file exists and that you may read it") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise DataFileError(path, table, f"compressed file is truncated or corrupt ({err})",
                                "compress the CSV again (or store it uncompressed)") from None
    if not data.strip():
        raise DataFileError(path, table, f"file is empty ({len(data)} bytes): it has no header line",
                            f"export {table} again, or remove the file if there is no {table} data")
    _refuse_non_text(data, path, table)
    return decode(data, path, table)


def _refuse_non_text(data: bytes, path: Path, table: str) -> None:
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataFileError(path, table, "is an Excel workbook, not a CSV file",
                            f"open it in Excel and {_SAVE_UTF8}, or save it as {table}.xlsx elsewhere")
    if data[:4] == b"PAR1":
        raise DataFileError(path, table, "is a Parquet file, not a CSV file",
                            f"rename it to {table}.parquet")


def decode(data: bytes, path: Path, table: str) -> Decoded:
    """Decode non-empty CSV bytes (rules 4–6 of the module docstring)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_strip_bom(data.decode(enc)), enc)
            except UnicodeDecodeError as err:
                raise DataFileError(path, table, f"starts with a {enc} byte-order mark but is not valid {enc} "
                                    f"(byte {err.start})", _SAVE_UTF8) from None
    if data.count(b"\x00") * 20 < len(data):  # UTF-16 without BOM has NUL in about every other byte
        try:
            return Decoded(_strip_bom(data.decode("utf-8")), "utf-8")
        except UnicodeDecodeError as err:
            if err.reason == "unexpected end of data" and err.end == len(data):
                line = data[:err.start].count(b"\n") + 1
                raise DataFileError(path, table, "ends in the middle of a character: the file is truncated",
                                    f"copy or export {path.name} again", line=line) from None
        _refuse_mixed_utf8(data, path, table)
    return _detect(data, path, table)


def _refuse_mixed_utf8(data: bytes, path: Path, table: str) -> None:
    good = 0
    bad: list[int] = []
    for no, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad.append(no)
    if bad and good >= 2 * len(bad):
        raise DataFileError(path, table, f"is UTF-8 except for {len(bad)} line(s) written in another encoding",
                            f"retype or re-paste the text of these lines, then {_SAVE_UTF8}", line=bad[0],
                            rows=[{"line": no} for no in bad[:5]], n_rows=len(bad))


def _detect(data: bytes, path: Path, table: str) -> Decoded:
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        raise DataFileError(path, table, "is not text in any encoding that could be recognised", _SAVE_UTF8)
    best = results[0]
    clean = [m for m in results if m.chaos <= best.chaos + 1e-9]
    gb = next((m for m in clean if m.encoding in _GB), None)
    chosen = gb or best
    encoding = "gb18030" if chosen.encoding in _GB else chosen.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text, encoding = str(chosen), chosen.encoding
    others = {str(m) for m in clean if m is not chosen}
    sure = chosen is best and (chosen.encoding in _GB or not (others - {text}))
    return Decoded(_strip_bom(text), encoding, sure)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
