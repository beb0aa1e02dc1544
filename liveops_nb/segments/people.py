"""New vs returning viewers and buyers over time, and spending tiers of a period's buyers.

* A viewer of a bucket (a week or month; the last one up to the as-of day) is **returning** when
  they viewed on an earlier day before the bucket starts (as far back as the data goes), else **new**;
  a buyer likewise with purchases. People are counted once per bucket — the same people the
  registry's ``uv`` / ``buyers`` count for that week or month.
* **Spending tiers**: the period's buyers by what they paid in the period (registry GMV per person),
  in the tiers of ``segments.yaml`` (``spending_tiers``: upper bounds, the last tier open).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import measures
from .window import Window, bucket_of

TREND_BUCKETS = 12
"""How many weeks or months the trend shows (the latest ones up to the as-of day)."""


def _first_day(daily: pd.DataFrame, flag: str) -> pd.Series:
    rows = daily[daily[flag]]
    return rows.groupby("user_id")["day"].min()


def new_vs_returning(daily: pd.DataFrame, win: Window, buckets: int = TREND_BUCKETS) -> pd.DataFrame:
    """Per week or month up to ``win.as_of``: new and returning viewers and buyers and the returning shares.

    Parameters
    ----------
    daily : :func:`liveops_nb.segments.data.daily` rows (``day, user_id, viewer, buyer``).
    win : the window (its granularity and as-of day).
    buckets : how many of the latest buckets to return.

    Returns
    -------
    DataFrame
        ``bucket, viewers, new_viewers, returning_viewers, returning_viewer_share, buyers, new_buyers,
        returning_buyers, returning_buyer_share``, oldest first.
    """
    d = daily[daily["day"] <= win.as_of]
    d = d.assign(bucket=bucket_of(d["day"], win.granularity).to_numpy())
    out = pd.DataFrame({"bucket": sorted(d["bucket"].unique())[-buckets:]})
    for flag, group in (("viewer", "viewers"), ("buyer", "buyers")):
        first = _first_day(d, flag)
        rows = d[d[flag]][["bucket", "user_id"]].drop_duplicates()
        rows = rows.assign(returning=first.reindex(rows["user_id"]).to_numpy() < rows["bucket"].to_numpy())
        per = rows.groupby("bucket")["returning"].agg(["size", "sum"])
        total = out["bucket"].map(per["size"]).fillna(0).astype("int64")
        back = out["bucket"].map(per["sum"]).fillna(0).astype("int64")
        out[group] = total
        out[f"new_{group}"] = total - back
        out[f"returning_{group}"] = back
        out[f"returning_{group[:-1]}_share"] = [measures.share_of(b, n) for b, n in zip(back, total, strict=True)]
    return out


def tier_labels(bounds: tuple[float, ...]) -> list[tuple[float, float]]:
    """``(lower, upper)`` of every tier (upper ``inf`` for the last)."""
    edges = [0.0, *bounds, float("inf")]
    return list(zip(edges[:-1], edges[1:], strict=True))


def spending_tiers(daily: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp,
                   bounds: tuple[float, ...]) -> pd.DataFrame:
    """The buyers of the days ``first`` .. ``last`` by what each paid in them.

    Returns
    -------
    DataFrame
        ``lower, upper, buyers, buyer_share, gmv, gmv_share`` — one row per tier (``lower ≤ spend < upper``).
    """
    d = daily[(daily["day"] >= first) & (daily["day"] <= last) & daily["buyer"]]
    spend = d.groupby("user_id")["gmv"].sum()
    tiers = tier_labels(bounds)
    idx = np.searchsorted(np.asarray(bounds, dtype=float), spend.to_numpy(), side="right")
    counts = pd.Series(idx).value_counts().reindex(range(len(tiers)), fill_value=0)
    gmv = pd.Series(spend.to_numpy()).groupby(idx).sum().reindex(range(len(tiers)), fill_value=0.0)
    out = pd.DataFrame({"lower": [lo for lo, _ in tiers], "upper": [hi for _, hi in tiers],
                        "buyers": counts.to_numpy(dtype="int64"), "gmv": gmv.to_numpy(dtype="float64")})
    out.insert(3, "buyer_share", measures.share(out["buyers"]).to_numpy())
    out["gmv_share"] = measures.share(out["gmv"]).to_numpy()
    return out
