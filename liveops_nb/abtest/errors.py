"""Errors of the A/B package, a branch of the package's one tree (every class derives from
:class:`liveops_nb.errors.LiveOpsError`).

Each error carries a language-neutral ``code`` naming the reason and ``params`` that fill it in;
rendering (:func:`liveops_nb.render.abtest.reason_text`) says it in 中文 or English. ``str(err)``
is the English message for logs and developers. Errors of bad input also derive from
``ValueError`` (an unknown experiment from ``KeyError``) so older ``except`` clauses keep working.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from liveops_nb.errors import LiveOpsError, did_you_mean


class AbTestError(LiveOpsError):
    """Root of the A/B errors.

    Parameters
    ----------
    message : str
        English message (what went wrong and what to do).
    code : str, optional
        Reason code for rendering (default: the class's ``code``).
    **params
        Values the rendered reason needs (metric key, unit, ...).
    """

    code: str = "abtest_error"

    def __init__(self, message: str = "", *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params

    def __str__(self) -> str:  # KeyError subclasses would repr() the message otherwise
        return str(self.args[0]) if self.args else ""


class StatsError(AbTestError, ValueError):
    """Invalid input to the statistics engine (a ``ValueError``)."""

    code = "invalid_input"


class InsufficientDataError(StatsError):
    """Too few units, or zero variance, to estimate an effect."""

    code = "insufficient_data"


class ZeroBaselineError(StatsError):
    """A relative effect was requested but the control value is zero."""

    code = "zero_baseline"


class ExperimentError(AbTestError, ValueError):
    """An experiment cannot be analysed as asked (the message says why and what to do)."""

    code = "experiment"


class UnknownExperimentError(ExperimentError, KeyError):
    """An experiment id that is not in the dataset (``known`` lists the ids that are)."""

    code = "unknown_experiment"

    def __init__(self, experiment_id: str, known: Sequence[str] = ()) -> None:
        self.experiment_id, self.known = experiment_id, list(known)
        hint = did_you_mean(experiment_id, self.known)
        hint += f" Known experiments: {', '.join(self.known)}." if self.known else ""
        super().__init__(f"experiment '{experiment_id}' is not in this dataset.{hint}",
                         experiment_id=experiment_id, known=self.known)


class MetricNotAvailableError(ExperimentError):
    """The metric cannot be computed for this unit or data source.

    Codes: ``unknown_metric`` (key), ``not_per_unit`` (metric, unit), ``not_per_viewer`` (bases),
    ``needs_viewer_level``, ``history_needs_viewer_level``, ``missing_inputs`` (metric, inputs,
    reason: the engine's :class:`~liveops_nb.engine.reasons.Reason`), ``no_segment_split`` (metric),
    ``segments_need_viewer_level``.
    """

    code = "metric_not_available"


class ArchiveError(AbTestError, ValueError):
    """An archive record cannot be written or read (the message says why)."""

    code = "archive"
