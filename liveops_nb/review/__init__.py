"""The session review (下播复盘): one analysis module per section of the review template.

Every section module exposes

* ``TITLE``: ``(中文, English)`` heading;
* ``build(ds, session_id, ...) -> data`` — a frozen dataclass of values, tables, reason codes
  (:class:`liveops_nb.engine.reasons.Reason`) and findings (codes with parameters,
  :class:`liveops_nb.review.findings.Finding`); no ``lang``, no text, no HTML. Every registered
  number comes from ``ds.kpis`` / ``ds.session_kpis``; other numbers from :mod:`liveops_nb.measures`;
* optionally ``key_figures(data) -> dict`` — numbers for the batch JSON.

Their words, HTML and charts are in :mod:`liveops_nb.render.review` (``render(data, lang)``).
Sections cope with aggregate-only datasets: what cannot be computed carries a reason.
Pages find sections through the registry of sections (:mod:`liveops_nb.pages.sections`: one
declared ``Section`` type, one ``build`` signature, the review's order), never by name from this package.
"""
