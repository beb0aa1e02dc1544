"""The default demo dataset (seed 7, scale 1, 8 weeks), generated once for the demo tests."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb import demo, schema


@pytest.fixture(scope="package")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.generate(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture(scope="package")
def t(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(data_dir / f"{name}.parquet") for name in schema.TABLES}


@pytest.fixture(scope="package")
def planted(data_dir: Path) -> dict:
    return json.loads((data_dir / "planted.json").read_text(encoding="utf-8"))
