"""Altair charts: one theme, offline rendering, and chart builders per review section."""
from .theme import PALETTE, enable, to_svg

__all__ = ["PALETTE", "enable", "to_svg"]
