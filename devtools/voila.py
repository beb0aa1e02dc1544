"""A Voila server for browser tests and benchmarks, started as ``make voila`` starts it.

The working directory is the repository root (so ``voila.json`` applies), ``JUPYTER_PATH`` holds the
offline page template (``share/jupyter``) and ``LIVEOPS_DATA`` the dataset; the server listens on
127.0.0.1 on a free port.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from . import ROOT


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(data_dir: Path, log: Path, *, port: int | None = None, extra: Sequence[str] = (),
                timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """Start Voila on ``notebooks/`` and wait until it answers.

    Parameters
    ----------
    data_dir : the dataset folder (``LIVEOPS_DATA``).
    log : file that receives the server's output (created; its folder must exist).
    port : port on 127.0.0.1 (default: a free one).
    extra : further Voila options, e.g. ``["--VoilaConfiguration.preheat_kernel=False"]``.
    timeout : seconds to wait for the first answer.

    Returns
    -------
    The server process and its URL, ``http://127.0.0.1:<port>``.

    Raises
    ------
    RuntimeError
        If the server exits or does not answer within ``timeout`` seconds (it is stopped then).
    """
    port = port or free_port()
    env = dict(os.environ, LIVEOPS_DATA=str(data_dir), JUPYTER_PATH=str(ROOT / "share" / "jupyter"))
    with log.open("w") as out:  # the server keeps its own copy of the file descriptor
        proc = subprocess.Popen([str(Path(sys.executable).parent / "voila"), "notebooks/", f"--port={port}",
                                 "--no-browser", *extra], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for_server(proc, url, log, timeout)
    return proc, url


def wait_for_server(proc: subprocess.Popen, url: str, log: Path, timeout: float = 60) -> None:
    """Wait until the server at ``url`` answers any HTTP status (a 403 of a token-protected one counts).

    Raises
    ------
    RuntimeError
        If the server exits or does not answer within ``timeout`` seconds (it is stopped then).
    """
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}; see {log}")
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return
        except urllib.error.HTTPError:  # answered, with a refusal or a redirect to the login page
            return
        except OSError:
            time.sleep(0.3)
    stop_voila(proc)
    raise RuntimeError(f"voila did not start within {timeout:g} s; see {log}")


def stop_voila(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate the server; kill it if it has not exited after ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def waiting_kernels(server_pid: int, port: int) -> int:
    """How many of a server's kernels are pre-heated and waiting for their page's request.

    A pre-heated kernel runs its notebook up to ``page_query()`` (:mod:`liveops_nb.pages.app`), which then
    holds a websocket open to the server's ``/voila/query/<kernel id>`` until a page claims the kernel: a
    kernel process with a TCP connection to the server's ``port`` has finished heating. (Voila's own "Kernel
    pool ... is filled" log line comes when the kernels have *started*, before their notebook has run.)
    """
    import psutil

    count = 0
    for p in psutil.Process(server_pid).children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
            if "ipykernel" not in cmd and "devtools.sandbox" not in cmd:
                continue
            if any(c.status == psutil.CONN_ESTABLISHED and c.raddr and c.raddr.port == port
                   for c in p.net_connections(kind="tcp")):
                count += 1
        except psutil.Error:
            continue
    return count


def wait_until_heated(proc: subprocess.Popen, port: int, n: int, timeout: float, settle: float = 2.0) -> float:
    """Wait until ``n`` kernels of the server wait for their request (:func:`waiting_kernels`), for ``settle`` s.

    Returns the seconds waited. Raises RuntimeError if the server exits or ``timeout`` passes first.
    """
    t0 = time.perf_counter()
    since = None
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        if waiting_kernels(proc.pid, port) >= n:
            since = since or time.perf_counter()
            if time.perf_counter() - since >= settle:
                return time.perf_counter() - t0
        else:
            since = None
        time.sleep(0.5)
    raise RuntimeError(f"{n} pre-heated kernel(s) not ready after {timeout:g} s")
