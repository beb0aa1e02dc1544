"""Configuration files of a data folder: ``benchmarks.yaml`` (category benchmarks).

Each file is YAML. The package ships defaults in ``liveops_nb/defaults``; a
file of the same name in the data folder replaces them. The shipped
``benchmarks.yaml`` is *illustrative* and pages say so.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ConfigError(f"{path} is not valid YAML: {err}. Fix the file or remove it to use the defaults.") from err
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping at the top level")
    return data


def find_config(name: str, data_dir: str | Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The configuration file ``name``: the data folder's own, else the package default.

    Parameters
    ----------
    name : file name, e.g. ``"benchmarks.yaml"``.
    data_dir : the dataset folder (``None``: only the package default).

    Returns
    -------
    The path of the data folder's file (``None`` for the package default or when there is
    neither) and the file's mapping (empty when there is neither).

    Raises
    ------
    ConfigError
        If the file is not valid YAML or does not hold a mapping.
    """
    if data_dir is not None and (Path(data_dir) / name).is_file():
        own = Path(data_dir) / name
        return own, _load_yaml(own)
    default = resources.files("liveops_nb") / "defaults" / name
    if default.is_file():
        with resources.as_file(default) as p:
            return None, _load_yaml(p)
    return None, {}


@dataclass(frozen=True)
class Benchmarks:
    """Category benchmarks: ``value(category, metric, "p50"|"p75")``."""

    categories: dict[str, dict[str, dict[str, float]]]
    illustrative: bool
    source: str

    def value(self, category: str, metric: str, level: str = "p50") -> float | None:
        v = self.categories.get(category, {}).get(metric, {}).get(level)
        return None if v is None else float(v)


def load_benchmarks(data_dir: str | Path | None = None) -> Benchmarks:
    """The category benchmarks: the data folder's ``benchmarks.yaml``, else the shipped illustrative ones.

    Parameters
    ----------
    data_dir : the dataset folder (``None``: the shipped defaults).

    Raises
    ------
    ConfigError
        If the file is malformed.
    """
    path, data = find_config("benchmarks.yaml", data_dir)
    cats = data.get("categories", {})
    if not isinstance(cats, dict):
        raise ConfigError("benchmarks.yaml: 'categories' must map category -> metric -> {p50, p75}")
    source = str(path or "liveops_nb/defaults/benchmarks.yaml")
    return Benchmarks(cats, bool(data.get("illustrative", path is None)), source)


def resolve_data_dir(data_dir: str | Path = "") -> Path:
    """Where the dataset is: the explicit parameter, else ``$LIVEOPS_DATA``, else the repo's ``data/demo``.

    Relative paths are tried against the working directory and its parent, so a
    notebook in ``notebooks/`` finds ``data/demo`` of the repository.
    """
    import os

    chosen = str(data_dir or os.environ.get("LIVEOPS_DATA", "") or "data/demo")
    p = Path(chosen).expanduser()
    if p.is_absolute():
        return p
    for base in (Path.cwd(), Path.cwd().parent):
        if (base / p).exists():
            return (base / p).resolve()
    return (Path.cwd() / p).resolve()
