"""A layer's buyers as a CSV file for targeted coupons (UTF-8 with BOM, so Excel reads the Chinese).

Columns: ``user_id, layer, frequency, recency, T, monetary_value, days_since_last, spend, last_purchase``
(RFM in days as of the as-of day; ``spend`` = GMV to date; ``last_purchase`` a local date). Files are
written atomically (:func:`liveops_nb.io.atomic.write_atomic`): a reader never sees half a file.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import UnknownOptionError
from ..io.atomic import write_atomic
from .board import layers, selection
from .layers import LAYERS
from .rules import SegmentRules

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

COLUMNS: tuple[str, ...] = ("user_id", "layer", "frequency", "recency", "T", "monetary_value", "days_since_last",
                            "spend", "last_purchase")


def layer_members(buyers: pd.DataFrame, layer: str) -> pd.DataFrame:
    """The rows of ``buyers`` (:func:`~liveops_nb.segments.layers.buyer_layers`) in ``layer``, by user id.

    Raises
    ------
    UnknownOptionError
        ``layer`` is not one of :data:`~liveops_nb.segments.layers.LAYERS`.
    """
    if layer not in LAYERS:
        raise UnknownOptionError("layer", layer, LAYERS)
    rows = buyers[buyers["layer"] == layer].sort_values("user_id")
    return rows[list(COLUMNS)].reset_index(drop=True)


def members_csv(members: pd.DataFrame) -> bytes:
    """``members`` as CSV bytes, UTF-8 with BOM; counts as whole numbers, dates year first."""
    out = members.copy()
    for c in ("frequency", "recency", "T", "days_since_last"):
        out[c] = out[c].round().astype("int64")
    out["last_purchase"] = pd.to_datetime(out["last_purchase"]).dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def export_layer(ds: Dataset, layer: str, path: str | Path, *, as_of: Any = None, granularity: str = "week",
                 room: str = "", rules: SegmentRules | None = None) -> Path:
    """Write the user ids (and RFM) of ``layer``'s buyers as of ``as_of`` to the CSV file ``path``.

    Parameters
    ----------
    ds : a viewer-level dataset.
    layer : one of ``new, active, high_value, at_risk, dormant``.
    path : the CSV file to write (replaced atomically; its folder must exist).
    as_of, granularity, room, rules : the board's selection (:func:`~liveops_nb.segments.board.selection`).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    UnknownOptionError
        An unknown layer, room or granularity.
    """
    if layer not in LAYERS:
        raise UnknownOptionError("layer", layer, LAYERS)
    sel = selection(ds, as_of, granularity, room, rules)
    return write_atomic(path, members_csv(layer_members(layers(ds, sel).buyers, layer)))
