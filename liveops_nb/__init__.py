"""LiveOps review workbench: live-commerce (直播电商) review helpers for Jupyter and Voila.

>>> import liveops_nb
>>> ds = liveops_nb.open("data/demo")        # doctest: +SKIP
>>> ds.sessions().head()                      # doctest: +SKIP
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
)
from .metrics import REGISTRY

__all__ = ["open", "Dataset", "REGISTRY", "LiveOpsError", "DataValidationError", "DataProblem",
           "MissingTableError", "UnknownSessionError", "UnknownMetricError"]
__version__ = "0.1.0"
