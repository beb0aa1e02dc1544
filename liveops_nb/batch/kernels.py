"""Warm Jupyter kernels for the batch workers, and stopping them at once when the run is interrupted.

Kernels are child processes started by jupyter_client in their own session (process group), so
the terminal's Ctrl-C reaches only the batch process; :meth:`KernelPool.kill_all` then kills each
kernel's whole process group (the kernel and anything it started). A kernel also exits by itself
when the batch process dies (ipykernel watches its parent).
"""
from __future__ import annotations

import os
import queue
import signal
import threading
import time
from pathlib import Path
from typing import Any


class SessionInterrupted(Exception):
    """The run is stopping: this session is not started, or its kernel was killed."""


class KernelPool:
    """One warm Jupyter kernel per worker thread, reused for that worker's sessions.

    Parameters
    ----------
    kernel_name : kernel spec to start.
    cwd : working directory of the kernels (the notebook's folder).
    recycle_after : sessions after which a kernel is replaced by a fresh one (bounds memory).
    stop : when set, :meth:`acquire` refuses (``SessionInterrupted``) instead of handing out a kernel.
    """

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None, recycle_after: int = 40,
                 stop: threading.Event | None = None) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.recycle_after = recycle_after
        self.stop = stop or threading.Event()
        self.reply_timeout = 60.0
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Any] = []

    def acquire(self) -> Any:
        """This thread's kernel manager, started if needed, with a freshly reset namespace.

        Raises
        ------
        SessionInterrupted
            The run is stopping (checked before and after a kernel is started or reset).
        """
        self._check_stop()
        km = getattr(self._local, "km", None)
        if km is not None and (self._local.runs >= self.recycle_after or not self._reset(km)):
            self.discard()
            km = None
        self._check_stop()
        if km is None:
            from jupyter_client.manager import AsyncKernelManager
            from jupyter_core.utils import run_sync

            km = AsyncKernelManager(kernel_name=self.kernel_name)
            with self._lock:
                self._all.append(km)
            self._local.km, self._local.runs = km, 0
            run_sync(km.start_kernel)(cwd=str(self.cwd) if self.cwd else None)
        self._check_stop()  # a kill_all() during the start or reset missed this kernel: do not use it
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

    def kill_all(self) -> None:
        """Kill every kernel's process group now (thread-safe: signals only). Used when the run is interrupted;
        the workers see their kernel die, discard their session and return."""
        with self._lock:
            kms = list(self._all)
        for km in kms:
            kill_kernel(km)

    def close(self) -> None:
        """Shut down every kernel of the pool."""
        with self._lock:
            kms, self._all = self._all, []
        for km in kms:
            _shutdown(km)

    def _check_stop(self) -> None:
        if self.stop.is_set():
            raise SessionInterrupted("the batch run is stopping")

    def _reset(self, km: Any) -> bool:
        """Clear the kernel's namespace and execution count; False if the kernel does not answer or the run stops."""
        from jupyter_client.blocking import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels()
        try:
            msg_id = kc.execute("get_ipython().reset(new_session=True)", store_history=False)
            deadline = time.monotonic() + self.reply_timeout
            while time.monotonic() < deadline:
                if self.stop.is_set() or not kernel_alive(km):
                    return False
                try:
                    reply = kc.get_shell_msg(timeout=0.25)
                except queue.Empty:
                    continue
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return bool(reply["content"]["status"] == "ok")
            return False
        except Exception:  # noqa: BLE001 - a kernel that cannot reset is replaced
            return False
        finally:
            kc.stop_channels()


def kernel_alive(km: Any) -> bool:
    """True while the kernel process of ``km`` runs (thread-safe: no event loop involved)."""
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    return proc is not None and proc.poll() is None


def kill_kernel(km: Any) -> None:
    """SIGKILL the kernel's process group (the kernel and its children); the process alone as a fallback."""
    provisioner = getattr(km, "provisioner", None)
    proc = getattr(provisioner, "process", None)
    pgid = getattr(provisioner, "pgid", None)
    sig = getattr(signal, "SIGKILL", signal.SIGTERM)
    if pgid and hasattr(os, "killpg") and proc is not None and proc.poll() is None:
        try:
            os.killpg(pgid, sig)
            return
        except OSError:
            pass
    if proc is not None:
        try:
            proc.kill()
        except OSError:
            pass


def _shutdown(km: Any) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - best effort: kill the process
        kill_kernel(km)
