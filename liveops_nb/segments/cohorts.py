"""Cohort retention by first-purchase month: the share of a month's new buyers who buy again k months on.

A buyer's *cohort* is the local month of their first purchase (in the data, up to the as-of day);
``offset`` k = 0, 1, 2 … counts months from it; ``retention`` is the share of the cohort's buyers
with a purchase in month cohort + k (1 at k = 0). Only months up to the as-of month are shown (the
triangle): the as-of month itself is counted up to the as-of day.
"""
from __future__ import annotations

import pandas as pd

from .. import measures


def cohort_retention(purchases: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The retention triangle, long form.

    Parameters
    ----------
    purchases : purchase rows ``user_id, day`` (local days; rows after ``as_of`` are ignored).
    as_of : the last day counted.

    Returns
    -------
    DataFrame
        ``cohort`` (first day of the month), ``offset`` (months since), ``month`` (first day), ``cohort_buyers``,
        ``buyers`` (of the cohort buying in that month) and ``retention``; one row per cohort and month
        from the cohort's month to the as-of month.
    """
    p = purchases[purchases["day"] <= as_of]
    cols = ["cohort", "offset", "month", "cohort_buyers", "buyers", "retention"]
    if p.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    month = p["day"].dt.to_period("M")
    active = pd.DataFrame({"user_id": p["user_id"].to_numpy(), "month": month.to_numpy()}).drop_duplicates()
    first = active.groupby("user_id")["month"].min().rename("cohort")
    active = active.join(first, on="user_id")
    last = pd.Timestamp(as_of).to_period("M")
    sizes = first.value_counts()
    rows = []
    for cohort in sorted(sizes.index):
        in_cohort = active[active["cohort"] == cohort]
        for k in range((last - cohort).n + 1):
            m = cohort + k
            n = int((in_cohort["month"] == m).sum())
            rows.append({"cohort": cohort.to_timestamp(), "offset": k, "month": m.to_timestamp(),
                         "cohort_buyers": int(sizes[cohort]), "buyers": n,
                         "retention": measures.share_of(n, int(sizes[cohort]))})
    return pd.DataFrame(rows, columns=cols)
