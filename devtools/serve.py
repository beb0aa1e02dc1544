"""``make serve``: the pages served to a team — a token (or password), no code, no files, a read-only data folder.

Voila (standalone, on Jupyter Server's auth classes) started on ``notebooks/`` with ``voila.json`` and:

* **access** — Jupyter Server's ``PasswordIdentityProvider`` (Voila's default) with a token: every page, kernel
  and websocket needs ``?token=…`` once (then a cookie), the ``Authorization: token …`` header, or the token
  or password typed on ``/login``. Without it a page redirects to ``/login`` and an API call gets 403. The
  token comes from ``$LIVEOPS_TOKEN``, else ``--token-file`` (created with a random token when absent), else
  a random one; the URL with the token is printed once. ``--password-file`` holds a hashed password
  (``python -m devtools.serve --hash-password``) for a login form instead of (or as well as) the token;
* **nothing but the pages** — the directory listing (``/``, ``/voila/tree``) becomes a redirect to the landing
  page, the contents API (``/voila/api/contents``) is gone, Voila has no terminals, no file browser and no
  kernels listing (the request-info websocket by which a pre-heated kernel learns its page's query answers
  only to a kernel's random id, as in Voila); ``/voila/files``
  serves only the charts' shared JavaScript (Vega, public code). Sources are stripped, tracebacks hidden
  (``strip_sources``, ``show_tracebacks=False``); a viewer cannot run code (Voila refuses
  ``execute_request`` from the page);
* **read-only data** — every kernel runs under :mod:`devtools.sandbox` (Linux Landlock): it can read the data
  folder but not write, create, rename or delete anything in it, except in ``<data>/archive`` when
  ``--archive on`` (the A/B knowledge base; ``--archive off`` makes saving a verdict fail with a message).
  Kernels write only to a private temporary folder, ``notebooks/.liveops-cache`` and ``/dev``.

Usage (from the repository root; ``make serve`` runs this)::

    .venv/bin/python -m devtools.serve --host 0.0.0.0 --port 8866 --data data/demo --token-file ~/.liveops-token
    .venv/bin/python -m devtools.serve --hash-password      # prints a hash for --password-file
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

from . import ROOT

LANDING = "voila/render/00-sessions.ipynb"
CHART_MODULE = r"\.liveops-cache/jupyterchart-[0-9a-f]+\.js"
KERNEL_NAME = "python3"  # the kernel spec the notebooks name; overridden for the served kernels


# ---------------------------------------------------------------------- token and password
def read_token(token_file: str | None) -> tuple[str, str]:
    """The access token and where it came from (``$LIVEOPS_TOKEN``, the file, or generated).

    A ``token_file`` that does not exist is created (mode 600) with a new random token, so restarts keep it.
    """
    env = os.environ.get("LIVEOPS_TOKEN", "").strip()
    if env:
        return env, "$LIVEOPS_TOKEN"
    if token_file:
        path = Path(token_file).expanduser()
        if path.exists():
            token = path.read_text(encoding="utf-8").strip()
            if len(token) < 16:
                raise SystemExit(f"{path}: a token needs at least 16 characters")
            return token, str(path)
        token = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(token + "\n")
        return token, f"{path} (new)"
    return secrets.token_urlsafe(24), "generated"


def hash_password() -> str:
    """Ask for a password twice and return its argon2 hash (what ``--password-file`` holds)."""
    from jupyter_server.auth.security import passwd

    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: ") or len(first) < 8:
        raise SystemExit("the two entries differ, or the password is shorter than 8 characters")
    return str(passwd(first))


# ---------------------------------------------------------------------- the kernel spec
def kernel_spec(jupyter_dir: Path, writable: Sequence[Path], scratch: Path) -> Path:
    """Write ``<jupyter_dir>/kernels/python3/kernel.json``: ipykernel started through the write sandbox.

    Parameters
    ----------
    jupyter_dir : a folder put first on ``JUPYTER_PATH`` (so this spec wins over the installed one).
    writable : folders the kernels may write to (besides ``scratch`` and ``/dev``).
    scratch : the kernels' private temporary folder (``TMPDIR``, ``IPYTHONDIR``, caches).
    """
    spec_dir = jupyter_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-Xfrozen_modules=off", "-m", "devtools.sandbox"]
    for folder in (scratch, Path("/dev"), *writable):
        argv += ["--write", str(folder)]
    argv += ["--", "-f", "{connection_file}"]
    env = {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(scratch),
           "IPYTHONDIR": str(scratch / "ipython"), "XDG_CACHE_HOME": str(scratch / "cache"),
           "MPLCONFIGDIR": str(scratch / "matplotlib")}
    spec = {"argv": argv, "display_name": "Python 3 (served, write-protected)", "language": "python",
            "env": env, "metadata": {"debugger": False}, "kernel_protocol_version": "5.5"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return spec_dir


# ---------------------------------------------------------------------- the Voila application
def _served_app_class():
    """Voila without the directory listing (a redirect to the landing page) and without the contents API."""
    from jupyter_server.utils import url_path_join
    from tornado import web
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class SameOriginShutdown(VoilaShutdownKernelHandler):
        """Voila's "shut my kernel down" call of a closing page, accepted from the page's own origin.

        The page sends it without the ``_xsrf`` field, which a cookie-authenticated POST needs; a browser
        always sends ``Origin`` with such a POST, so a matching ``Origin`` is the cross-site check instead
        (without it, kernels of closed pages would live until culled after ``cull_idle_timeout``).
        """

        def check_xsrf_cookie(self):
            origin, host = self.request.headers.get("Origin"), self.request.headers.get("Host")
            if origin and host and urlparse(origin).netloc == host:
                return None
            return super().check_xsrf_cookie()

    class ServedVoila(Voila):
        name = "voila"  # reads voila.json like `voila`

        def init_handlers(self):
            landing = url_path_join(self.server_url, LANDING)
            handlers = [(url_path_join(self.server_url, r"/?"), web.RedirectHandler, {"url": landing}),
                        (url_path_join(self.server_url, r"/voila/tree(/.*)?"), web.RedirectHandler,
                         {"url": landing})]
            for h in super().init_handlers():
                cls = h[1]
                if cls in (TornadoVoilaTreeHandler, VoilaContentsHandler):
                    continue
                if cls is VoilaShutdownKernelHandler:
                    h = (h[0], SameOriginShutdown, *h[2:])
                handlers.append(h)
            return handlers

    return ServedVoila


def voila_argv(args: argparse.Namespace) -> list[str]:
    """Voila's command line for the parsed options (the token is not on it)."""
    argv = ["notebooks/", f"--Voila.ip={args.host}", f"--port={args.port}", "--Voila.port_retries=0",
            "--no-browser", f"--Voila.base_url={args.base_url}",
            "--VoilaConfiguration.show_tracebacks=False", "--VoilaConfiguration.strip_sources=True",
            "--VoilaConfiguration.file_allowlist", CHART_MODULE]
    if args.pool_size is not None:
        argv.append(f"--VoilaConfiguration.default_pool_size={args.pool_size}")
    return argv + list(args.voila_args)


def shown_url(host: str, port: int, base_url: str, token: str) -> str:
    """The URL to hand to managers (the machine's name when listening on every address)."""
    name = socket.gethostname() if host in ("", "0.0.0.0", "::") else host
    return f"http://{name}:{port}{base_url}{LANDING}?token={token}"


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m devtools.serve", description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every address)")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--data", default=str(ROOT / "data" / "demo"), help="the dataset folder (read-only)")
    p.add_argument("--token-file", default=None, help="file holding the token (created when absent)")
    p.add_argument("--password-file", default=None, help="file holding a hashed password (--hash-password)")
    p.add_argument("--no-token", action="store_true", help="password only (needs --password-file)")
    p.add_argument("--archive", choices=("on", "off"), default="on",
                   help="on: A/B verdicts may be saved to <data>/archive; off: the data folder is fully read-only")
    p.add_argument("--pool-size", type=int, default=None, help="pre-heated review kernels (voila.json: 1)")
    p.add_argument("--base-url", default="/", help="path prefix behind a reverse proxy, e.g. /liveops/")
    p.add_argument("--sandbox", choices=("on", "off"), default="on",
                   help="off: kernels are not write-protected (machines without Landlock)")
    p.add_argument("--hash-password", action="store_true", help="print a password hash and exit")
    p.add_argument("voila_args", nargs="*", help="further Voila options after --")
    args = p.parse_args(argv)
    if not args.base_url.startswith("/") or not args.base_url.endswith("/"):
        p.error("--base-url must start and end with '/'")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    if args.hash_password:
        print(hash_password())
        return
    data = Path(args.data).expanduser().resolve()
    if not data.is_dir():
        raise SystemExit(f"{data} is not a dataset folder (make demo, or DATA=/path/to/your/data)")
    from .sandbox import abi

    if args.sandbox == "on" and abi() < 1:
        raise SystemExit("this Linux kernel has no Landlock, so kernels cannot be write-protected; "
                         "upgrade (5.13+), or serve anyway with SANDBOX=off (--sandbox off)")
    password = Path(args.password_file).expanduser().read_text(encoding="utf-8").strip() if args.password_file else ""
    if args.no_token and not password:
        raise SystemExit("--no-token needs --password-file")
    token, source = ("", "none") if args.no_token else read_token(args.token_file)
    os.environ.pop("LIVEOPS_TOKEN", None)  # kernels inherit the server's environment: they need no token

    runtime = Path(tempfile.mkdtemp(prefix="liveops-serve-"))
    scratch = runtime / "kernel-tmp"
    (scratch / "ipython").mkdir(parents=True)
    cache = ROOT / "notebooks" / ".liveops-cache"
    cache.mkdir(exist_ok=True)
    writable = [cache]
    if args.archive == "on":
        (data / "archive").mkdir(exist_ok=True)
        writable.append(data / "archive")
    if args.sandbox == "on":
        kernel_spec(runtime / "jupyter", writable, scratch)
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(runtime / "jupyter"), str(ROOT / "share" / "jupyter")])
    os.environ["LIVEOPS_DATA"] = str(data)
    # where kernels reach the server themselves (a pre-heated kernel's request, the shared chart module)
    os.environ["VOILA_APP_IP"] = "127.0.0.1" if args.host in ("", "0.0.0.0", "::", "localhost") else args.host
    os.chdir(ROOT)

    app = _served_app_class()()
    if token:
        app.token = token
    if password:
        app.config.PasswordIdentityProvider.hashed_password = password
    protection = ("data read-only" + (", A/B archive writable" if args.archive == "on" else "")
                  if args.sandbox == "on" else "kernels NOT write-protected")
    print(f"LiveOps pages for the team ({'token: ' + source if token else 'password only'}; {protection}):",
          flush=True)
    url = shown_url(args.host, args.port, args.base_url, token)
    print("  " + (url if token else url.split("?")[0]), flush=True)
    try:
        app.initialize(voila_argv(args))
        from voila.paths import STATIC_ROOT

        # Jupyter Server's error page (e.g. for a refused websocket) needs a static path to render
        app.tornado_settings = {**app.tornado_settings, "static_path": STATIC_ROOT}
        app.start()
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def start_serve(data_dir: Path, log: Path, *, token: str, port: int, extra_args: Sequence[str] = (),
                timeout: float = 90, host: str = "127.0.0.1") -> tuple[subprocess.Popen, str]:
    """Start ``python -m devtools.serve`` (for tests and benchmarks) and wait until it answers on 127.0.0.1.

    Parameters
    ----------
    data_dir : the dataset folder.
    log : file that receives the server's output.
    token : the access token (passed in ``$LIVEOPS_TOKEN``, never on a command line).
    port : port.
    extra_args : further options of this module, e.g. ``["--archive", "off", "--pool-size", "2"]``.
    timeout : seconds to wait for the first answer.
    host : address to listen on (``0.0.0.0`` lets a benchmark reach it as 127.0.0.2, 127.0.0.3, …: one
        browser then behaves like several managers' browsers, which do not share connection limits per host).

    Returns
    -------
    The server process and its URL without the token, ``http://127.0.0.1:<port>``.
    """
    from .voila import wait_for_server

    env = dict(os.environ, LIVEOPS_TOKEN=token)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "devtools.serve", "--host", host, "--port", str(port),
                                 "--data", str(data_dir), *extra_args], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for_server(proc, url, log, timeout)
    return proc, url


if __name__ == "__main__":
    main()
