"""Words, tables and charts of the user-segment board (:mod:`liveops_nb.segments`), in 中文 or English."""
from __future__ import annotations

from .text import TITLES, action_text, layer_name, period_word, title
from .view import header_line, not_available, render, tier_label

__all__ = ["TITLES", "action_text", "header_line", "layer_name", "not_available", "period_word", "render", "tier_label", "title"]
