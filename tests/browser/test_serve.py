"""`make serve`: the pages need the token, show no code, list no files, and the kernels cannot write the data folder.

Real processes: the server is ``python -m devtools.serve`` (what ``make serve`` runs) on 127.0.0.1, the page is
opened in headless Chromium (the ``page`` fixture aborts and reports any request leaving 127.0.0.1), and the
write protection is checked in a real sandboxed Python process.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest

from devtools.sandbox import abi
from devtools.serve import start_serve
from devtools.voila import free_port, stop_voila

from .conftest import CACHE, CHART, ROOT, open_page

REVIEW = "/voila/render/01-session-review.ipynb"
TOKEN = secrets.token_urlsafe(24)
BROWSER = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
needs_landlock = pytest.mark.skipif(abi() < 1, reason="Linux Landlock is not available on this kernel")


def folder_digest(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder`` (and '<dir>' for every folder)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def served(demo_dir: Path):
    """``devtools.serve`` on the demo data with the archive off (the whole data folder read-only)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = CACHE / f"serve-{port}.log"
    before = folder_digest(demo_dir)
    proc, url = start_serve(demo_dir, log, token=TOKEN, port=port, extra_args=["--archive", "off"], timeout=120)
    yield {"url": url, "proc": proc, "log": log, "before": before}
    stop_voila(proc)


def get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, ``Location`` header and the first 64 KiB of the body of one GET (redirects not followed)."""
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.getheader("Location") or "", r.read(65536).decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.parametrize("path", [REVIEW, REVIEW + "?session=R02-20261015-2", REVIEW + "?token=wrong-token-wrong-token",
                                  "/voila/render/00-sessions.ipynb", "/voila/render/02-ab-test.ipynb"])
@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_page_without_token_goes_to_login(served, path):
    status, location, body = get(served["url"], path)
    assert status == 302 and location.startswith("/login?next="), (status, location)
    assert "ReviewPage" not in body and "lo-section" not in body


@pytest.mark.parametrize("path", ["/api/kernels/0a6b1c1e-0b0b-4b4b-8b8b-0a6b1c1e0b0b",
                                  "/api/kernels/0a6b1c1e-0b0b-4b4b-8b8b-0a6b1c1e0b0b/channels"])
@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_kernel_api_without_token_is_forbidden(served, path):
    assert get(served["url"], path)[0] == 403
    # with the token the same request gets past authentication (and finds no such kernel)
    assert get(served["url"], path, {"Authorization": f"token {TOKEN}"})[0] in (400, 404)


@pytest.mark.parametrize("path", ["/voila/api/contents", "/voila/api/contents/01-session-review.ipynb",
                                  "/api/contents", "/api/kernels", "/api/sessions", "/api/terminals", "/terminals/1",
                                  "/tree", "/lab", "/files/01-session-review.ipynb",
                                  "/voila/files/01-session-review.ipynb", "/voila/files/../voila.json"])
@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_no_files_no_listing_no_terminals_even_with_token(served, path):
    status, _, body = get(served["url"], path, {"Authorization": f"token {TOKEN}"})
    assert status in (403, 404), (path, status)
    assert '"cells"' not in body and "from liveops_nb" not in body


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_root_and_tree_redirect_to_the_landing_page(served):
    for path in ("/", "/voila/tree", "/voila/tree/"):
        status, location, _ = get(served["url"], path, {"Authorization": f"token {TOKEN}"})
        assert (status, location) == (301, "/voila/render/00-sessions.ipynb"), path


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_browser_without_token_sees_the_login_form(served, page):
    page.goto(served["url"] + REVIEW, wait_until="domcontentloaded")
    assert urlparse(page.url).path == "/login"
    assert page.locator("#password_input").count() == 1  # "Password or token:"
    assert page.locator(CHART).count() == 0


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_with_token_the_page_renders_without_code_and_data_stays_untouched(served, page, demo_dir):
    open_page(page, f"{served['url']}{REVIEW}?token={TOKEN}", CHART)
    page.wait_for_selector(".lo-section-results .lo-card .val")
    html = page.content()
    source = (ROOT / "notebooks" / "01-session-review.ipynb").read_text(encoding="utf-8")
    assert "ReviewPage(session_id=session_id" in source  # the cell source that must not reach the browser
    assert "ReviewPage(" not in html and "page.section(" not in html and "Traceback" not in html
    # every kernel the server started runs write-protected
    kernels = [" ".join(c.cmdline()) for c in psutil.Process(served["proc"].pid).children(recursive=True)
               if "ipykernel" in " ".join(c.cmdline()) or "devtools.sandbox" in " ".join(c.cmdline())]
    assert kernels and all("-m devtools.sandbox" in k for k in kernels), kernels
    assert not any(f"--write {demo_dir}" in k for k in kernels)  # --archive off: no folder of the data writable
    assert folder_digest(demo_dir) == served["before"]


# ---------------------------------------------------------------------- the write sandbox itself (no browser)
PROBE = r"""
import json, os, sys, subprocess
from pathlib import Path
from devtools.sandbox import restrict_writes
data, archive = Path(sys.argv[1]), Path(sys.argv[2])
restrict_writes([archive])
results = {}
def attempt(name, fn):
    try:
        fn(); results[name] = "ok"
    except PermissionError:
        results[name] = "refused"
attempt("write_new", lambda: (data / "new.csv").write_text("x"))
attempt("overwrite", lambda: (data / "sessions.csv").write_text("x"))
attempt("append", lambda: open(data / "sessions.csv", "a").write("x"))
attempt("truncate", lambda: os.truncate(data / "sessions.csv", 0))
attempt("remove", lambda: (data / "sessions.csv").unlink())
attempt("rename", lambda: (data / "sessions.csv").rename(data / "s.csv"))
attempt("mkdir", lambda: (data / "sub").mkdir())
def child():
    if subprocess.run(["touch", str(data / "child")], capture_output=True).returncode:
        raise PermissionError
attempt("child_process", child)
attempt("archive", lambda: (archive / "record.json").write_text("{}"))
attempt("read", lambda: (data / "sessions.csv").read_text())
print(json.dumps(results))
"""


@needs_landlock
def test_sandboxed_process_cannot_change_the_data_folder(tmp_path):
    data, archive = tmp_path / "data dir 数据", tmp_path / "data dir 数据" / "archive"
    archive.mkdir(parents=True)
    (data / "sessions.csv").write_text("session_id\nS1\n", encoding="utf-8")
    before = folder_digest(data)
    out = subprocess.run([sys.executable, "-c", PROBE, str(data), str(archive)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout.strip().splitlines()[-1])
    assert results == {"write_new": "refused", "overwrite": "refused", "append": "refused", "truncate": "refused",
                       "remove": "refused", "rename": "refused", "mkdir": "refused", "child_process": "refused",
                       "archive": "ok", "read": "ok"}
    after = folder_digest(data)
    assert after.pop("archive/record.json") == hashlib.sha256(b"{}").hexdigest()
    assert after == before


@needs_landlock
def test_served_kernel_spec_starts_ipykernel_under_the_sandbox(tmp_path):
    from devtools.serve import kernel_spec

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    spec = kernel_spec(tmp_path / "jupyter", [tmp_path / "archive"], scratch) / "kernel.json"
    argv = json.loads(spec.read_text(encoding="utf-8"))["argv"]
    assert argv[argv.index("-m") + 1] == "devtools.sandbox" and argv[-2:] == ["-f", "{connection_file}"]
    writable = [argv[i + 1] for i, a in enumerate(argv) if a == "--write"]
    assert writable == [str(scratch), "/dev", str(tmp_path / "archive")]
    assert shutil.which(argv[0]) or Path(argv[0]).exists()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_password_instead_of_token(demo_dir, tmp_path):
    """``--password-file`` with ``--no-token``: the login form accepts the password, nothing else."""
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    from jupyter_server.auth.security import passwd

    secret = "correct horse battery staple"
    (tmp_path / "pw").write_text(passwd(secret), encoding="utf-8")
    port = free_port()
    proc, url = start_serve(demo_dir, CACHE / f"serve-pw-{port}.log", token="", port=port, timeout=120,
                            extra_args=["--no-token", "--password-file", str(tmp_path / "pw"), "--archive", "off",
                                        "--pool-size", "0"])
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', opener.open(url + "/login").read().decode()).group(1)

        def login(password: str) -> int:
            body = urllib.parse.urlencode({"_xsrf": xsrf, "password": password}).encode()
            try:
                return opener.open(url + "/login?next=/voila/render/00-sessions.ipynb", body).status
            except urllib.error.HTTPError as err:
                return err.code

        assert get(url, "/voila/render/00-sessions.ipynb?token=")[0] == 302  # an empty token is no token
        assert login("wrong password") == 401
        assert login(secret) == 200  # redirected to the landing page, which renders
        page = opener.open(url + "/voila/render/00-sessions.ipynb").read().decode()
        assert "lo-landing-sessions" in page and "LandingPage(" not in page
    finally:
        stop_voila(proc)
