"""The metric engine: base quantities defined once for any grouping, every registry formula applied once.

:meth:`liveops_nb.Dataset.kpis` is its door. Modules: :mod:`.grains` (dimensions), :mod:`.viewer`
and :mod:`.aggregate` (what each input gives at which grain), :mod:`.rollup` (grouping),
:mod:`.compute` (planning one request), :mod:`.formulas`, :mod:`.reasons`, :mod:`.retention`,
:mod:`.cache`.
"""
