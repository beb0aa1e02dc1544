"""The live monitor page (实时监控): one controller behind ``notebooks/05-live-monitor.ipynb``.

A :class:`~liveops_nb.pages.base.Page` that follows one live session of the data folder — a session with
a feed in ``<data>/live/<session>/`` (:mod:`liveops_nb.live.feed`; ``liveops simulate-live`` writes one).
``?session=`` (or the ``session_id`` parameter) names it; otherwise the latest session still growing
(its feed not yet marked done), else the latest feed. A picker switches between feeds.

Refreshing: in interactive mode (JupyterLab, Voila) a kernel-side timer (``call_later`` on the kernel's
event loop, the loop that also runs widget callbacks, so a refresh never races a picker change) calls
:meth:`MonitorPage.refresh` every ``refresh_seconds``. A refresh first polls the feed — one ``stat`` per
file; a file whose (inode, size, mtime) did not change is not opened, and a grown file is read from the
byte offset where the last read stopped (:class:`~liveops_nb.live.feed.GrowingTable`). Only when
something arrived does it compute a snapshot (KPIs so far through ``ds.kpis``, the curves against the
room's typical curve, the run sheet: :func:`~liveops_nb.live.snapshot.take_snapshot`), evaluate the
alert rules on the minutes so far (:func:`liveops_nb.alerts.evaluate_frame`, with the room's baselines
computed once from the data folder) and re-render the areas whose content changed (set as widget
state, :mod:`liveops_nb.pages.outputs`). The charts are two persistent chart widgets whose chart is
replaced, so the browser re-draws them in place. The timer stops once the feed says the session ended.
In static mode (papermill) the page shows one snapshot.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

import pandas as pd

from ..errors import LiveFeedError
from ..live import (
    CURVE_KPIS,
    LIVE_KPIS,
    LiveFeed,
    LiveHistory,
    feed_sessions,
    read_status,
    status_counts,
    take_snapshot,
)
from ..live.snapshot import orders_dataset
from ..render import live as view
from ..render.html import note
from ..render.i18n import Lang, t
from .app import log
from .base import Page
from .outputs import outputs_of

NEW_SECONDS = 60.0
"""An alert is shown as new (flashing) for this long after the page first saw it."""
SECTIONS = ("now", "alerts", "curve", "run_sheet")


class MonitorPage(Page):
    """Controller of the live monitor notebook.

    Parameters
    ----------
    session_id : the live session ("" = the URL's ``?session=``, else the latest growing feed).
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en" (``?lang=`` wins).
    mode : "interactive" (widgets, refreshed by a timer) or "static" (one snapshot).
    refresh_seconds : seconds between two refreshes.
    history_n : past sessions of the room in the typical curve.
    validate : run the data checks when opening the dataset.

    Attributes
    ----------
    snapshot : the last :class:`~liveops_nb.live.snapshot.LiveSnapshot` (None before the first).
    alerts : the alerts of the live session so far.
    refreshes : one dict per refresh that found new data: seconds for ``poll``, ``snapshot``, ``alerts``,
        ``render`` and ``total``, and the rows the poll read.
    """

    query_key = "session"
    area_class = "lo-live-"
    shares_chart_module = True

    def __init__(self, session_id: str = "", data_dir: str = "", lang: Lang = "zh", mode: str = "interactive",
                 refresh_seconds: float = 3.0, history_n: int = 10, validate: bool = True) -> None:
        self.refresh_seconds = float(refresh_seconds)
        self.history_n = int(history_n)
        self.session_id: str | None = None
        self.feeds: list[str] = []
        self.history: LiveHistory | None = None
        self.feed: LiveFeed | None = None
        self.snapshot: Any = None
        self.alerts: list[Any] = []
        self.alert_problem: str | None = None
        self.refreshes: list[dict[str, float]] = []
        self._rules: Any = None
        self._minute_keys: tuple[str, ...] = ()  # registry keys the alert rules read per minute
        self._stock: tuple[tuple[int, int], pd.DataFrame | None] | None = None  # (orders read, stock left)
        self._baselines: dict[str, Any] = {}
        self._first_seen: dict[str, float] = {}
        self._shown: dict[str, Any] = {}  # what each area shows now (re-rendered only when it changes)
        self._charts: dict[str, Any] = {}
        self._picker: Any = None
        self._timer_generation = 0
        super().__init__(session_id, data_dir=data_dir, lang=lang, mode=mode, validate=validate)
        if not self.static and self.error is None and self.session_id:
            self.start_timer()

    # ------------------------------------------------------------------ page hooks
    def _opened(self) -> None:
        try:  # DuckDB prints a progress bar for queries over 2 s: on a page it would be an odd black bar
            self.dataset.con.raw_sql("SET enable_progress_bar = false")
        except Exception:  # noqa: BLE001 - another backend: nothing to switch off
            pass
        self.feeds = [s for s in feed_sessions(self.dataset.path) if s in set(self.ds.session_info.session_id)]

    def _choose(self, requested: str) -> None:
        if requested and requested not in self.feeds:
            if self.static:
                raise LiveFeedError(f"session '{requested}' has no live feed in {self.dataset.path}/live/; "
                                    f"feeds: {', '.join(self.feeds) or 'none'}")
            self._warn("unknown_session", sid=requested)
            requested = ""
        chosen = requested or self._default_session()
        if chosen:
            self.select(chosen, render=False)

    def _default_session(self) -> str | None:
        """The latest session whose feed is still growing, else the latest feed (None without feeds)."""
        if not self.feeds:
            return None
        info = self.ds.session_info.set_index("session_id").loc[self.feeds]
        growing = [s for s in self.feeds if not read_status(self.dataset.path, s).get("done")]
        pool = info.loc[growing] if growing else info
        return str(pool.sort_values("start_time").index[-1])

    def _controls(self) -> list:
        if not self.session_id:
            return [note(t("live_no_feed", self.lang), "info")]
        if self.static or len(self.feeds) < 2:
            return []
        if self._picker is None:
            self._picker = self._make_picker()
        return [self._picker]

    def _relabel(self) -> None:
        self._picker = None  # rebuilt with labels in the new language by _controls
        self._shown.clear()

    def _ready(self) -> bool:
        return self.error is None and self.session_id is not None

    def _build(self, name: str) -> list:
        snap, lang, history = self.snapshot, self.lang, self.history
        assert history is not None  # sections are built only once a session is followed
        if name == "now":
            return [view.status_html(history.session, snap.minutes, snap.upto, snap.done, self.refresh_seconds,
                                     lang), view.kpi_cards(snap.kpis, snap.curves["pcu"], LIVE_KPIS, lang)]
        if name == "alerts":
            now = time.monotonic()
            new = {i for i, seen in self._first_seen.items() if now - seen < NEW_SECONDS}
            return [view.alerts_html(self.alerts, new, lang, self.alert_problem)]
        if name == "curve":
            return self._curve_charts()
        if name == "run_sheet":
            counts = status_counts(snap.run_sheet) if snap.run_sheet is not None else None
            return [view.run_sheet_html(snap.run_sheet, counts, history.product_names, lang)]
        raise KeyError(name)

    def _render(self, name: str) -> None:
        """Set area ``name`` — only when its content changed; the charts are updated in place."""
        key = self._content_key(name)
        if self._shown.get(name) == key:
            return
        if name == "curve" and self._charts and self._shown.get(name) is not None:
            from ..charts.live import curve_spec

            # the new spec only, from the chart's validated template and the new data: no chart objects
            for metric, parts in zip(CURVE_KPIS, self._curve_parts(), strict=True):
                self._charts[metric].spec = curve_spec(*parts)
        else:
            self.outputs[name].outputs = self._outputs(name)
        self._shown[name] = key

    def _outputs(self, name: str) -> tuple[dict[str, Any], ...]:
        items = self._items(name)
        if name == "curve" and not self.static:
            import altair as alt

            from .outputs import _chart_widget

            self._charts = {}
            widgets = []
            for metric, chart in zip(CURVE_KPIS, items, strict=True):
                widget = _chart_widget(chart) if isinstance(chart, alt.TopLevelMixin) else chart
                if isinstance(widget, alt.JupyterChart):
                    self._charts[metric] = widget
                widgets.append(widget)
            return outputs_of(widgets)
        return outputs_of(items)

    # ------------------------------------------------------------------ the live session
    def select(self, session_id: str, render: bool = True) -> None:
        """Follow session ``session_id``'s feed (the picker's callback): history read once, then a first refresh."""
        self.session_id = session_id
        self.history = LiveHistory.read(self.ds, session_id, self.history_n)
        self.feed = LiveFeed(self.dataset.path, session_id, self.ds.tz)
        self.snapshot = None
        self.alerts, self._first_seen, self._shown, self._stock = [], {}, {}, None
        self._setup_alerts()
        self.refresh(render=render)
        if render and not self.static:
            self.start_timer()

    def refresh(self, render: bool = True) -> bool:
        """Read what the feed gained; when anything did, recompute and re-render. True if anything changed."""
        if self.feed is None or self.history is None:
            return False
        started = time.perf_counter()
        before = {n: g.rows_read for n, g in self.feed.tables.items()}
        changed = self.feed.poll() or self.snapshot is None
        polled = time.perf_counter()
        if not changed:
            return False
        self.snapshot = take_snapshot(self.history, self.feed, self._minute_keys)
        snapped = time.perf_counter()
        self._evaluate_alerts()
        judged = time.perf_counter()
        if render:
            self._rerender()
        done = time.perf_counter()
        self.refreshes.append({"poll": polled - started, "snapshot": snapped - polled, "alerts": judged - snapped,
                               "render": done - judged, "total": done - started,
                               "rows": float(sum(g.rows_read - before[n] for n, g in self.feed.tables.items()))})
        del self.refreshes[:-200]
        return True

    def start_timer(self) -> bool:
        """Refresh every ``refresh_seconds`` on the kernel's event loop until the feed ends; False outside a kernel."""
        loop = _kernel_loop()
        if loop is None:
            return False
        self._timer_generation += 1
        generation = self._timer_generation

        def tick() -> None:
            if generation != self._timer_generation:
                return  # a newer timer (another session picked) took over
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - a failed refresh must not stop the monitor
                log.exception("live refresh failed")
            if not (self.snapshot is not None and self.snapshot.done):
                loop.call_later(self.refresh_seconds, tick)

        loop.call_later(self.refresh_seconds, tick)
        return True

    def stop_timer(self) -> None:
        """Stop refreshing (a running timer ends at its next tick)."""
        self._timer_generation += 1

    # ------------------------------------------------------------------ internals
    def _content_key(self, name: str) -> Any:
        snap = self.snapshot
        if name == "alerts":
            now = time.monotonic()
            return (self.lang, self.alert_problem, tuple((a.id, a.end) for a in self.alerts),
                    frozenset(i for i, s in self._first_seen.items() if now - s < NEW_SECONDS))
        if name == "run_sheet":
            rs = snap.run_sheet
            return (self.lang, None if rs is None else tuple(map(tuple, rs.astype(str).to_numpy())))
        return (self.lang, snap.minutes, snap.done, id(snap))

    def _curve_parts(self) -> list[tuple]:
        """Arguments of :func:`~liveops_nb.charts.live.curve_chart` for each curve (online, GMV per minute)."""
        lang, snap = self.lang, self.snapshot
        spans = None
        if self.alerts:
            spans = pd.DataFrame({"start": [a.start for a in self.alerts],
                                  "end": [a.end if a.end is not None else snap.now for a in self.alerts],
                                  "label": [view.alert_text(a, lang) for a in self.alerts]})
        return [(snap.curves["pcu"], t("live_title_online", lang), t("live_axis_online", lang), lang, spans, ",.0f"),
                (snap.curves["gmv"], t("live_title_gmv", lang), t("live_axis_gmv", lang), lang, spans, ",.2f")]

    def _curve_charts(self) -> list:
        from ..charts.live import curve_chart

        return [curve_chart(*parts) for parts in self._curve_parts()]

    def _make_picker(self) -> Any:
        import ipywidgets as w

        options = []
        for sid in self.feeds:
            done = bool(read_status(self.dataset.path, sid).get("done"))
            options.append((view.option_label(self.ds.session(sid), done, self.lang), sid))
        picker = w.Dropdown(options=options, value=self.session_id, description=t("live_pick", self.lang),
                            layout=w.Layout(width="520px"), style={"description_width": "initial"})
        picker.add_class("lo-live-picker")
        picker.observe(lambda change: self._picked(change["new"]), names="value")
        return picker

    def _picked(self, session_id: str | None) -> None:
        if session_id and session_id != self.session_id:
            self.select(session_id)

    def _setup_alerts(self) -> None:
        """Load the rules and the room's baselines once per session (from the data folder's full history)."""
        self._rules, self._baselines, self.alert_problem, self._minute_keys = None, {}, None, ()
        try:
            from .. import alerts
            from ..alerts import series

            self._rules = alerts.load_rules(self.dataset.path)
            self._baselines = alerts.room_baselines(self.dataset, str(self.session_id), self._rules)
            self._minute_keys = tuple(sorted({k for r in self._rules.rules if (k := series.registry_key(r.metric))}
                                             | {"pcu"}))
        except Exception as err:  # noqa: BLE001 - the monitor works without alerts; says why
            log.exception("alert rules unavailable")
            self.alert_problem = str(err) or type(err).__name__

    def _evaluate_alerts(self) -> None:
        """The rules on the minutes so far; alerts seen for the first time are remembered as new."""
        history, feed = self.history, self.feed
        if self._rules is None or self.snapshot is None or not self.snapshot.minutes or history is None or feed is None:
            return
        from .. import alerts
        from ..alerts import series

        snap, rules = self.snapshot, self._rules
        metrics = tuple(sorted({r.metric for r in rules.rules if r.metric != "stock_left"}))  # stock: read below
        try:
            rows = series.all_minutes(snap.ds, metrics)
            rows = rows[rows.session_id == snap.session_id]
            stock = None
            if any(r.metric == "stock_left" and r.enabled for r in rules.rules):
                stock = self._stock_left(rows["minute"])
            found = alerts.evaluate_frame(rows, rules, session_id=snap.session_id,
                                          room_id=str(history.session.room_id), baselines=self._baselines,
                                          stock=stock, open_end=not snap.done, con=snap.ds.con)
        except Exception as err:  # noqa: BLE001 - keep the last alerts; say why
            log.exception("alert evaluation failed")
            self.alert_problem = str(err) or type(err).__name__
            return
        now = time.monotonic()
        for a in found:
            self._first_seen.setdefault(a.id, now)
        self.alerts = found


    def _stock_left(self, minutes: pd.Series) -> pd.DataFrame | None:
        """Stock left per product and minute (:func:`liveops_nb.alerts.series.stock_left`), queried only when
        orders arrived: without new orders, every new minute keeps each product's last stock left."""
        from ..alerts import series

        history, feed = self.history, self.feed
        assert history is not None and feed is not None
        orders = feed.tables["orders"]
        key = (orders.rows_read, orders.full_reads)
        if self._stock is None or self._stock[0] != key:
            ods = orders_dataset(history, feed)
            stock = series.stock_left(ods, history.session_id, minutes) if ods is not None else None
            self._stock = (key, stock)
            return stock
        stock = self._stock[1]
        if stock is None or stock.empty:
            return stock
        new = minutes[minutes > stock.minute.max()]
        if len(new):
            last = stock.sort_values("minute").groupby("product_id", sort=False).tail(1).drop(columns="minute")
            grown = last.merge(pd.DataFrame({"minute": new.to_numpy()}), how="cross")[stock.columns]
            stock = pd.concat([stock, grown], ignore_index=True).sort_values(["product_id", "minute"],
                                                                              ignore_index=True)
            self._stock = (key, stock)
        return stock


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running this Jupyter kernel's handlers, or None outside a kernel."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
