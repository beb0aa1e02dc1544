"""Every damaged dataset of the corpus: refused naming the place, or read with the right numbers; the folder unchanged.

A case copies the core tables of the small demo dataset (plus the tables it needs) into a fresh folder,
applies its one defect, snapshots the folder (hash, mode and mtime of every entry), opens it with
``liveops_nb.open`` and asserts the outcome (:mod:`tests.corpus.harness`), then that the snapshot is
unchanged. A raw traceback (any exception that is not a ``LiveOpsError``) or a hang fails the case.
"""
from __future__ import annotations

import builtins
import os
import shutil
from pathlib import Path

import pytest

from liveops_nb.io import folder as folder_module
from tests.corpus import cases_csv, cases_files, cases_read, cases_values
from tests.corpus.harness import CORE, Base, Case, assert_outcome, open_case, snapshot

ALL: list[Case] = cases_files.CASES + cases_values.CASES + cases_csv.CASES + cases_read.CASES


def test_the_corpus_is_large_and_names_are_unique() -> None:
    names = [c.name for c in ALL]
    assert len(names) == len(set(names))
    assert len(ALL) >= 60


def build(case: Case, demo: Path, root: Path) -> Path:
    d = root / case.folder
    d.mkdir(parents=True)
    for t in CORE + case.extra:
        shutil.copy2(demo / f"{t}.parquet", d / f"{t}.parquet")
    case.damage(d)
    return d


def deny_reading(monkeypatch: pytest.MonkeyPatch, d: Path, names: tuple[str, ...]) -> None:
    """Make ``names`` unreadable: chmod 000, and (as root, who reads anyway) a permission error on open."""
    denied = {str(d / n) for n in names}
    for p in denied:
        os.chmod(p, 0)
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file) in denied:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(folder_module, "open", guarded, raising=False)


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_case(case: Case, corpus_demo: Path, corpus_base: Base, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> None:
    d = build(case, corpus_demo, tmp_path / "case")
    target = case.target(d) if case.target else d
    if case.deny:
        deny_reading(monkeypatch, d, case.deny)
    before = snapshot(tmp_path / "case")
    try:
        ds, err = open_case(target)
        assert_outcome(case, ds, err, corpus_base, d)
        assert snapshot(tmp_path / "case") == before, "reading modified the data folder"
    finally:
        for root, dirs, files in os.walk(tmp_path / "case"):
            for n in dirs + files:
                p = Path(root) / n
                if not p.is_symlink() and p.exists():
                    os.chmod(p, 0o755 if p.is_dir() else 0o644)
