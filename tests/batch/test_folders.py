"""Report folders: one per exact session id, readable, always a single safe path component (fast: no kernels)."""
from __future__ import annotations

import hashlib
import json
import os

import pytest

from liveops_nb.batch import report_complete, report_dir, report_dir_name
from liveops_nb.batch.folders import check_unique, remove_stale_builds, temp_dir_name
from liveops_nb.errors import LiveOpsError

from .helpers import IDS


def test_ids_differing_only_by_space_underscore_or_slash_get_three_folders():
    names = [report_dir_name(sid) for sid in IDS]
    assert len(set(names)) == 3
    for sid, name in zip(IDS, names, strict=True):
        slug, digest = name.rsplit("-", 1)
        assert slug == "S_1"  # readable: the same slug for all three ...
        assert digest == hashlib.sha256(sid.encode("utf-8")).hexdigest()[:8]  # ... told apart by the exact id's hash
    assert report_dir_name("S 1") == names[0]  # the same id always maps to the same folder (a rerun finds it)


@pytest.mark.parametrize("sid", ["..", "../etc", "/abs/path", ".hidden", "", " ", "a" * 400, "直播间/第1场" * 40,
                                 "S1\x00", "C:\\x", "😀", "-x-"])
def test_every_id_maps_to_one_safe_path_component(tmp_path, sid):
    name = report_dir_name(sid)
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name not in ("", ".", "..")
    assert len(name.encode("utf-8")) <= 255  # the file-name limit of common file systems
    assert report_dir(tmp_path, sid).parent == tmp_path
    (tmp_path / name).mkdir()  # really creatable


def test_cjk_ids_stay_readable_and_ids_differing_by_case_differ_on_any_disk():
    assert report_dir_name("小美-0907 晚场").startswith("小美-0907_晚场-")
    a, b = report_dir_name("s1"), report_dir_name("S1")
    assert a.casefold() != b.casefold()  # distinct even where the disk ignores case


def test_a_hash_clash_is_refused_rather_than_sharing_a_folder(monkeypatch):
    from liveops_nb.batch import folders

    check_unique(IDS)  # the real ids: fine
    monkeypatch.setattr(folders, "report_dir_name", lambda sid: "same-00000000")
    with pytest.raises(LiveOpsError, match="would share the report folder"):
        folders.check_unique(["a", "b"])


def _report(out, sid, *, figures_id=None, files=("review.ipynb", "review.html", "key_figures.json")):
    folder = report_dir(out, sid)
    folder.mkdir(parents=True)
    for name in files:
        text = json.dumps({"session_id": figures_id or sid}) if name == "key_figures.json" else "x"
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_report_is_complete_only_with_its_three_files_naming_its_own_session(tmp_path):
    _report(tmp_path, "S 1")
    assert report_complete(tmp_path, "S 1")
    assert not report_complete(tmp_path, "S_1")  # no folder
    _report(tmp_path, "S_1", files=("review.ipynb", "key_figures.json"))
    assert not report_complete(tmp_path, "S_1")  # no review.html
    _report(tmp_path, "S/1", figures_id="S 1")
    assert not report_complete(tmp_path, "S/1")  # the key figures are another session's
    (report_dir(tmp_path, "S 1") / "key_figures.json").write_text('{"session_id": "S 1"', encoding="utf-8")
    assert not report_complete(tmp_path, "S 1")  # unreadable key figures


def test_stale_build_folders_of_dead_processes_are_removed_live_ones_kept(tmp_path):
    mine = tmp_path / temp_dir_name("S 1", "aaaa")  # this (live) process
    dead = tmp_path / f".tmp-{report_dir_name('S_1')}-999999999-bbbb"  # no such pid
    for p in (mine, dead):
        p.mkdir()
        (p / "review.ipynb").write_text("{", encoding="utf-8")
    assert str(os.getpid()) in mine.name
    assert remove_stale_builds(tmp_path) == [dead]
    assert mine.exists() and not dead.exists()
