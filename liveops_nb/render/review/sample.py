"""The small-sample flag on rates and shares ("few data" / 样本少), one rule for every review section.

The rule is :func:`liveops_nb.measures.few_people` (fewer than
:data:`~liveops_nb.measures.SMALL_SAMPLE_PEOPLE` people behind a rate); this module only words it:
a rate cell resting on few people reads ``"40.0% ⚠样本少"`` and the section carries one explanatory note.
"""
from __future__ import annotations

from collections.abc import Iterable

from ... import measures
from ..fmt import fmt_value
from ..html import note
from ..i18n import Lang, register, t

register({
    "sample_few": ("⚠样本少", "⚠ few data"),
    "sample_note": ("⚠样本少：该比率/占比依据的人数不足 {n} 人，多一人少一人都会明显改变它，仅供参考。",
                    "⚠ few data: the rate or share rests on fewer than {n} people — one person more or less moves "
                    "it noticeably; treat it as indicative."),
})


def mark(lang: Lang = "zh") -> str:
    """The marker appended to a flagged cell."""
    return t("sample_few", lang)


def flagged(text: str, people: float | None, lang: Lang = "zh") -> str:
    """``text`` with the marker when ``people`` (the rate's denominator) is below the minimum; dashes stay dashes."""
    if text == "—" or not measures.few_people(people):
        return text
    return f"{text} {mark(lang)}"


def rate(value: float | None, people: float | None, lang: Lang = "zh", unit: str = "ratio") -> str:
    """A rate formatted with ``unit`` and flagged when it rests on few ``people``."""
    return flagged(fmt_value(value, unit, lang), people, lang)


def explain(people: Iterable[float | None], lang: Lang = "zh") -> list[str]:
    """The section's one note on the rule, when any of ``people`` is flagged (else nothing)."""
    if any(measures.few_people(p) for p in people):
        return [note(t("sample_note", lang, n=measures.SMALL_SAMPLE_PEOPLE), "warn")]
    return []
