"""Why a number is not available: language-neutral reason codes (rendering turns them into text)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..metrics import BASES

ReasonCode = Literal["needs_table", "not_at_grain", "not_reported", "next_day_pending", "zero_denominator"]


@dataclass(frozen=True)
class Reason:
    """Why a metric has no value.

    Attributes
    ----------
    code : ``needs_table`` (the dataset lacks the input table/column), ``not_at_grain`` (the
        input cannot be split by ``dim``), ``not_reported`` (the source left this session's value
        empty), ``next_day_pending`` (the next day is not in the data yet), ``zero_denominator``.
    quantity : the base quantity concerned.
    table, column : what would supply it (``needs_table``).
    dim : the grouping that cannot give it (``not_at_grain``).
    """

    code: ReasonCode
    quantity: str = ""
    table: str = ""
    column: str = ""
    dim: str = ""


def needs(quantity: str) -> Reason:
    """The quantity's inputs are absent from the dataset."""
    b = BASES[quantity]
    return Reason("needs_table", quantity, table=b.table, column=b.aggregate)


def not_at_grain(quantity: str, dim: str) -> Reason:
    return Reason("not_at_grain", quantity, dim=dim)
