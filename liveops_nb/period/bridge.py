"""GMV bridge: a GMV change split exactly into traffic, conversion and order-value effects.

GMV = UV × (buyers / UV) × (GMV / buyers) — the registry's ``uv``, ``view_to_order_rate`` and ``aov``
(their product is the registry's ``gmv`` whenever there are viewers and buyers). Between two periods
the change of GMV is split with the **Shapley value** of the three factors
(:func:`liveops_nb.measures.shapley_product`): each factor's effect is its change times the average,
over the orders in which the factors can move, of the other two factors' product. The three effects
add up *exactly* to the GMV change, with no residual and no logarithm, so a factor that is zero in one
period needs no special formula (LMDI would need the limit ``L(0, x) = 0``).

Undefined factors: without buyers the order value GMV / buyers is undefined, without viewers the
conversion too. An undefined factor of one period takes the *other* period's value (it cannot have
moved GMV: with no buyers any order value gives GMV 0), so its effect is 0 and the whole change goes to
the factors that are defined; undefined in both periods, it is 0. A period whose viewers are unknown
(not available from the source) gives no bridge (NaN effects).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from ..errors import BridgeInputError
from .frames import Scope, periods_frame, room_names

if TYPE_CHECKING:
    from ..dataset import Dataset

FACTORS: tuple[str, ...] = ("uv", "view_to_order_rate", "aov")
"""The registry keys of the three factors: traffic, conversion, order value."""
EFFECTS: tuple[str, ...] = ("traffic", "conversion", "order_value")
KEYS: tuple[str, ...] = ("gmv", *FACTORS)
TOLERANCE = 1e-6
"""Relative difference allowed between a given GMV and UV × conversion × order value."""


def gmv_bridge(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """Split the GMV change from ``before`` to ``after`` into traffic, conversion and order-value effects.

    Parameters
    ----------
    before, after : registry values of the two periods: ``uv``, ``view_to_order_rate`` (buyers / UV) and
        ``aov`` (GMV / buyers); ``gmv`` optional (checked against the product). NaN or None = undefined
        (see the module docstring).

    Returns
    -------
    dict
        ``gmv_before``, ``gmv_after``, ``change`` (after − before) and the effects ``traffic``,
        ``conversion``, ``order_value``, which add up to ``change`` exactly (Shapley decomposition).

    Raises
    ------
    BridgeInputError
        A given GMV differs from UV × conversion × order value (the inputs do not belong together),
        or a factor is negative.

    Examples
    --------
    Twice the viewers, the same conversion and order value: all of the ¥1,000 gain is traffic.

    >>> from liveops_nb.period import gmv_bridge
    >>> b = gmv_bridge({"uv": 100, "view_to_order_rate": 0.1, "aov": 100},
    ...                {"uv": 200, "view_to_order_rate": 0.1, "aov": 100})
    >>> b["traffic"], b["conversion"], b["order_value"]
    (1000.0, 0.0, 0.0)
    """
    b = [_num(before.get(k)) for k in FACTORS]
    a = [_num(after.get(k)) for k in FACTORS]
    for side, vals in (("before", b), ("after", a)):
        if any(pd.notna(v) and v < 0 for v in vals):
            raise BridgeInputError(f"{side}: UV, conversion and order value must not be negative, got {vals}")
    if pd.isna(b[0]) or pd.isna(a[0]):
        nan = float("nan")
        return {"gmv_before": _num(before.get("gmv")), "gmv_after": _num(after.get("gmv")), "change": nan,
                "traffic": nan, "conversion": nan, "order_value": nan}
    for i in (1, 2):  # an undefined factor takes the other period's value; undefined in both: 0
        if pd.isna(b[i]) and pd.isna(a[i]):
            b[i] = a[i] = 0.0
        elif pd.isna(b[i]):
            b[i] = a[i]
        elif pd.isna(a[i]):
            a[i] = b[i]
    g0, g1 = b[0] * b[1] * b[2], a[0] * a[1] * a[2]
    for side, given, made in (("before", before.get("gmv"), g0), ("after", after.get("gmv"), g1)):
        if given is not None and pd.notna(given) and abs(float(given) - made) > TOLERANCE * max(1.0, abs(made)):
            raise BridgeInputError(f"{side}: GMV {float(given):,.2f} is not UV × conversion × order value "
                                   f"({made:,.2f}); pass the values of one and the same period and scope")
    traffic, conversion, order_value = measures.shapley_product((b[0], b[1], b[2]), (a[0], a[1], a[2]))
    return {"gmv_before": g0, "gmv_after": g1, "change": g1 - g0,
            "traffic": traffic, "conversion": conversion, "order_value": order_value}


@dataclass(frozen=True)
class BridgeData:
    """The bridge per room and in total.

    Attributes
    ----------
    before, after : period labels.
    table : one row per scope (room id, or ``__total__``): ``scope``, ``name``, ``gmv_before``, ``gmv_after``,
        ``change``, ``traffic``, ``conversion``, ``order_value`` and the three factors before / after.
    """

    before: str
    after: str
    table: pd.DataFrame


def build(ds: Dataset, scope: Scope, *, against: str = "previous", history_n: int | None = None) -> BridgeData:
    """The bridge of ``scope``'s period against the previous period (``against="cycle"``: one cycle earlier).

    Reads the results section's KPIs (:func:`.frames.periods_frame` with the results' keys and look-back,
    ``history_n`` as there), so a page showing both asks the engine once.
    """
    from .goals import HISTORY_N, TOTAL, lookback
    from .goals import KEYS as RESULT_KEYS

    p = scope.period
    ref = p.previous if against == "previous" else p.cycle_earlier
    frame = periods_frame(ds, scope, RESULT_KEYS, lookback(p.grain, history_n or HISTORY_N))
    names = room_names(ds)
    rows = []
    for scope_id in [*scope.room_ids(ds), TOTAL]:
        own = frame[frame["room_id"] == scope_id].set_index("period")
        if p.label not in own.index and ref.label not in own.index:
            continue
        zero = {"gmv": 0.0, "uv": 0.0, "view_to_order_rate": float("nan"), "aov": float("nan")}
        before = {k: _num(own.at[ref.label, k]) for k in KEYS} if ref.label in own.index else zero
        after = {k: _num(own.at[p.label, k]) for k in KEYS} if p.label in own.index else zero
        split = gmv_bridge(before, after)
        rows.append({"scope": scope_id, "name": names.get(scope_id, "") if scope_id != TOTAL else "", **split,
                     **{f"{k}_before": _num(before.get(k)) for k in FACTORS},
                     **{f"{k}_after": _num(after.get(k)) for k in FACTORS}})
    return BridgeData(ref.label, p.label, pd.DataFrame(rows))


def key_figures(data: BridgeData) -> dict[str, float | str | None]:
    """The total's change and its three effects."""
    out: dict[str, float | str | None] = {"before": data.before, "after": data.after}
    tot = data.table[data.table["scope"] == "__total__"]
    for col in ("gmv_before", "gmv_after", "change", *EFFECTS):
        v = tot[col].iloc[0] if len(tot) else float("nan")
        out[col] = None if pd.isna(v) else float(v)
    return out


def _num(v: object) -> float:
    x = pd.to_numeric(pd.Series([v], dtype=object), errors="coerce").iloc[0]
    return float(x) if pd.notna(x) else float("nan")
