"""Tests for liveops_nb.abtest.archive: append-only records, concurrent writers, filters.

The CSV export and the archive's words are tested in tests/render/test_abtest_archive.py.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import threading

import pytest

import liveops_nb
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest import archive as ar

from .helpers import tiny_experiment


def record(i: int, **kw) -> dict:
    base = {"record_id": f"r{i}", "archived_at": f"2026-10-0{1 + i % 9}T08:00:00+00:00", "author": "小王",
            "decision": "ship", "notes": "", "experiment_id": f"EXP-{i}", "experiment_name": f"实验{i}",
            "variable": "script", "unit": "session", "room_ids": ["R01"], "control": "A", "verdict": ["ok"],
            "results": [{"metric": "click_to_order_rate", "treatment": "B", "effect_rel": 0.1, "p_value": 0.01}]}
    return {**base, **kw}


def _writer(args):  # top level so a process pool can pickle it
    folder, i, start = args
    start.wait()
    return str(ar.save_record(folder, record(i)))


def test_analysis_record_round_trip(tmp_path):
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    a = an.analyze(ds, "EXP-T", metrics=["gmv"])
    path = ar.archive_verdict(tmp_path / "t", a, decision="iterate", notes="再测两周", author="小李")
    assert path.parent == tmp_path / "t" / "archive" and path.suffix == ".json"
    df = ar.load_archive(tmp_path / "t")
    assert len(df) == 1  # one metric × one treatment
    row = df.iloc[0]
    assert (row.experiment_id, row.control, row.treatment, row.metric, row.decision, row.author, row.notes) == \
        ("EXP-T", "A", "B", "gmv", "iterate", "小李", "再测两周")
    # GMV per assigned viewer: A = 200 / 3, B = 400 / 3 (hand sums in test_sums) -> relative +100 %
    assert row.control_value == pytest.approx(200 / 3) and row.effect_rel == pytest.approx(1.0)
    assert row.room_ids == "R1" and row.archived_at.tz is not None


def test_unknown_decision_is_refused(tmp_path):
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    with pytest.raises(ar.ArchiveError):
        ar.build_record(an.analyze(ds, "EXP-T", metrics=["gmv"]), decision="maybe")


def test_two_thread_writers_at_the_same_moment_are_both_saved(tmp_path):
    start = threading.Barrier(8)
    paths: list[str] = []
    threads = [threading.Thread(target=lambda i=i: paths.append(_writer((tmp_path, i, start)))) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(set(paths)) == 8
    assert sorted(r["record_id"] for r in ar.read_records(tmp_path)) == sorted(f"r{i}" for i in range(8))
    assert not list((tmp_path / "archive").glob(".*"))  # no temporary files left behind


def test_two_process_writers_are_both_saved(tmp_path):
    ctx = mp.get_context("fork")
    with ctx.Manager() as m:
        start = m.Barrier(2)
        with ctx.Pool(2) as pool:
            paths = pool.map(_writer, [(tmp_path, 0, start), (tmp_path, 1, start)])
    assert len(set(paths)) == 2
    assert {r["record_id"] for r in ar.read_records(tmp_path)} == {"r0", "r1"}


def test_an_existing_record_is_never_overwritten(tmp_path, monkeypatch):
    monkeypatch.setattr(ar, "record_file_name", lambda: "20261001T080000000000Z-same.json")  # force a clash
    first = ar.save_record(tmp_path, record(1))
    with pytest.raises(FileExistsError):
        ar.save_record(tmp_path, record(2))
    assert json.loads(first.read_text(encoding="utf-8"))["record_id"] == "r1"
    assert len(list((tmp_path / "archive").iterdir())) == 1  # and the temporary file is gone


def test_filters(tmp_path):
    ar.save_record(tmp_path, record(1, variable="script", room_ids=["R01", "R02"], decision="ship"))
    ar.save_record(tmp_path, record(2, variable="coupon", room_ids=["R02"], decision="keep_control"))
    ar.save_record(tmp_path, record(3, variable="creative", room_ids=["R03"], decision="iterate",
                                    results=[{"metric": "impression_to_view_rate", "treatment": "30s"},
                                             {"metric": "impression_to_view_rate", "treatment": "60s"}]))
    df = ar.load_archive(tmp_path)
    assert len(df) == 1 + 1 + 2  # one row per (record, metric, treatment)
    assert ar.filter_archive(df, room="R02").experiment_id.tolist() == ["EXP-1", "EXP-2"]
    assert ar.filter_archive(df, room="R0").empty  # whole room ids only
    assert ar.filter_archive(df, variable="creative").treatment.tolist() == ["30s", "60s"]
    assert ar.filter_archive(df, metric="click_to_order_rate").experiment_id.tolist() == ["EXP-1", "EXP-2"]
    assert ar.filter_archive(df, decision="keep_control", room="R02").experiment_id.tolist() == ["EXP-2"]
    assert len(ar.filter_archive(df, variable="", room=None)) == 4


def test_empty_archive_has_the_columns(tmp_path):
    df = ar.load_archive(tmp_path)
    assert df.empty and {"experiment_id", "decision", "metric", "room_ids"} <= set(df.columns)



def test_a_read_only_archive_gives_the_package_error_naming_the_folder(tmp_path, monkeypatch):
    def refused(path, payload):  # what a read-only mount answers (root would otherwise write anyway)
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(ar, "write_new", refused)
    with pytest.raises(ar.ArchiveError, match=r"archive folder .*archive cannot be written \(Permission denied\)"):
        ar.save_record(tmp_path, {"experiment_id": "E1", "decision": "ship"})
