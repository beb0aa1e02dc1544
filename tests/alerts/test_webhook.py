"""Webhook payloads (WeCom, DingTalk) and delivery against local HTTP servers, one of them failing."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from liveops_nb.alerts import Alert, Webhook
from liveops_nb.alerts.log import log_alerts, read_log, records
from liveops_nb.alerts.webhook import deliver, payload, signed_url
from liveops_nb.render.alerts import webhook_text

from .helpers import minute


def _alert(sev: str = "high", i: int = 1) -> Alert:
    return Alert("outage", "online", "S1", "R1", minute(i), minute(i + 8), 0.0, 3.3, sev, "threshold_below",
                 minute(i + 1), None, {"window": 1, "aggregate": "mean", "comparison": "<",
                                       "reference": "recent_median", "ratio": 0.3, "minutes_history": 15,
                                       "minutes": 8, "repeats": 0})


class _Bot(BaseHTTPRequestHandler):
    """Answers like a group bot: ``fail_first`` requests fail (HTTP 500, then errcode), the rest succeed."""

    seen: list[tuple[str, dict]] = []
    fail_first = 0

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((self.path, body))
        n = len(type(self).seen)
        if n <= type(self).fail_first:
            if n % 2:
                self.send_response(500)
                self.end_headers()
                return
            answer = {"errcode": 45009, "errmsg": "api freq out of limit"}
        else:
            answer = {"errcode": 0, "errmsg": "ok"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def bot() -> Iterator[tuple[str, type[_Bot]]]:
    handler = type("Bot", (_Bot,), {"seen": [], "fail_first": 0})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send?key=k", handler
    server.shutdown()
    server.server_close()


def test_wecom_and_dingtalk_bodies() -> None:
    assert payload("wecom", "T", "**x**", ["u1"]) == {"msgtype": "markdown", "markdown": {"content": "**x**\n<@u1>"}}
    assert payload("dingtalk", "T", "**x**", ["13800000000"]) == {
        "msgtype": "markdown", "markdown": {"title": "T", "text": "**x**\n\n@13800000000"},
        "at": {"atMobiles": ["13800000000"], "isAtAll": False}}


def test_dingtalk_signature() -> None:
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=a", "SEC", now_ms=1700000000000)
    q = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    want = base64.b64encode(hmac.new(b"SEC", b"1700000000000\nSEC", hashlib.sha256).digest()).decode()
    assert q["timestamp"] == ["1700000000000"] and q["sign"] == [want] and q["access_token"] == ["a"]
    assert signed_url("https://x/y", None) == "https://x/y"


def test_delivered_message_in_words(bot, tmp_path: Path) -> None:
    url, handler = bot
    hook = Webhook(url=url, format="wecom", min_severity="medium", retries=2, backoff_seconds=0.01)
    a, low = _alert("high"), _alert("low", 20)
    log_alerts(tmp_path, [a, low])
    got = deliver([a, low], hook, lambda x: webhook_text(x, "zh", "小美的店"), data_dir=tmp_path)
    assert [(d.ok, d.attempts) for d in got] == [(True, 1)]  # the low one is below min_severity
    path, body = handler.seen[0]
    assert path == "/send?key=k"
    text = body["markdown"]["content"]
    assert "【紧急】小美的店 直播预警" in text and "20:01–20:09" in text and "低于近15分钟中位数的30%" in text
    assert read_log(tmp_path)["delivered"].tolist() == [True, None]


def test_failing_server_is_retried_with_backoff_and_logged(bot, tmp_path: Path) -> None:
    url, handler = bot
    handler.fail_first = 2  # HTTP 500, then errcode 45009, then ok
    waits: list[float] = []
    hook = Webhook(url=url, format="dingtalk", secret="s", retries=3, backoff_seconds=0.5)
    log_alerts(tmp_path, [_alert()])
    (d,) = deliver([_alert()], hook, lambda x: webhook_text(x, "en"), data_dir=tmp_path, sleep=waits.append)
    assert (d.ok, d.attempts, waits) == (True, 3, [0.5, 1.0])
    assert all("sign=" in p and "timestamp=" in p for p, _ in handler.seen)
    assert handler.seen[0][1]["markdown"]["title"] == "[high] live alert: R1"


def test_a_server_that_always_fails_never_raises(bot, tmp_path: Path) -> None:
    url, handler = bot
    handler.fail_first = 10**6
    waits: list[float] = []
    hook = Webhook(url=url, retries=2, backoff_seconds=1.0)
    log_alerts(tmp_path, [_alert()])
    (d,) = deliver([_alert()], hook, lambda x: webhook_text(x, "zh"), data_dir=tmp_path, sleep=waits.append)
    assert (d.ok, d.attempts, waits) == (False, 3, [1.0, 2.0])
    assert d.error == "HTTP 500"  # the third attempt is odd again
    rec = [r for r in records(tmp_path) if r["type"] == "delivery"]
    assert rec[0]["ok"] is False and rec[0]["attempts"] == 3
    assert read_log(tmp_path)["delivered"].tolist() == [False]


def test_nobody_listening() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens on this port now
    hook = Webhook(url=f"http://127.0.0.1:{port}/x", retries=1, backoff_seconds=0.01, timeout_seconds=2)
    (d,) = deliver([_alert()], hook, lambda x: ("t", "x"), sleep=lambda s: None)
    assert not d.ok and d.attempts == 2 and "URLError" in (d.error or "")
