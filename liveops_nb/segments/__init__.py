"""User segments (用户分层): RFM, layers, cohorts, new vs returning, spending tiers, groups, retention.

An analyses package — data in, results out; words, tables and charts are in
:mod:`liveops_nb.render.segments`, the page in :mod:`liveops_nb.pages.segments_page`
(notebooks/06-segments.ipynb). Definitions: docs/segments.md.
"""
from __future__ import annotations

from .board import SECTIONS, GroupsData, LayerData, Selection, build, default_as_of, selection
from .cohorts import cohort_retention
from .errors import SegmentInputError
from .export import export_layer, layer_members, members_csv
from .groups import kpis_for_groups
from .layers import ACTIONS, LAYERS, assign_layers, buyer_layers, layer_board
from .people import new_vs_returning, spending_tiers
from .retention import RetentionData
from .rfm import rfm_summary
from .rules import SegmentRules, load_rules
from .window import Window, window

__all__ = [
    "ACTIONS", "LAYERS", "SECTIONS", "GroupsData", "LayerData", "RetentionData", "SegmentInputError",
    "SegmentRules", "Selection", "Window", "assign_layers", "build", "buyer_layers", "cohort_retention",
    "default_as_of", "export_layer", "kpis_for_groups", "layer_board", "layer_members", "load_rules",
    "members_csv", "new_vs_returning", "rfm_summary", "selection", "spending_tiers", "window",
]
