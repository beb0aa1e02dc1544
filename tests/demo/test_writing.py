"""Writing a generated dataset: a folder another writer filled in the meantime is never overwritten silently."""
from __future__ import annotations

import os

import pyarrow as pa
import pytest

from liveops_nb.demo import writing
from liveops_nb.errors import OutputExistsError


def test_a_folder_filled_by_another_writer_meanwhile_gives_output_exists(tmp_path, monkeypatch):
    out = tmp_path / "data"
    real_rename = os.rename

    def racing_rename(src, dst):
        if str(dst) == str(out):  # another process finished first: its folder is there, not empty
            out.mkdir(exist_ok=True)
            (out / "sessions.parquet").write_bytes(b"theirs")
        return real_rename(src, dst)

    monkeypatch.setattr(writing.os, "rename", racing_rename)
    with pytest.raises(OutputExistsError):
        writing.write_dataset(out, {"rooms": pa.table({"room_id": ["R1"]})}, {}, overwrite=False)
    assert (out / "sessions.parquet").read_bytes() == b"theirs"  # the other writer's data kept
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no temporary folder left behind
