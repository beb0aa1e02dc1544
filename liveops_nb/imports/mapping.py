"""Column mappings: which export header becomes which column of the data model (YAML, one file per platform).

A mapping is looked up by name in, in order: the folders given (``--mappings DIR``), ``data/mappings/``
under the working directory, then the copies shipped with the package (``douyin``, ``generic``). A
path to a ``.yaml`` file is used as it is. The format is documented in ``docs/imports.md`` and in the
comments of ``data/mappings/douyin.yaml`` and ``generic.yaml``.
"""
from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import ConfigError
from ..schema import PLATFORMS, TABLES

BUILTIN = Path(__file__).parent / "mappings"
SPECIAL = ("room_account", "room_name", "room_id", "session_id")
# extra target columns a table-kind may carry (they feed another table of the model)
_EXTRA = {"sessions": ("room_account", "room_name", "room_id"),
          "product_stats": ("name", "list_price", "category", "role"),
          "minute_stats": ("session_id",), "channels": ("session_id",), "pitches": ("session_id",)}


@functools.lru_cache(maxsize=1 << 16)
def norm(header: object) -> str:
    """A header as compared: NFKC (full-width to ASCII), no spaces, lower case (``人均观看时长（分钟）`` →
    ``人均观看时长(分钟)``)."""
    return "".join(unicodedata.normalize("NFKC", str(header)).split()).lower()


@dataclass(frozen=True)
class Rule:
    """What one export header becomes: stored columns (``targets``), a scale, or a rate to cross-check."""

    header: str
    targets: tuple[str, ...] = ()
    scale: float | None = None
    rate: tuple[str, str] | None = None


@dataclass(frozen=True)
class SheetSpec:
    """One kind of table in an export: a file, or a sheet of a workbook."""

    name: str
    table: str | None  # None: a record sheet that feeds the session (基本信息, 整体看板)
    rules: dict[str, Rule]  # normalised header -> rule
    layout: Literal["table", "record"] = "table"
    signature: tuple[str, ...] = ()
    fill: dict[str, Any] = field(default_factory=dict)
    total_row: str | None = None
    sub_rows: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def rule(self, header: object) -> Rule | None:
        """The rule of a header (``None``: not in the mapping)."""
        return self.rules.get(norm(header))


@dataclass(frozen=True)
class Mapping:
    """A platform's column mapping (see :func:`load_mapping`)."""

    platform: str
    path: Path
    digest: str
    kinds: dict[str, SheetSpec]  # table kinds: a file (or a single sheet) of one table
    workbook: dict[str, SheetSpec]  # sheet name -> spec, for the single-session workbook (may be empty)
    room_prefix: str = ""
    category: str = "未分类"
    merge_gap_minutes: float = 30.0
    rate_tolerance: float = 0.005
    channel_groups: dict[str, str] = field(default_factory=dict)

    def workbook_sheet(self, name: str) -> SheetSpec | None:
        """The workbook sheet spec a sheet name stands for (by name or alias)."""
        n = norm(name)
        return next((s for s in self.workbook.values() if n in {norm(s.name), *map(norm, s.aliases)}), None)


def find_mapping(name: str | Path, folders: Sequence[str | Path] = ()) -> Path:
    """The YAML file of mapping ``name`` (a platform name or a path), by the lookup order of the module docstring.

    Raises
    ------
    ConfigError
        No such mapping; the message lists the places searched and the mappings found there.
    """
    p = Path(name)
    if p.suffix.lower() in (".yaml", ".yml"):
        if p.is_file():
            return p
        raise ConfigError(f"mapping file '{p}' does not exist")
    places = [Path(f) for f in folders] + [Path("data/mappings"), BUILTIN]
    for folder in places:
        for ext in (".yaml", ".yml"):
            if (folder / f"{name}{ext}").is_file():
                return folder / f"{name}{ext}"
    known = sorted({q.stem for f in places if f.is_dir() for q in f.glob("*.y*ml")})
    raise ConfigError(f"no column mapping named '{name}' (looked in {', '.join(map(str, places))}); known: "
                      f"{', '.join(known)}. Write {name}.yaml in data/mappings/ (see docs/imports.md)")


def load_mapping(name: str | Path, folders: Sequence[str | Path] = ()) -> Mapping:
    """Read and check a column mapping.

    Parameters
    ----------
    name : a platform name (``douyin``, ``generic``, or a mapping you wrote) or a path to a YAML file.
    folders : extra folders searched first.

    Returns
    -------
    Mapping

    Raises
    ------
    ConfigError
        The YAML cannot be read, or names a table, column or channel group the data model does not have.
    """
    path = find_mapping(name, folders)
    data = path.read_bytes()
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as err:
        raise ConfigError(f"mapping {path} is not valid YAML: {err}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("kinds"), dict):
        raise ConfigError(f"mapping {path} needs a 'kinds:' section (see docs/imports.md)")
    platform = str(doc.get("platform", "other"))
    if platform not in PLATFORMS:
        raise ConfigError(f"mapping {path}: platform '{platform}' is not one of {', '.join(PLATFORMS)}")
    kinds: dict[str, SheetSpec] = {}
    workbook: dict[str, SheetSpec] = {}
    for kind, spec in doc["kinds"].items():
        if isinstance(spec, dict) and "sheets" in spec:
            for sheet, sspec in (spec["sheets"] or {}).items():
                workbook[str(sheet)] = _spec(str(sheet), sspec, path)
        else:
            kinds[str(kind)] = _spec(str(kind), spec, path)
    groups = {str(k): str(v) for k, v in (doc.get("channel_groups") or {}).items()}
    bad = sorted(set(groups.values()) - {"organic", "paid", "private"})
    if bad:
        raise ConfigError(f"mapping {path}: channel groups must be organic, paid or private, not {', '.join(bad)}")
    room = doc.get("room") or {}
    return Mapping(platform, path, hashlib.sha256(data).hexdigest()[:16], kinds, workbook,
                   str(room.get("id_prefix", "")), str(room.get("category", "未分类")),
                   float(doc.get("merge_gap_minutes", 30)), float(doc.get("rate_tolerance", 0.005)), groups)


def _spec(name: str, spec: Any, path: Path) -> SheetSpec:
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise ConfigError(f"mapping {path}: '{name}' needs a 'columns:' mapping of header -> column")
    table = spec.get("table")
    layout = spec.get("layout", "table")
    if table is None and layout != "record":
        raise ConfigError(f"mapping {path}: '{name}' needs 'table:' (one of {', '.join(TABLES)})")
    target_table = "sessions" if table is None else str(table)
    if target_table not in TABLES:
        raise ConfigError(f"mapping {path}: '{name}': table '{table}' is not in the data model "
                          f"({', '.join(TABLES)})")
    allowed = set(TABLES[target_table].column_names) | set(_EXTRA.get(target_table, ()))
    rules: dict[str, Rule] = {}
    for header, target in spec["columns"].items():
        rule = _rule(str(header), target, path, name)
        unknown = [c for c in (*rule.targets, *(rule.rate or ())) if c not in allowed]
        if unknown:
            raise ConfigError(f"mapping {path}: '{name}': header '{header}' maps to {', '.join(unknown)}, not a "
                              f"column of {target_table}; columns: {', '.join(sorted(allowed))}")
        rules[norm(header)] = rule
    fill = dict(spec.get("fill") or {})
    signature = tuple(str(h) for h in spec.get("signature") or ())
    missing = [h for h in signature if norm(h) not in rules]
    if missing:
        raise ConfigError(f"mapping {path}: '{name}': signature headers {', '.join(missing)} are not under columns")
    return SheetSpec(name, None if table is None else target_table, rules,
                     "record" if layout == "record" else "table", signature, fill,
                     None if spec.get("total_row") is None else str(spec["total_row"]),
                     tuple(str(s) for s in spec.get("sub_rows") or ()), tuple(str(a) for a in spec.get("aliases") or ()))


def _rule(header: str, target: Any, path: Path, name: str) -> Rule:
    if target is None:
        return Rule(header)
    if isinstance(target, str):
        return Rule(header, (target,))
    if isinstance(target, list):
        return Rule(header, tuple(map(str, target)))
    if isinstance(target, dict) and "rate" in target:
        pair = target["rate"]
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ConfigError(f"mapping {path}: '{name}': '{header}': rate takes [numerator, denominator]")
        return Rule(header, rate=(str(pair[0]), str(pair[1])))
    if isinstance(target, dict) and "to" in target:
        to = target["to"]
        return Rule(header, tuple(map(str, to if isinstance(to, list) else [to])),
                    None if target.get("scale") is None else float(target["scale"]))
    raise ConfigError(f"mapping {path}: '{name}': header '{header}' must map to a column, a list of columns, "
                      "{to: column, scale: n}, {rate: [numerator, denominator]} or null")
