"""The live monitor page without a browser: KPIs so far, the curve against the typical one, the run sheet,
refreshes that read only new data (static mode and direct refresh() calls; the timer needs a kernel)."""
from __future__ import annotations

from pathlib import Path

import pytest

from liveops_nb.errors import LiveFeedError
from liveops_nb.live import simulator
from liveops_nb.pages.monitor_page import MonitorPage
from liveops_nb.schema import TABLES

from .conftest import ts
from .test_simulator import FakeClock


@pytest.fixture()
def replayed(live_source: Path, tmp_path: Path):
    """The target folder with L's first three minutes (20:00-20:02) written, and the prepared replay."""
    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    fake = FakeClock()
    simulator.replay(rep, 60.0, limit=3, sleep=fake.sleep, clock=fake.clock)
    return rep


def test_numbers_so_far_and_the_typical_curve(replayed) -> None:
    page = MonitorPage(data_dir=str(replayed.into), mode="static", lang="en")
    assert page.session_id == "L" and page.feeds == ["L"]
    snap = page.snapshot
    assert snap.minutes == 3 and snap.upto == ts("2026-10-03 20:02") and snap.now == ts("2026-10-03 20:03")
    k = snap.kpis.iloc[0]
    # minutes 20:00-20:02 of L: GMV 0 + 100 + 50, orders 0 + 1 + 1, views (entries) 4 + 7 + 2,
    # peak online max(4, 10, 8), average online (4 + 10 + 8) / 3
    assert k.gmv == 150.0 and k.orders == 2.0 and k["views"] == 13.0
    assert k.gpm == pytest.approx(150 / 13 * 1000)
    assert k.pcu == 10.0 and k.acu == pytest.approx(22 / 3)
    online = snap.curves["pcu"]
    # typical online of A (10, 20, 30, 25) and B (30, 40, 20, 10) by broadcast minute: medians 20, 30, 25, 17.5
    assert online["median"].tolist() == [20.0, 30.0, 25.0, 17.5]
    assert online["low"].tolist() == [15.0, 25.0, 22.5, 13.75]
    assert online.actual.iloc[:3].tolist() == [4.0, 10.0, 8.0] and online.actual.iloc[3:].isna().all()
    gmv = snap.curves["gmv"]
    assert gmv["median"].tolist() == [0.0, 50.0, 150.0, 50.0]  # A (0, 100, 100, 100), B (0, 0, 200, 0)


@pytest.mark.skipif("run_sheet" not in TABLES, reason="the data model has no run_sheet table yet")
def test_run_sheet_while_live_and_at_the_end(replayed) -> None:
    page = MonitorPage(data_dir=str(replayed.into), mode="static", lang="en")
    rs = page.snapshot.run_sheet
    # at 20:03: p1 began 20:00:30 (+0.5 min: on time) and ended 20:02; p2 (20:01-20:03) not pitched yet and
    # its slot is over: skipped; p3 (from 20:03) upcoming
    assert rs.status.tolist() == ["on_time", "skipped", "upcoming"]
    assert rs.delay_min.iloc[0] == 0.5
    simulator.replay(replayed, 60.0, sleep=lambda s: None)  # the rest of the broadcast
    assert page.refresh(render=False)
    rs = page.snapshot.run_sheet
    # p2 came at 20:03:30, 2.5 min after its planned 20:01 (late); p3 never came (skipped at the end)
    assert rs.status.tolist() == ["on_time", "late", "skipped"]
    assert rs.delay_min.iloc[1] == 2.5
    assert page.snapshot.done


def test_a_refresh_reads_only_new_rows(replayed) -> None:
    page = MonitorPage(data_dir=str(replayed.into), mode="static")
    minutes = page.feed.tables["minute_stats"]
    read = minutes.bytes_read
    assert page.refresh(render=False) is False  # nothing new: no file opened, nothing recomputed
    assert minutes.bytes_read == read and len(page.refreshes) == 1
    simulator.replay(replayed, 60.0, sleep=lambda s: None)  # rewrites the feed with two more minutes
    assert page.refresh(render=False) is True
    assert (minutes.rows_read, minutes.full_reads) == (5, 1)
    assert page.snapshot.minutes == 5 and page.snapshot.kpis.gmv.iloc[0] == 400.0  # 150 + 250 + 0
    assert set(page.refreshes[-1]) == {"poll", "snapshot", "alerts", "render", "total", "rows"}


@pytest.mark.parametrize(("lang", "words"), [("zh", ("直播中", "当前在线", "成交金额")),
                                             ("en", ("LIVE", "Online now", "GMV"))])
def test_sections_in_both_languages(replayed, lang: str, words: tuple[str, ...]) -> None:
    page = MonitorPage(data_dir=str(replayed.into), mode="static", lang=lang)
    html = "".join(x for name in ("now", "alerts", "run_sheet") for x in page._items(name) if isinstance(x, str))
    assert all(w in html for w in words)
    charts = page._items("curve")
    assert len(charts) == 2 and all(type(c).__name__ == "LayerChart" for c in charts)
    assert page.timings.keys() >= {"now", "alerts", "run_sheet", "curve"}


def test_unknown_session_and_no_feed(replayed, live_source: Path) -> None:
    page = MonitorPage("NOPE", data_dir=str(replayed.into), lang="en")
    assert page.session_id == "L" and "NOPE" in page.message  # warned, the growing feed shown instead
    empty = MonitorPage(data_dir=str(live_source), lang="en")
    assert empty.session_id is None and empty.error is None
    assert "no live feed" in empty._header_items()[0]
    with pytest.raises(LiveFeedError, match="no live feed"):
        MonitorPage("L", data_dir=str(live_source), mode="static")
