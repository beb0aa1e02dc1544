"""The session review (下播复盘): one analysis module per section of the review template.

Every section module exposes

* ``TITLE``: ``(中文, English)`` heading;
* ``build(ds, session_id, *, lang="zh", **options) -> data`` — a frozen
  dataclass of tables and numbers, from small pure functions that take tables
  and return tables (unit-tested on hand-worked data);
* ``render(data, lang="zh") -> list`` — displayable items: HTML strings,
  Altair charts or DataFrames;
* optionally ``key_figures(data) -> dict`` — numbers for the batch JSON.

Sections cope with aggregate-only datasets: what cannot be computed says so in
one line. Pages find sections through the registry of sections
(:mod:`liveops_nb.pages.sections`: one declared ``Section`` type, one ``build``
signature, the review's order), never by name from this package.
"""
