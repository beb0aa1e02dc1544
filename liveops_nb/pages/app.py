"""What every page needs: the dataset (opened once per kernel), the URL query, friendly errors, a log file."""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
import os
import tempfile
import threading
import urllib.request
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import resolve_data_dir
from ..errors import DataValidationError, LiveOpsError
from ..render.i18n import Lang, register, t
from ..render.html import esc, note

LOG_PATH = Path(tempfile.gettempdir()) / "liveops-pages.log"
log = logging.getLogger("liveops_nb.pages")
if not log.handlers:  # tracebacks go to a file, never onto a manager's page
    _h = logging.FileHandler(LOG_PATH, encoding="utf-8")
    _h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(_h)
    log.propagate = False

register({
    "app_data_problem": ("数据有问题，页面无法打开：", "The dataset has problems, so the page cannot open:"),
    "app_where_log": ("技术细节已记录在 {path}。", "Technical details were written to {path}."),
    "app_unexpected": ("出现意外错误（{kind}）：{msg}", "Unexpected error ({kind}): {msg}"),
})


@functools.lru_cache(maxsize=4)
def _open_cached(path: str, validate: bool = True, stamp: tuple = ()):
    from ..dataset import open as open_dataset

    return open_dataset(path, validate=validate)


def data_stamp(path: str | Path) -> tuple:
    """Name, size and modification time of every file in the data folder (changes when the data change)."""
    p = Path(path)
    if not p.is_dir():
        return ()
    files = [f for f in itertools.islice(p.rglob("*"), 5000) if f.is_file()]
    return tuple(sorted((str(f.relative_to(p)), st.st_size, st.st_mtime_ns) for f in files for st in [f.stat()]))


def load_dataset(data_dir: str | Path = "", validate: bool = True):
    """Open the dataset once per kernel and data version; later calls reuse it.

    Parameters
    ----------
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    validate : run the data checks (a batch driver that validated once passes False to its runs).

    A folder whose files changed since it was opened (size or modification time) is opened again,
    so a long-lived (pre-heated) kernel does not show yesterday's data.
    """
    path = resolve_data_dir(data_dir)
    return _open_cached(str(path), bool(validate), data_stamp(path))


_QUERY: dict[str, str] | None = None
_WAITER: threading.Thread | None = None


def _preheat_mode() -> bool:
    return os.environ.get("VOILA_PREHEAT") == "True"


def preheating() -> bool:
    """True while a pre-heated Voila kernel runs the notebook before its request has arrived."""
    return _preheat_mode() and _QUERY is None and not (_WAITER is not None and not _WAITER.is_alive())


def listen_for_request() -> None:
    """Pre-heated Voila kernel: start waiting for the page request in the background.

    Warm-up work can then stop as soon as somebody asks for the page (:func:`preheating`
    turns False); :func:`page_query` collects the request. Does nothing elsewhere.
    """
    global _WAITER
    if _preheat_mode() and _QUERY is None and _WAITER is None:
        from voila.utils import get_query_string

        _WAITER = threading.Thread(target=get_query_string, name="liveops-voila-request", daemon=True)
        _WAITER.start()


def page_query() -> dict[str, str]:
    """The Voila page's URL query (``?session=...``); empty in JupyterLab and papermill.

    With pre-heated Voila kernels (``VOILA_PREHEAT=True``) the notebook runs before anyone asks
    for the page: this call then waits for the request (``voila.utils.get_query_string``, which
    puts the request's ``QUERY_STRING`` into the environment), so call it *after* the heavy setup;
    the answer is kept, a second call never waits again. Everywhere else it returns at once.
    """
    global _QUERY
    from urllib.parse import parse_qs

    if not _preheat_mode():
        return {k: v[-1] for k, v in parse_qs(os.environ.get("QUERY_STRING", "")).items()}
    if _QUERY is None:
        if _WAITER is None:
            from voila.utils import get_query_string

            get_query_string()
        else:
            _WAITER.join()
        _QUERY = {k: v[-1] for k, v in parse_qs(os.environ.get("QUERY_STRING", "")).items()}
    return dict(_QUERY)


def _freeze(x: Any) -> Hashable:
    if isinstance(x, (list, tuple)):
        return tuple(_freeze(v) for v in x)
    if isinstance(x, (set, frozenset)):
        return frozenset(x)
    if isinstance(x, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in x.items()))
    return x


class DatasetMemo:
    """The dataset, with the calls the review sections repeat answered once per page.

    ``frame``, ``session_kpis``, ``kpis`` and ``comment_stats`` are remembered by their
    arguments (sections ask for the same session's minute table three times); each caller
    gets its own copy, so a section that changes its frame changes nobody else's. Everything
    else (``level``, ``session``, ``table``, ...) is the dataset's own. ``preload(name)`` reads
    a whole table once, after which any session's rows are served from it.

    Parameters
    ----------
    ds : the opened :class:`liveops_nb.Dataset`.
    max_entries : remembered answers kept (oldest dropped first).
    """

    MEMO = ("frame", "session_kpis", "kpis", "comment_stats")

    def __init__(self, ds: Any, max_entries: int = 256) -> None:
        self._ds = ds
        self._memo: dict[Hashable, Any] = {}
        self._whole: dict[str, pd.DataFrame] = {}
        self._max = max_entries

    @property
    def dataset(self) -> Any:
        return self._ds

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._ds, name)
        if name in self.MEMO:
            return functools.partial(self._call, name)
        return attr

    def base(self, session_ids: list[str] | None = None, needs: Any = None) -> tuple[Any, dict[str, str]]:
        """``Dataset.base``; all base quantities of given sessions come from the dataset's executed cache.

        The KPIs of a session (``session_kpis``) already executed every base quantity of it; asking
        ``base([sid])`` again would compute them all a second time (~1 s a session).
        """
        cached = getattr(self._ds, "_base_frame", None)
        if session_ids is None or needs is not None or cached is None:
            return self._ds.base(session_ids, needs)
        import ibis

        from ..metrics import BASE_SOURCES

        frame, missing = cached(list(session_ids), set(BASE_SOURCES))
        return ibis.memtable(frame.reset_index(drop=True)), dict(missing)

    def preload(self, name: str) -> bool:
        """Read table ``name`` for all sessions once; True if later per-session frames come from it.

        Only tables whose rows are unique by the sort keys of ``Dataset.frame`` qualify (the
        per-session frame is then exactly the whole frame's rows of that session, in order).
        """
        if name in self._whole:
            return True
        if not self._ds.has(name):
            return False
        whole = self._ds.frame(name)
        order = [c for c in ("session_id", "minute", "start", "ts") if c in whole.columns]
        if "session_id" not in order or len(order) < 2 or whole.duplicated(order).any():
            return False
        self._whole[name] = whole
        return True

    def clear(self) -> None:
        self._memo.clear()
        self._whole.clear()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "frame":
            part = self._from_whole(*args, **kwargs)
            if part is not None:
                return part
        key = (name, _freeze(args), _freeze(kwargs))
        if key not in self._memo:
            self._memo[key] = getattr(self._ds, name)(*args, **kwargs)
            while len(self._memo) > self._max:
                self._memo.pop(next(iter(self._memo)))
        hit = self._memo[key]
        return hit.copy() if isinstance(hit, (pd.DataFrame, pd.Series)) else hit

    def _from_whole(self, name: str, session_id: Any = None) -> pd.DataFrame | None:
        whole = self._whole.get(name)
        if whole is None:
            return None
        if session_id is None:
            return whole.copy()
        ids = [session_id] if isinstance(session_id, str) else list(session_id)
        return whole[whole.session_id.isin(ids)].reset_index(drop=True)


def friendly_error(err: BaseException, lang: Lang = "zh") -> str:
    """An error as an HTML note a manager can read (the traceback goes to the log file)."""
    log.exception("page error", exc_info=err)
    if isinstance(err, DataValidationError):
        items = "".join(f"<li><pre style='white-space:pre-wrap;margin:0'>{esc(p)}</pre></li>" for p in err.problems[:20])
        return (f'<div class="lo lo-note lo-bad">{esc(t("app_data_problem", lang))}<ul>{items}</ul></div>')
    if isinstance(err, LiveOpsError):
        return note(str(err), "bad")
    return note(t("app_unexpected", lang, kind=type(err).__name__, msg=str(err)[:300]) + " " +
                t("app_where_log", lang, path=LOG_PATH), "bad")


# ---------------------------------------------------------------------- charts in Voila
CHART_MODULE_DIR = ".liveops-cache"  # under Voila's root (the notebooks folder); voila.json allows serving it


def share_chart_module() -> bool:
    """In Voila, load the chart widgets' JavaScript once per page instead of once per chart.

    Altair's offline ``JupyterChart`` sends its whole Vega bundle (~0.9 MB) with every chart
    widget, and the browser compiles it again for each. Here the bundle is written once to
    ``<notebooks>/.liveops-cache/jupyterchart-<hash>.js``, served by Voila (``file_allowlist``
    in voila.json), and every widget carries a two-line module that imports it — the browser
    fetches and compiles it once. Only when Voila started this kernel and really serves the
    file; otherwise (JupyterLab, another Voila config) nothing changes. True if switched on.
    """
    server_url = os.environ.get("VOILA_SERVER_URL")
    port = os.environ.get("VOILA_APP_PORT") or os.environ.get("SERVER_PORT")
    if not server_url or not port or os.environ.get("LIVEOPS_CHART_MODULE") == "inline":
        return False
    try:
        import altair as alt

        alt.JupyterChart.enable_offline()  # what the first chart would do: the bundle, no CDN
        esm = alt.JupyterChart._esm
        if not isinstance(esm, str) or len(esm) < 10_000:  # not the offline bundle (or already shared)
            return False
        rel = f"{CHART_MODULE_DIR}/jupyterchart-{hashlib.sha256(esm.encode()).hexdigest()[:16]}.js"
        path = Path.cwd() / rel
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")  # generated files, never committed
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(esm, encoding="utf-8")
            os.replace(tmp, path)
        url = f"{server_url.rstrip('/')}/voila/files/{rel}"
        host = os.environ.get("VOILA_APP_IP") or "127.0.0.1"
        with urllib.request.urlopen(f"http://{host}:{port}{url}", timeout=5) as r:
            if r.status != 200 or r.read(64) != esm[:64].encode():
                return False
    except Exception as err:  # noqa: BLE001 - the inline bundle still works
        log.info("chart module not shared: %r", err)
        return False
    alt.JupyterChart._esm = (f"const m = await import(new URL({json.dumps(url)}, location.href).href);\n"
                             "export default m.default;\n")
    return True
