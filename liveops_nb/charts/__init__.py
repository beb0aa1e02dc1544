"""Altair charts: one theme, offline rendering, and chart builders per review section."""
from .theme import PALETTE, ChartSettings, auto_enable, enable, to_svg

__all__ = ["PALETTE", "ChartSettings", "auto_enable", "enable", "to_svg"]
