"""Alert rules: the YAML file of a data folder (``alert_rules.yaml``), read and validated.

The package ships ``liveops_nb/defaults/alert_rules.yaml``; a file of the same name in the data folder
replaces it. The layout is documented with a commented example in docs/alerts.md. Every problem raises
:class:`~liveops_nb.errors.AlertRulesError` naming the rule and the field.

A rule watches one minute series of a session (:data:`EXTRA_METRICS` or any registry metric at the
minute grain) and has one of three kinds:

* ``threshold`` — the window's value compared with an absolute number, or with a ratio of a reference:
  ``room_median`` (the room's median at this minute of the broadcast over its earlier sessions of the
  same slot), ``recent_median`` (the session's own median of the previous minutes, held during a run)
  or ``stock`` (the product's stock at the start, for ``stock_left``);
* ``anomaly`` — a robust z-score against the session's own rolling median / MAD (:mod:`.detect`);
* ``level_shift`` — a change of level found by :func:`.detect.change_points` of at least ``min_shift``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from ..config import find_config
from ..errors import AlertRulesError, ConfigError
from ..metrics import REGISTRY

EXTRA_METRICS: tuple[str, ...] = ("online", "gmv_per_minute", "interaction_intensity", "stock_left")
"""Minute series that are not registry keys: online viewers (the registry's ``pcu`` of the minute), GMV of the
minute (``gmv``), 互动强度 / interaction intensity (:func:`liveops_nb.measures.interaction_intensity`) and
stock left per product (the ``inventory`` table's stock − units ordered so far)."""
KINDS = ("threshold", "anomaly", "level_shift")
COMPARISONS: dict[str, str] = {"below": "<", "above": ">", "at_or_below": "<=", "at_or_above": ">=",
                               "<": "<", ">": ">", "<=": "<=", ">=": ">="}
REFERENCES = ("room_median", "recent_median", "stock")
SEVERITIES = ("low", "medium", "high")
AGGREGATES = ("mean", "sum", "min", "max")
WEBHOOK_FORMATS = ("wecom", "dingtalk")
_RULE_FIELDS = {"id", "metric", "kind", "window", "aggregate", "comparison", "threshold", "min_duration",
                "severity", "quiet_minutes", "enabled", "rooms", "z", "history", "min_shift", "min_reference",
                "onset", "note"}
_OVERRIDABLE = _RULE_FIELDS - {"id", "metric", "kind", "rooms"}
Comparison = Literal["<", ">", "<=", ">="]


@dataclass(frozen=True)
class Threshold:
    """An absolute ``value``, or ``ratio`` × a reference (``of``: room_median, recent_median or stock)."""

    value: float | None = None
    ratio: float | None = None
    of: str | None = None
    minutes: int = 15  # recent_median: how many previous minutes

    @property
    def relative(self) -> bool:
        return self.of is not None


@dataclass(frozen=True)
class Rule:
    """One validated rule (see the module docstring and docs/alerts.md)."""

    id: str
    metric: str
    kind: str = "threshold"
    window: int = 1
    aggregate: str = "mean"
    comparison: Comparison = "<"
    threshold: Threshold | None = None
    min_duration: int = 1
    severity: str = "medium"
    quiet_minutes: int = 10
    enabled: bool = True
    z: float = 4.0
    history: int = 15
    min_shift: float = 0.3
    min_reference: float = 0.0
    onset: float | None = None
    rooms: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False)

    def for_room(self, room_id: str | None) -> Rule:
        """The rule with the room's overrides applied."""
        over = self.rooms.get(str(room_id)) if room_id is not None else None
        return replace(self, **over, rooms={}) if over else self


@dataclass(frozen=True)
class Baseline:
    """How the room's typical curve is made: up to ``sessions`` earlier sessions of the room whose start hour is
    within ``same_slot_hours`` of this one (all earlier sessions when fewer than ``min_sessions`` qualify); a
    minute of the broadcast needs ``min_sessions`` sessions that reached it."""

    sessions: int = 10
    min_sessions: int = 3
    same_slot_hours: float = 3.0


@dataclass(frozen=True)
class Webhook:
    """A group-bot webhook: ``format`` wecom or dingtalk; alerts of ``min_severity`` or worse are sent."""

    url: str
    format: str = "wecom"
    min_severity: str = "high"
    retries: int = 3
    backoff_seconds: float = 1.0
    timeout_seconds: float = 5.0
    secret: str | None = None  # DingTalk 加签 secret
    mention: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """The rules of a data folder, the baseline settings and the optional webhook."""

    rules: tuple[Rule, ...]
    baseline: Baseline = Baseline()
    webhook: Webhook | None = None
    source: str = "liveops_nb/defaults/alert_rules.yaml"

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise AlertRulesError(self.source, rule_id, None, "no such rule")


def load_rules(data_dir: str | Path | None = None) -> Rules:
    """The alert rules of a data folder: its ``alert_rules.yaml``, else the package's defaults.

    Parameters
    ----------
    data_dir : the dataset folder (``None``: the shipped defaults).

    Raises
    ------
    AlertRulesError
        If the file is malformed; the message names the rule and the field.
    """
    own = Path(data_dir) / "alert_rules.yaml" if data_dir is not None else None
    try:
        st = own.stat() if own is not None and own.is_file() else None
    except OSError:
        st = None
    key = (str(own) if st else None, st.st_size if st else 0, st.st_mtime_ns if st else 0)
    if key not in _LOADED:
        try:
            path, data = find_config("alert_rules.yaml", data_dir)
        except ConfigError as err:
            raise AlertRulesError(str(own or "alert_rules.yaml"), None, None, str(err)) from err
        _LOADED[key] = parse_rules(data, str(path or "liveops_nb/defaults/alert_rules.yaml"))
    return _LOADED[key]


_LOADED: dict[tuple, Rules] = {}  # parsed files by (path, size, mtime): a live refresh does not re-parse


def parse_rules(data: Mapping[str, Any], source: str = "alert_rules.yaml") -> Rules:
    """Validate a rules mapping (the YAML file's content); see :func:`load_rules`."""
    if not isinstance(data, Mapping):
        raise AlertRulesError(source, None, None, "the file must hold a mapping with 'rules'")
    unknown = sorted(set(data) - {"version", "defaults", "baseline", "webhook", "rules"})
    if unknown:
        raise AlertRulesError(source, None, unknown[0], "unknown top-level field (expected version, defaults, "
                                                        "baseline, webhook, rules)")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise AlertRulesError(source, None, "defaults", "must be a mapping of rule fields")
    bad = sorted(set(defaults) - _OVERRIDABLE)
    if bad:
        raise AlertRulesError(source, None, f"defaults.{bad[0]}", "not a field a default can be given for")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise AlertRulesError(source, None, "rules", "must be a non-empty list of rules")
    rules, seen = [], set()
    for i, raw in enumerate(raw_rules):
        if not isinstance(raw, Mapping):
            raise AlertRulesError(source, f"#{i + 1}", None, "a rule must be a mapping")
        rid = raw.get("id")
        if not isinstance(rid, str) or not rid.strip():
            raise AlertRulesError(source, f"#{i + 1}", "id", "every rule needs an id (text)")
        if rid in seen:
            raise AlertRulesError(source, rid, "id", "two rules have this id")
        seen.add(rid)
        rules.append(_rule({**defaults, **raw}, source))
    return Rules(tuple(rules), _baseline(data.get("baseline"), source), _webhook(data.get("webhook"), source), source)


# ----------------------------------------------------------------------------- one rule
def _fail(source: str, rule: str, fld: str, problem: str) -> AlertRulesError:
    return AlertRulesError(source, rule, fld, problem)


def _int(raw: Mapping[str, Any], key: str, default: int, source: str, rid: str, lo: int = 1) -> int:
    v = raw.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise _fail(source, rid, key, f"must be a whole number ≥ {lo}, not {v!r}")
    return v


def _num(raw: Mapping[str, Any], key: str, default: float, source: str, rid: str, positive: bool = True) -> float:
    v = raw.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (positive and v <= 0):
        raise _fail(source, rid, key, f"must be a {'positive ' if positive else ''}number, not {v!r}")
    return float(v)


def _choice(raw: Mapping[str, Any], key: str, default: str, allowed, source: str, rid: str) -> str:
    v = raw.get(key, default)
    if v not in allowed:
        raise _fail(source, rid, key, f"must be one of {', '.join(map(str, allowed))}, not {v!r}")
    return str(v)


def _threshold(v: Any, metric: str, source: str, rid: str, fld: str = "threshold") -> Threshold:
    if isinstance(v, bool):
        raise _fail(source, rid, fld, "must be a number or {ratio: R, of: room_median|recent_median|stock}")
    if isinstance(v, (int, float)):
        return Threshold(value=float(v))
    if not isinstance(v, Mapping):
        raise _fail(source, rid, fld, "must be a number or {ratio: R, of: room_median|recent_median|stock}")
    bad = sorted(set(v) - {"ratio", "of", "minutes"})
    if bad:
        raise _fail(source, rid, f"{fld}.{bad[0]}", "unknown (expected ratio, of, minutes)")
    of = v.get("of")
    if of not in REFERENCES:
        raise _fail(source, rid, f"{fld}.of", f"must be one of {', '.join(REFERENCES)}, not {of!r}")
    if (of == "stock") != (metric == "stock_left"):
        raise _fail(source, rid, f"{fld}.of", "'stock' is the reference of the metric stock_left only"
                    if of == "stock" else "stock_left compares with a number or {ratio: R, of: stock}")
    ratio = v.get("ratio")
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or ratio < 0:
        raise _fail(source, rid, f"{fld}.ratio", f"must be a number ≥ 0 (0.6 = 60 %), not {ratio!r}")
    minutes = v.get("minutes", 15)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 3:
        raise _fail(source, rid, f"{fld}.minutes", f"must be a whole number ≥ 3, not {minutes!r}")
    return Threshold(ratio=float(ratio), of=str(of), minutes=minutes)


def _rule(raw: Mapping[str, Any], source: str) -> Rule:
    rid = str(raw["id"])
    bad = sorted(set(raw) - _RULE_FIELDS)
    if bad:
        raise _fail(source, rid, bad[0], f"unknown field (expected {', '.join(sorted(_RULE_FIELDS))})")
    metric = raw.get("metric")
    if metric not in frozenset(REGISTRY) and metric not in EXTRA_METRICS:
        from ..errors import did_you_mean

        raise _fail(source, rid, "metric", f"{metric!r} is neither a registry metric nor one of "
                    f"{', '.join(EXTRA_METRICS)}.{did_you_mean(metric, [*REGISTRY, *EXTRA_METRICS])}")
    kind = _choice(raw, "kind", "threshold", KINDS, source, rid)
    comparison = raw.get("comparison", "below")
    if comparison not in COMPARISONS:
        raise _fail(source, rid, "comparison", f"must be one of below, above, at_or_below, at_or_above "
                                               f"(or <, >, <=, >=), not {comparison!r}")
    threshold = None
    if kind == "threshold":
        if "threshold" not in raw:
            raise _fail(source, rid, "threshold", "a threshold rule needs a threshold")
        threshold = _threshold(raw["threshold"], str(metric), source, rid)
    elif "threshold" in raw:
        raise _fail(source, rid, "threshold", f"a {kind} rule takes no threshold")
    if kind != "threshold" and metric == "stock_left":
        raise _fail(source, rid, "kind", "stock_left takes threshold rules only")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(source, rid, "enabled", f"must be true or false, not {enabled!r}")
    fields: dict[str, Any] = dict(
        id=rid, metric=str(metric), kind=kind,
        window=_int(raw, "window", 1, source, rid),
        aggregate=_choice(raw, "aggregate", "mean", AGGREGATES, source, rid),
        comparison=COMPARISONS[comparison], threshold=threshold,
        min_duration=_int(raw, "min_duration", 1, source, rid),
        severity=_choice(raw, "severity", "medium", SEVERITIES, source, rid),
        quiet_minutes=_int(raw, "quiet_minutes", 10, source, rid, lo=0),
        enabled=enabled, z=_num(raw, "z", 4.0, source, rid),
        history=_int(raw, "history", 15, source, rid, lo=3),
        min_shift=_num(raw, "min_shift", 0.3, source, rid),
        min_reference=_num(raw, "min_reference", 0.0, source, rid, positive=False),
        onset=None if raw.get("onset") is None else _num(raw, "onset", 0.7, source, rid),
    )
    if fields["min_reference"] < 0:
        raise _fail(source, rid, "min_reference", "must be ≥ 0")
    if fields["onset"] is not None and (fields["threshold"] is None or fields["threshold"].of != "recent_median"):
        raise _fail(source, rid, "onset", "only a threshold of recent_median has an onset")
    rooms = raw.get("rooms") or {}
    if not isinstance(rooms, Mapping):
        raise _fail(source, rid, "rooms", "must map room id -> fields to override")
    overrides: dict[str, dict[str, Any]] = {}
    for room, over in rooms.items():
        if not isinstance(over, Mapping):
            raise _fail(source, rid, f"rooms.{room}", "must be a mapping of fields to override")
        bad = sorted(set(over) - _OVERRIDABLE)
        if bad:
            raise _fail(source, rid, f"rooms.{room}.{bad[0]}", "cannot be overridden per room")
        merged = _rule({**raw, **over, "rooms": {}}, source) if over else None
        if merged is not None:
            overrides[str(room)] = {k: getattr(merged, k) for k in over}
    if kind == "threshold" and fields["threshold"] is not None and fields["threshold"].of == "stock" \
            and fields["window"] != 1:
        raise _fail(source, rid, "window", "stock_left is a level: its window must be 1")
    return Rule(**fields, rooms=overrides)


def _section(name: str):
    """Errors of a top-level section name it as the field (``webhook.format``), not as a rule."""
    def wrap(fn):
        def inner(raw: Any, source: str):
            try:
                return fn(raw, source)
            except AlertRulesError as err:
                if err.rule != name:
                    raise
                raise AlertRulesError(source, None, f"{name}.{err.field}", err.problem) from None
        return inner
    return wrap


@_section("baseline")
def _baseline(raw: Any, source: str) -> Baseline:
    if raw is None:
        return Baseline()
    if not isinstance(raw, Mapping):
        raise AlertRulesError(source, None, "baseline", "must be a mapping (sessions, min_sessions, same_slot_hours)")
    bad = sorted(set(raw) - {"sessions", "min_sessions", "same_slot_hours"})
    if bad:
        raise AlertRulesError(source, None, f"baseline.{bad[0]}", "unknown (expected sessions, min_sessions, "
                                                                  "same_slot_hours)")
    b = Baseline(_int(raw, "sessions", 10, source, "baseline"), _int(raw, "min_sessions", 3, source, "baseline"),
                 _num(raw, "same_slot_hours", 3.0, source, "baseline"))
    if b.min_sessions > b.sessions:
        raise AlertRulesError(source, None, "baseline.min_sessions", "cannot exceed baseline.sessions")
    return b


@_section("webhook")
def _webhook(raw: Any, source: str) -> Webhook | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise AlertRulesError(source, None, "webhook", "must be a mapping with url and format")
    allowed = {"url", "format", "min_severity", "retries", "backoff_seconds", "timeout_seconds", "secret", "mention"}
    bad = sorted(set(raw) - allowed)
    if bad:
        raise AlertRulesError(source, None, f"webhook.{bad[0]}", f"unknown (expected {', '.join(sorted(allowed))})")
    url = raw.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise AlertRulesError(source, None, "webhook.url", f"must be an http(s) address, not {url!r}")
    mention = raw.get("mention") or []
    if not isinstance(mention, list) or not all(isinstance(m, (str, int)) for m in mention):
        raise AlertRulesError(source, None, "webhook.mention", "must be a list of user ids or mobile numbers")
    secret = raw.get("secret")
    if secret is not None and not isinstance(secret, str):
        raise AlertRulesError(source, None, "webhook.secret", "must be text")
    w = "webhook"
    return Webhook(url=url, format=_choice(raw, "format", "wecom", WEBHOOK_FORMATS, source, w),
                   min_severity=_choice(raw, "min_severity", "high", SEVERITIES, source, w),
                   retries=_int(raw, "retries", 3, source, w, lo=0),
                   backoff_seconds=_num(raw, "backoff_seconds", 1.0, source, w),
                   timeout_seconds=_num(raw, "timeout_seconds", 5.0, source, w),
                   secret=secret, mention=tuple(str(m) for m in mention))
