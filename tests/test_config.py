"""Configuration files: the data folder's own ``benchmarks.yaml`` first, else the shipped defaults."""
from __future__ import annotations

from pathlib import Path

import pytest

from liveops_nb.config import load_benchmarks
from liveops_nb.errors import ConfigError


def test_without_a_file_the_shipped_illustrative_defaults_apply(tmp_path: Path) -> None:
    bench = load_benchmarks(tmp_path)
    assert bench.illustrative and bench.source == "liveops_nb/defaults/benchmarks.yaml"
    assert bench.value("彩妆", "refund_rate") == 0.10  # liveops_nb/defaults/benchmarks.yaml
    assert load_benchmarks(None).categories == bench.categories


def test_the_data_folders_own_file_wins(tmp_path: Path) -> None:
    (tmp_path / "benchmarks.yaml").write_text("illustrative: false\ncategories:\n  彩妆:\n    gpm: {p50: 1234}\n",
                                              encoding="utf-8")
    bench = load_benchmarks(tmp_path)
    assert not bench.illustrative and bench.source == str(tmp_path / "benchmarks.yaml")
    assert bench.value("彩妆", "gpm") == 1234.0 and bench.value("彩妆", "refund_rate") is None


def test_a_file_next_to_the_data_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "benchmarks.yaml").write_text("categories:\n  彩妆:\n    gpm: {p50: 1}\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    assert load_benchmarks(tmp_path / "data").source == "liveops_nb/defaults/benchmarks.yaml"


@pytest.mark.parametrize("text", ["categories: [1, 2", "- a list", "categories: [1, 2]"])
def test_malformed_file_raises_config_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "benchmarks.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_benchmarks(tmp_path)
