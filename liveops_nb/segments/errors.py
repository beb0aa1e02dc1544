"""Errors of the segments package, a branch of the package's one tree (:class:`liveops_nb.errors.LiveOpsError`)."""
from __future__ import annotations

from liveops_nb.errors import LiveOpsError


class SegmentInputError(LiveOpsError, ValueError):
    """Input the segment analyses cannot use: a missing column, an unreadable time or amount, a bad as-of date.

    The message names what is wrong and what to do; ``ValueError`` is kept for older ``except`` clauses.
    """
