"""Deterministic, realistic synthetic dataset for demos, notebooks and tests.

>>> from liveops_nb.demo import generate
>>> generate("data/demo")            # doctest: +SKIP
PosixPath('data/demo')

:func:`generate` writes one Parquet file per table of :data:`liveops_nb.schema.TABLES`
(``<table>.parquet``) plus ``planted.json``, the answer key of the phenomena
planted in the data (an outage, a mistimed pitch, a refund rise, a dormant
cohort, a sell-out, a slow audience decline, a period effect, an ordinary
session, and three experiments with known true effects), and ``targets.csv``.
``docs/demo-data.md`` describes the content. From the shell: ``liveops demo``.

How it works
------------
1. *Setup* (:mod:`.population`, one seeded generator): rooms, product
   catalogues, a viewer pool per room (with a small share of viewers belonging
   to two rooms), the session schedule (3 rooms × 2 sessions a week), the planted
   sessions and experiment windows (:mod:`.planted`).
2. *Simulation* (:mod:`.simulation`), one session at a time, in start order,
   each session with its own generator ``default_rng([seed, 1, session_index])``.
   Within a session all work is vectorised over viewers, visits and events:
   impressions follow an arrival-intensity curve (:mod:`.lineup`: ramp-up, bumps
   at traffic-driver pitches, troughs), viewers enter with a channel-dependent
   probability, stay a lognormal time, sometimes come back (:mod:`.audience`),
   and while watching like, comment, share, follow (:mod:`.interactions`), see
   and click products, add to cart and order (:mod:`.shopping`).
3. *Aggregation* (:mod:`.aggregate`) in pandas from the viewer-level tables,
   following the derivation rules documented in ``docs/demo-data.md`` (the same
   rules the package's derivation engine implements); then the Arrow tables
   (:mod:`.tables`, :mod:`.experiments`), the answer key (:mod:`.planted`) and
   the atomic write (:mod:`.writing`).

Constants and behaviour parameters are in :mod:`.params`, the Chinese text
resources in :mod:`.text`.

Same ``seed``/``scale``/``weeks`` → byte-identical files. Nothing depends on
the wall clock or on set ordering.
"""
from __future__ import annotations

from ..errors import DemoParameterError, OutputExistsError
from .generator import generate
from .params import CHANNEL_GROUP, CHANNELS, START_DATE

__all__ = ["generate", "OutputExistsError", "DemoParameterError", "START_DATE", "CHANNELS", "CHANNEL_GROUP"]
