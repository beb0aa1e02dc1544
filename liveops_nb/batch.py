"""Batch session reviews: the review notebook executed once per session with papermill.

For each session ``out/<session_id>/`` receives the executed notebook
(``review.ipynb``), a self-contained static HTML (``review.html``, charts as
SVG, no network needed) and ``key_figures.json``. Each report is built in a
temporary folder and moved into place with one atomic rename, so a half-written
report never appears. A failing session is recorded with its error and does not
stop the others; a rerun skips finished sessions unless ``force``.
``out/index.html`` links every report; ``out/batch.json`` lists the outcome.

Each worker keeps one warm kernel for its sessions (:class:`KernelPool`): the
kernel start, the package imports, the opened dataset and the chart renderer
are paid once per worker, not once per session. Before every session the
kernel's namespace is reset (``%reset``, a new execution count), so a report
sees only its own parameters; a kernel whose session failed is replaced.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .config import resolve_data_dir
from .errors import LiveOpsError
from .render.fmt import fmt_value

DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01-session-review.ipynb"
TEMPLATES = Path(__file__).resolve().parent / "templates" / "nbconvert"
DONE_MARKER = "key_figures.json"


@dataclass
class SessionOutcome:
    session_id: str
    status: str  # "ok" | "skipped" | "failed"
    seconds: float = 0.0
    error: str = ""
    section_errors: list[str] = field(default_factory=list)


@dataclass
class BatchSummary:
    out: Path
    outcomes: list[SessionOutcome]

    @property
    def failed(self) -> list[SessionOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def text(self) -> str:
        counts = {s: sum(o.status == s for o in self.outcomes) for s in ("ok", "skipped", "failed")}
        lines = [f"{counts['ok']} done, {counts['skipped']} skipped (already done), {counts['failed']} failed "
                 f"-> {self.out / 'index.html'}"]
        lines += [f"  FAILED {o.session_id}: {o.error}" for o in self.failed]
        return "\n".join(lines)


def select_sessions(session_info: pd.DataFrame, spec: str) -> list[str]:
    """Session ids for ``spec``: ``all``, ``id1,id2`` or ``since:YYYY-MM-DD`` / ``since YYYY-MM-DD``."""
    spec = spec.strip()
    ordered = session_info.sort_values("start_time")
    if spec == "all":
        return ordered.session_id.tolist()
    if spec.startswith("since"):
        day = pd.Timestamp(spec[5:].lstrip(": ").strip()).date()
        return ordered.loc[ordered.date >= day, "session_id"].tolist()
    return [s.strip() for s in spec.split(",") if s.strip()]


def export_html(nb_path: Path, html_path: Path) -> None:
    """Static, self-contained HTML of an executed notebook (no code, no CDN scripts)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="liveops-static", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    html_path.write_text(body, encoding="utf-8")


class KernelPool:
    """One warm Jupyter kernel per worker thread, reused for that worker's sessions.

    Parameters
    ----------
    kernel_name : kernel spec to start.
    cwd : working directory of the kernels (the notebook's folder).
    recycle_after : sessions after which a kernel is replaced by a fresh one (bounds memory).
    """

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None, recycle_after: int = 40) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.recycle_after = recycle_after
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list = []

    def acquire(self):
        """This thread's kernel manager, started if needed, with a freshly reset namespace."""
        km = getattr(self._local, "km", None)
        if km is not None and (self._local.runs >= self.recycle_after or not self._reset(km)):
            self.discard()
            km = None
        if km is None:
            from jupyter_client.manager import AsyncKernelManager
            from jupyter_core.utils import run_sync

            km = AsyncKernelManager(kernel_name=self.kernel_name)
            run_sync(km.start_kernel)(cwd=str(self.cwd) if self.cwd else None)
            self._local.km, self._local.runs = km, 0
            with self._lock:
                self._all.append(km)
        self._local.runs += 1
        return km

    def discard(self) -> None:
        """Shut down this thread's kernel (after a failed session: the next one starts clean)."""
        km = getattr(self._local, "km", None)
        self._local.km = None
        if km is not None:
            with self._lock:
                if km in self._all:
                    self._all.remove(km)
            _shutdown(km)

    def close(self) -> None:
        with self._lock:
            kms, self._all = self._all, []
        for km in kms:
            _shutdown(km)

    @staticmethod
    def _reset(km) -> bool:
        """Clear the kernel's namespace and execution count; False if the kernel does not answer."""
        from jupyter_client.blocking import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive("get_ipython().reset(new_session=True)", timeout=60,
                                           store_history=False, output_hook=lambda _msg: None)
            return reply["content"]["status"] == "ok"
        except Exception:  # noqa: BLE001 - a kernel that cannot reset is replaced
            return False
        finally:
            kc.stop_channels()


def _shutdown(km) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - best effort: kill the process
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        if proc is not None:
            proc.kill()


def run_one(session_id: str, data_dir: Path, out: Path, *, notebook: Path = DEFAULT_NOTEBOOK, lang: str = "zh",
            kernel_name: str = "python3", validate: bool = True, kernels: KernelPool | None = None) -> SessionOutcome:
    """Execute the review for one session into ``out/<session_id>`` atomically.

    ``validate=False`` skips the data checks in the notebook (``run_batch`` ran them once for all sessions);
    ``kernels`` lends a warm kernel (default: a new kernel for this session only).
    """
    import papermill as pm

    started = time.perf_counter()
    tmp = out / f".tmp-{_safe(session_id)}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        nb_out = tmp / "review.ipynb"
        warm = {"km": kernels.acquire()} if kernels is not None else {"cwd": str(notebook.parent)}
        try:
            pm.execute_notebook(
                str(notebook), str(nb_out), kernel_name=kernel_name, progress_bar=False, **warm,
                parameters={"session_id": session_id, "data_dir": str(data_dir), "lang": lang, "mode": "static",
                            "validate": validate, "key_figures_path": str(tmp / DONE_MARKER)})
        except BaseException:
            if kernels is not None:
                kernels.discard()
            raise
        export_html(nb_out, tmp / "review.html")
        figures = json.loads((tmp / DONE_MARKER).read_text(encoding="utf-8"))
        final = out / _safe(session_id)
        if final.exists():  # --force: move the old report aside, then swap in the new one
            trash = out / f".old-{_safe(session_id)}-{uuid.uuid4().hex[:8]}"
            os.replace(final, trash)
            shutil.rmtree(trash, ignore_errors=True)
        os.replace(tmp, final)
        return SessionOutcome(session_id, "ok", time.perf_counter() - started,
                              section_errors=list(figures.get("section_errors", [])))
    except Exception as err:  # noqa: BLE001 - every failure is reported, none stops the batch
        shutil.rmtree(tmp, ignore_errors=True)
        return SessionOutcome(session_id, "failed", time.perf_counter() - started, error=_describe(err))


def run_batch(data_dir: str | Path, sessions: str, out: str | Path, *, workers: int = 2, force: bool = False,
              lang: str = "zh", notebook: str | Path | None = None, progress: bool = True) -> BatchSummary:
    """Execute the review notebook for every selected session in parallel workers.

    Returns a :class:`BatchSummary`; also writes ``index.html`` and ``batch.json`` into ``out``.
    """
    from tqdm.auto import tqdm

    from .dataset import open as open_dataset

    data = resolve_data_dir(data_dir)
    ds = open_dataset(data)  # validate once, up front: a broken dataset stops here with the full list
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    nb = Path(notebook).resolve() if notebook else DEFAULT_NOTEBOOK
    if not nb.exists():
        raise LiveOpsError(f"notebook {nb} not found; pass --notebook with the session review notebook")
    ids = select_sessions(ds.session_info, sessions)
    outcomes: dict[str, SessionOutcome] = {}
    todo = []
    for sid in ids:
        if not force and (out / _safe(sid) / DONE_MARKER).exists():
            outcomes[sid] = SessionOutcome(sid, "skipped")
        else:
            todo.append(sid)
    kernels = KernelPool(cwd=nb.parent)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {
                pool.submit(run_one, sid, data, out, notebook=nb, lang=lang, validate=False, kernels=kernels): sid
                for sid in todo}
            for fut in tqdm(as_completed(futures), total=len(futures), desc="session reviews", unit="session",
                            disable=not progress):
                outcomes[futures[fut]] = fut.result()
    finally:
        kernels.close()
    summary = BatchSummary(out, [outcomes[s] for s in ids])
    write_index(summary, ds.sessions(), lang)
    return summary


def write_index(summary: BatchSummary, sessions: pd.DataFrame, lang: str = "zh") -> Path:
    """``index.html`` linking every report (and listing failures) plus ``batch.json``; both written atomically."""
    info = sessions.set_index("session_id")
    zh = lang == "zh"
    head = (["场次", "直播间", "开播", "成交金额", "状态", "报告"] if zh
            else ["Session", "Room", "Start", "GMV", "Status", "Report"])
    rows = []
    for o in summary.outcomes:
        r = info.loc[o.session_id] if o.session_id in info.index else None
        done = (summary.out / _safe(o.session_id) / "review.html").exists()
        link = f'<a href="{html.escape(_safe(o.session_id))}/review.html">review.html</a>' if done else ""
        status = {"ok": "完成" if zh else "done", "skipped": "已存在" if zh else "already done",
                  "failed": "失败" if zh else "failed"}[o.status]
        if o.status == "failed":
            status += f": {html.escape(o.error)}"
        elif o.section_errors:
            status += (" (" + ("部分章节出错: " if zh else "sections with errors: ")
                       + ", ".join(html.escape(_section_title(name, lang)) for name in o.section_errors) + ")")
        cells = [html.escape(o.session_id),
                 html.escape(str(r.room_name)) if r is not None else "",
                 f"{r.start_time:%Y-%m-%d %H:%M}" if r is not None else "",
                 fmt_value(r.gmv, "CNY", "zh" if zh else "en") if r is not None else "", status, link]
        cls = ' class="failed"' if o.status == "failed" else ""
        rows.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title = "下播复盘报告" if zh else "Session review reports"
    run_line = html.escape(summary.text().splitlines()[0].rsplit(' -> ', 1)[0])
    heads = "".join(f"<th>{h}</th>" for h in head)
    page = f"""<!doctype html><html lang="{'zh-CN' if zh else 'en'}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:24px;color:#262626}}
table{{border-collapse:collapse;font-size:13px}}td,th{{padding:5px 10px;border-bottom:1px solid #eee;text-align:left}}
th{{background:#fafafa}}tr.failed td{{background:#fff1f0}}</style></head><body>
<h1>{title}</h1><p>{run_line} · {dt.datetime.now():%Y-%m-%d %H:%M}</p>
<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>"""
    _atomic_write(summary.out / "index.html", page)
    outcomes = [asdict(o) for o in summary.outcomes]
    _atomic_write(summary.out / "batch.json", json.dumps(outcomes, ensure_ascii=False, indent=1))
    return summary.out / "index.html"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _section_title(name: str, lang: str) -> str:
    """The heading of review section ``name`` from the registry of sections (the name itself if unknown)."""
    from .errors import UnknownSectionError
    from .pages import sections  # the review's sections: imported only when a report lists failed ones

    try:
        return sections.get(name).heading("zh" if lang == "zh" else "en")
    except UnknownSectionError:
        return name


def _safe(session_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in session_id)


def _describe(err: BaseException) -> str:
    ename = getattr(err, "ename", None)
    if ename:  # papermill.PapermillExecutionError
        return f"{ename}: {getattr(err, 'evalue', '')} (cell {getattr(err, 'exec_count', '?')})"
    return f"{type(err).__name__}: {err}"
