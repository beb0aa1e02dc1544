"""Rendering of the period review (日/周/月复盘): words, section views, exports."""
