"""Rendering: HTML snippets, number formatting and bilingual text (中文 / English). Language is applied here only."""
