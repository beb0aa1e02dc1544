"""Bilingual (中文 / English) UI strings from one table.

Modules register the strings they show with :func:`register`; pages call
:func:`t`. Metric labels live in the metric registry and column labels in the
data model, so this table holds only the words around them.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from ..errors import UnknownOptionError, UnknownTextError

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {}


def register(strings: Mapping[str, tuple[str, str]]) -> None:
    """Add ``{key: (中文, English)}`` entries; a key registered twice must keep the same text."""
    for k, v in strings.items():
        assert k not in STRINGS or STRINGS[k] == tuple(v), f"text key '{k}' registered twice with different text"
        STRINGS[k] = (v[0], v[1])


def strict() -> bool:
    """Whether an unknown text key is an error (``LIVEOPS_STRICT_TEXT=1``, set by the test suite)."""
    return os.environ.get("LIVEOPS_STRICT_TEXT") == "1"


def t(key: str, lang: Lang = "zh", **fmt) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt``; unknown keys are returned as-is."""
    pair = STRINGS.get(key)
    if pair is None:
        if strict():
            raise UnknownTextError(key)
        return key.format(**fmt) if fmt else key
    text = pair[0] if lang == "zh" else pair[1]
    return text.format(**fmt) if fmt else text


def check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise UnknownOptionError("language", lang, LANGS)
    return lang


register({
    "not_available": ("此数据源无法提供", "not available from this source"),
    "session": ("场次", "Session"),
    "room": ("直播间", "Room"),
    "host": ("主播", "Host"),
    "date": ("日期", "Date"),
    "all": ("全部", "All"),
    "language": ("语言", "Language"),
    "unknown_session": ("找不到场次 “{sid}”，请在下方重新选择。", "Session '{sid}' was not found; pick one below."),
    "illustrative": ("示例值（请替换为自己的同行数据）", "illustrative defaults — replace with your own peer numbers"),
})


# ---------------------------------------------------------------- the page's language (issue 10: ?lang=, the toggle)
LANG_NAMES: dict[Lang, str] = {"zh": "中文", "en": "English"}
"""Each language in its own words: the toggle's labels (never translated)."""


def lang_of(value: str | None, default: Lang = "zh") -> Lang:
    """The language ``value`` names (``zh``, ``en``, also ``zh-CN``, ``EN``), else ``default``.

    Parameters
    ----------
    value : what the URL query says (``?lang=en``), or None.
    default : the page's language when ``value`` names none.
    """
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else default
