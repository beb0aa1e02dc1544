"""What a batch run did: one outcome per session, and the run's summary."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..render.batch_text import counts_line
from ..render.i18n import Lang

STATUSES = ("ok", "skipped", "failed", "interrupted", "not_run", "pending")


@dataclass
class SessionOutcome:
    """The outcome of one session in a batch run.

    ``status``: ``ok`` (report written), ``skipped`` (a complete report existed), ``failed`` (``error`` says why),
    ``interrupted`` (the run stopped while this session ran; nothing was written) or ``not_run`` (the run stopped
    before it started); ``pending`` only in the index written while the run goes on (not finished yet -- if
    the run was killed outright, it never will: rerun to resume).
    """

    session_id: str
    status: str
    seconds: float = 0.0
    error: str = ""
    section_errors: list[str] = field(default_factory=list)


@dataclass
class BatchSummary:
    """The outcomes of one run, in session order; ``interrupted`` names the signal that stopped it ("" if none)."""

    out: Path
    outcomes: list[SessionOutcome]
    interrupted: str = ""

    @property
    def failed(self) -> list[SessionOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def counts(self) -> dict[str, int]:
        """Sessions per status."""
        return {s: sum(o.status == s for o in self.outcomes) for s in STATUSES}

    def counts_line(self, lang: Lang = "en") -> str:
        """``3 done, 1 skipped (already done), 0 failed`` (plus interrupted / not run when the run was stopped)."""
        return counts_line(self.counts(), bool(self.interrupted), lang)

    def text(self) -> str:
        lines = [f"{self.counts_line()} -> {self.out / 'index.html'}"]
        lines += [f"  FAILED {o.session_id}: {o.error}" for o in self.failed]
        return "\n".join(lines)


def select_sessions(session_info: pd.DataFrame, spec: str) -> list[str]:
    """Session ids for ``spec``: ``all``, ``id1,id2`` or ``since:YYYY-MM-DD`` / ``since YYYY-MM-DD`` (no repeats)."""
    spec = spec.strip()
    ordered = session_info.sort_values("start_time")
    if spec == "all":
        ids = ordered.session_id.tolist()
    elif spec.startswith("since"):
        day = pd.Timestamp(spec[5:].lstrip(": ").strip()).date()
        ids = ordered.loc[ordered.date >= day, "session_id"].tolist()
    else:
        ids = [s.strip() for s in spec.split(",") if s.strip()]
    return list(dict.fromkeys(ids))
