"""Tests for liveops_nb.render.abtest_archive: the archive's words, table and Excel-friendly CSV."""
from __future__ import annotations

import liveops_nb
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest import archive as ar
from liveops_nb.render.abtest_archive import (
    HEADERS,
    archive_frame,
    display_frame,
    export_csv,
    record_texts,
    to_csv_bytes,
)
from tests.abtest.helpers import tiny_experiment
from tests.abtest.test_archive import record


def test_every_archive_column_has_headers():
    assert set(HEADERS) == set(ar.COLUMNS)


def test_csv_export_opens_in_excel(tmp_path):
    ar.save_record(tmp_path, record(1, notes="主播：小美, “福利”"))
    out = export_csv(ar.load_archive(tmp_path), tmp_path / "x.csv", lang="zh")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads the Chinese correctly
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("归档时间,归档人,实验ID")
    assert "上线实验组" in text and "“福利”" in text
    assert "Archived at" in to_csv_bytes(ar.load_archive(tmp_path), "en").decode("utf-8-sig")


def test_a_neutral_record_gets_its_words_when_shown(tmp_path):
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    a = an.analyze(ds, "EXP-T", metrics=["gmv"])
    rec = ar.build_record(a, decision="ship")
    assert "verdict" not in rec and "lang" not in rec and rec["findings"][0]["code"] in ("significant", "not_significant",
                                                                                          "not_significant_no_mde")
    zh, en = record_texts(rec, "zh"), record_texts(rec, "en")
    assert zh["results"][0]["metric_label"] == "成交金额" and en["results"][0]["metric_label"] == "GMV"
    assert "+100.0%" in zh["verdict"][0] and zh["lang"] == "zh"
    ar.save_record(tmp_path, rec)
    df = archive_frame(ar.read_records(tmp_path), "en")
    assert df.metric_label.tolist() == ["GMV"] and df.verdict[0] == en["verdict"][0]
    shown = display_frame(df, "en")
    assert shown["Decision"].tolist() == ["Ship the treatment"] and shown["Relative effect"].tolist() == ["+100.0%"]
