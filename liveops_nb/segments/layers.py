"""RFM layers of buyers: new, active, high-value, at-risk, dormant — counts, GMV share, trend, action.

Rules (thresholds from :class:`~liveops_nb.segments.rules.SegmentRules`, i.e. ``segments.yaml``), on the
RFM summary in days as of the end of the as-of day (:func:`~liveops_nb.segments.rfm.rfm_summary`,
``freq="D"``); ``days_since_last = T − recency``; the first rule that matches wins:

==========  =====================================================================
new         ``T < new_days`` (first purchase less than ``new_days`` days ago)
dormant     ``days_since_last ≥ dormant_days``
at_risk     ``days_since_last ≥ at_risk_days``
high_value  ``frequency ≥ high_value.min_frequency`` and
            ``monetary_value ≥ high_value.min_monetary_value``
active      everybody else
==========  =====================================================================

Each layer has a suggested action (a code; its words are rendered): new → new-customer gift,
active → member points, high-value → VIP perks, at-risk → reminder coupon, dormant → win-back coupon.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import measures
from .rfm import rfm_summary
from .rules import SegmentRules

LAYERS: tuple[str, ...] = ("new", "active", "high_value", "at_risk", "dormant")
ACTIONS: dict[str, str] = {"new": "new_customer_gift", "active": "member_points", "high_value": "vip_perks",
                           "at_risk": "reminder_coupon", "dormant": "win_back_coupon"}


def assign_layers(rfm: pd.DataFrame, rules: SegmentRules) -> pd.Series:
    """The layer of every row of a daily RFM summary (columns ``frequency, recency, T, monetary_value``)."""
    since_last = rfm["T"] - rfm["recency"]
    high = (rfm["frequency"] >= rules.high_value_min_frequency) & (
        rfm["monetary_value"] >= rules.high_value_min_monetary_value)
    layer = np.select([rfm["T"] < rules.new_days, since_last >= rules.dormant_days,
                       since_last >= rules.at_risk_days, high],
                      ["new", "dormant", "at_risk", "high_value"], default="active")
    return pd.Series(layer, index=rfm.index, name="layer", dtype=object)


def buyer_layers(purchases: pd.DataFrame, observation_end: pd.Timestamp, rules: SegmentRules) -> pd.DataFrame:
    """Every buyer's RFM summary (days), spend to date and layer as of ``observation_end``.

    Parameters
    ----------
    purchases : purchase rows ``user_id, day, gmv`` (later rows are ignored).
    observation_end : the last instant counted.
    rules : the layer thresholds.

    Returns
    -------
    DataFrame
        ``user_id, frequency, recency, T, monetary_value, days_since_last, spend, last_purchase, layer`` (one row
        per buyer, by ``user_id``).
    """
    rfm = rfm_summary(purchases, customer_col="user_id", time_col="day", amount_col="gmv",
                      observation_end=observation_end, freq="D")
    seen = purchases[purchases["day"] <= observation_end]
    spend = seen.groupby("user_id")["gmv"].sum()
    last = seen.groupby("user_id")["day"].max()
    out = rfm.reset_index()
    out["user_id"] = out["user_id"].astype(str)
    out["days_since_last"] = out["T"] - out["recency"]
    out["spend"] = spend.reindex(out["user_id"]).to_numpy(dtype="float64")
    out["last_purchase"] = pd.to_datetime(last.reindex(out["user_id"]).to_numpy())
    out["layer"] = assign_layers(rfm, rules).to_numpy()
    return out


def layer_board(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Per layer: buyers, their share, spend to date and its share, buyers one period earlier, change, action.

    Parameters
    ----------
    now, before : :func:`buyer_layers` as of the as-of day and as of the end of the previous period.

    Returns
    -------
    DataFrame
        ``layer, buyers, buyer_share, gmv, gmv_share, buyers_before, change, action`` in :data:`LAYERS` order;
        ``gmv`` is the layer's buyers' GMV to date, ``change`` = ``buyers − buyers_before``.
    """
    counts = now["layer"].value_counts().reindex(LAYERS, fill_value=0)
    gmv = now.groupby("layer")["spend"].sum().reindex(LAYERS, fill_value=0.0)
    earlier = before["layer"].value_counts().reindex(LAYERS, fill_value=0) if len(before) else \
        pd.Series(0, index=list(LAYERS))
    board = pd.DataFrame({"layer": list(LAYERS), "buyers": counts.to_numpy(dtype="int64"),
                          "gmv": gmv.to_numpy(dtype="float64"),
                          "buyers_before": earlier.to_numpy(dtype="int64")})
    board.insert(2, "buyer_share", measures.share(board["buyers"]).to_numpy())
    board.insert(4, "gmv_share", measures.share(board["gmv"]).to_numpy())
    board["change"] = board["buyers"] - board["buyers_before"]
    board["action"] = board["layer"].map(ACTIONS)
    return board
