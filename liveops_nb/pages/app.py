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
from pathlib import Path

from ..config import resolve_data_dir
from ..errors import DataValidationError, LiveOpsError
from ..render.html import esc, note
from ..render.i18n import Lang, register, t

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
