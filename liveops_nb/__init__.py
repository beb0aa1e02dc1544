"""LiveOps review workbench: live-commerce (直播电商) review helpers for Jupyter and Voila.

>>> import liveops_nb
>>> ds = liveops_nb.open()                    # doctest: +SKIP
>>> ds.kpis(["gmv", "gpm"], by=["room_id", "week"])   # doctest: +SKIP

``open()`` reads the folder named by ``$LIVEOPS_DATA``, else the demo ``data/demo``. Every number comes
from ``ds.kpis``; the review page's sections are DataFrames through :mod:`liveops_nb.review.frames`
and an A/B analysis through ``liveops_nb.abtest.analyze(ds, id).to_frame()``. The public API is listed
in docs/api.md.
"""
from __future__ import annotations

from .dataset import Dataset, open
from .errors import (
    DataProblem,
    DataValidationError,
    LiveOpsError,
    MissingTableError,
    UnknownMetricError,
    UnknownSessionError,
    UnknownTableError,
)
from .metrics import REGISTRY

__all__ = ["open", "Dataset", "REGISTRY", "LiveOpsError", "DataValidationError", "DataProblem",
           "MissingTableError", "UnknownSessionError", "UnknownMetricError", "UnknownTableError"]
__version__ = "0.1.0"


def _charts_in_notebooks() -> None:
    """Inside a Jupyter kernel, charts render offline in the house theme with no other call (charts.auto_enable)."""
    import sys

    if "ipykernel" in sys.modules:
        from .charts import auto_enable

        auto_enable()


_charts_in_notebooks()
