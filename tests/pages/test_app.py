"""liveops_nb.pages.app: the URL query, Voila pre-heating, dataset reload, the shared chart module."""
from __future__ import annotations


def test_page_query_reads_the_url_query(fresh_query, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "session=R01-20261001-1&lang=en")
    assert fresh_query.page_query() == {"session": "R01-20261001-1", "lang": "en"}
    monkeypatch.setenv("QUERY_STRING", "session=other")
    assert fresh_query.page_query() == {"session": "other"}
    assert not fresh_query.preheating()


def test_page_query_in_a_preheated_kernel_waits_for_the_request_once(fresh_query, monkeypatch):
    import threading

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    arrived = threading.Event()
    waiter = threading.Thread(target=arrived.wait)  # stands in for voila.utils.get_query_string
    waiter.start()
    monkeypatch.setattr(fresh_query, "_WAITER", waiter)
    assert fresh_query.preheating()  # nobody asked yet: warm-up work may go on
    monkeypatch.setenv("QUERY_STRING", "session=S2")  # what Voila does when the request arrives ...
    arrived.set()  # ... and the waiting returns
    assert fresh_query.page_query() == {"session": "S2"}
    monkeypatch.setenv("QUERY_STRING", "session=S1")
    assert fresh_query.page_query() == {"session": "S2"}  # the request of this page, kept
    assert not fresh_query.preheating()


def test_preheating_only_in_a_preheated_voila_kernel(fresh_query, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    assert not fresh_query.preheating()
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert fresh_query.preheating()  # no request yet
    monkeypatch.setattr(fresh_query, "_QUERY", {})
    assert not fresh_query.preheating()  # the request arrived


def test_load_dataset_reopens_when_the_files_change(tiny_dir):
    import os

    from liveops_nb.pages.app import load_dataset

    first = load_dataset(tiny_dir)
    assert load_dataset(tiny_dir) is first
    some = next(p for p in sorted(tiny_dir.iterdir()) if p.is_file())
    st = some.stat()
    os.utime(some, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_dataset(tiny_dir) is not first


def test_chart_module_is_not_shared_outside_voila(monkeypatch):
    import altair as alt

    from liveops_nb.pages.app import share_chart_module

    monkeypatch.delenv("VOILA_SERVER_URL", raising=False)
    before = alt.JupyterChart._esm
    assert share_chart_module() is False
    assert alt.JupyterChart._esm is before
