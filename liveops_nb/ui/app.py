"""What every page needs: the dataset (opened once per kernel), friendly errors, a log file."""
from __future__ import annotations

import functools
import logging
import tempfile
from pathlib import Path

from ..config import resolve_data_dir
from ..errors import DataValidationError, LiveOpsError
from ..i18n import Lang, register, t
from .html import esc, note

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
def _open_cached(path: str):
    from ..dataset import open as open_dataset

    return open_dataset(path)


def load_dataset(data_dir: str | Path = ""):
    """Open the dataset once per kernel (validation included); later calls reuse it."""
    return _open_cached(str(resolve_data_dir(data_dir)))


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
