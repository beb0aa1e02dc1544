"""The thresholds of the segment board: RFM layers and spending tiers (``segments.yaml``).

The package ships ``liveops_nb/defaults/segments.yaml`` (every rule documented there and in
docs/segments.md); a ``segments.yaml`` in the data folder replaces it, key by key.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import find_config
from ..errors import ConfigError

FILE = "segments.yaml"


@dataclass(frozen=True)
class SegmentRules:
    """Layer windows (days) and spending-tier bounds (CNY).

    Attributes
    ----------
    new_days, at_risk_days, dormant_days : the layer windows (``new_days ≤ at_risk_days < dormant_days``).
    high_value_min_frequency : repeat purchase days a high-value buyer has at least.
    high_value_min_monetary_value : CNY per repeat purchase day a high-value buyer averages at least.
    spending_tiers : rising upper bounds of the spending tiers but the last.
    source : the file the rules came from.
    """

    new_days: int = 14
    at_risk_days: int = 28
    dormant_days: int = 56
    high_value_min_frequency: int = 2
    high_value_min_monetary_value: float = 200.0
    spending_tiers: tuple[float, ...] = (100.0, 300.0, 1000.0)
    source: str = "liveops_nb/defaults/segments.yaml"

    def __post_init__(self) -> None:
        where = self.source
        for name in ("new_days", "at_risk_days", "dormant_days"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"{where}: {name} must be a whole number of days ≥ 1")
        if not self.new_days <= self.at_risk_days < self.dormant_days:
            raise ConfigError(f"{where}: the windows must satisfy new_days ≤ at_risk_days < dormant_days "
                              f"(got {self.new_days}, {self.at_risk_days}, {self.dormant_days})")
        if self.high_value_min_frequency < 1 or self.high_value_min_monetary_value < 0:
            raise ConfigError(f"{where}: high_value.min_frequency must be ≥ 1 and min_monetary_value ≥ 0")
        tiers = self.spending_tiers
        if not tiers or any(b <= 0 for b in tiers) or any(b >= c for b, c in zip(tiers, tiers[1:], strict=False)):
            raise ConfigError(f"{where}: spending_tiers must be rising positive amounts, e.g. [100, 300, 1000]")


def _number(data: dict[str, Any], key: str, default: float, where: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    return float(value)


def rules_from(data: dict[str, Any], source: str = FILE) -> SegmentRules:
    """Rules from a mapping laid out like ``segments.yaml`` (missing keys keep their defaults).

    Raises
    ------
    ConfigError
        A value has the wrong type or the rules contradict each other.
    """
    d = SegmentRules()
    hv = data.get("high_value", {}) or {}
    if not isinstance(hv, dict):
        raise ConfigError(f"{source}: high_value must map min_frequency and min_monetary_value")
    tiers = data.get("spending_tiers", list(d.spending_tiers))
    if not isinstance(tiers, list) or any(isinstance(b, bool) or not isinstance(b, (int, float)) for b in tiers):
        raise ConfigError(f"{source}: spending_tiers must be a list of amounts, e.g. [100, 300, 1000]")
    days = {k: _number(data, k, getattr(d, k), source) for k in ("new_days", "at_risk_days", "dormant_days")}
    if any(v != int(v) for v in days.values()):
        raise ConfigError(f"{source}: the layer windows are whole numbers of days")
    freq = _number(hv, "min_frequency", d.high_value_min_frequency, source)
    if freq != int(freq):
        raise ConfigError(f"{source}: high_value.min_frequency is a whole number of repeat purchase days")
    return SegmentRules(int(days["new_days"]), int(days["at_risk_days"]), int(days["dormant_days"]), int(freq),
                        _number(hv, "min_monetary_value", d.high_value_min_monetary_value, source),
                        tuple(float(b) for b in tiers), source)


def load_rules(data_dir: str | Path | None = None) -> SegmentRules:
    """The segment rules: the data folder's ``segments.yaml``, else the shipped defaults.

    Raises
    ------
    ConfigError
        The file is not valid YAML or its rules are malformed.
    """
    path, data = find_config(FILE, data_dir)
    return rules_from(data, str(path or "liveops_nb/defaults/segments.yaml"))
