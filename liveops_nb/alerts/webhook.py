"""Group-bot webhooks (企业微信 WeCom, 钉钉 DingTalk): message bodies, delivery with retries, never raising.

The message *text* comes from the caller (words are rendering: :func:`liveops_nb.render.alerts.webhook_text`);
this module only wraps it in the bot's JSON format and sends it:

* WeCom group bot: ``{"msgtype": "markdown", "markdown": {"content": TEXT}}`` (mentions go into the text as
  ``<@userid>``); the bot answers ``{"errcode": 0, "errmsg": "ok"}``.
* DingTalk group bot: ``{"msgtype": "markdown", "markdown": {"title": TITLE, "text": TEXT},
  "at": {"atMobiles": [...], "isAtAll": false}}``; with a 加签 secret the URL gets ``timestamp`` and
  ``sign`` = Base64(HMAC-SHA256(secret, "timestamp\\nsecret")); the same ``errcode`` answer.

A failed attempt (network error, HTTP status ≥ 400, ``errcode`` ≠ 0) is retried ``retries`` times with
exponential back-off (``backoff_seconds`` × 2^k); the outcome of every delivery is returned and, with a data
folder, appended to the alert log; nothing here raises for a failed delivery.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .evaluation import SEVERITY_RANK, Alert
from .rules import Webhook

LOG = logging.getLogger("liveops_nb.alerts.webhook")


@dataclass(frozen=True)
class Delivery:
    """The outcome of sending one alert: ``ok``, how many ``attempts``, the last ``error`` (None when ok)."""

    alert_id: str
    ok: bool
    attempts: int
    error: str | None = None


def payload(fmt: str, title: str, text: str, mention: Iterable[str] = ()) -> dict[str, Any]:
    """The bot's JSON body for one message (``fmt`` wecom or dingtalk)."""
    mention = [str(m) for m in mention]
    if fmt == "dingtalk":
        body = text + ("\n\n" + " ".join(f"@{m}" for m in mention) if mention else "")
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body},
                "at": {"atMobiles": mention, "isAtAll": False}}
    body = text + ("\n" + " ".join(f"<@{m}>" for m in mention) if mention else "")
    return {"msgtype": "markdown", "markdown": {"content": body}}


def signed_url(url: str, secret: str | None, now_ms: int | None = None) -> str:
    """DingTalk's 加签: the URL with ``timestamp`` and ``sign`` (unchanged without a secret)."""
    if not secret:
        return url
    ts = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def post(url: str, body: dict[str, Any], timeout: float) -> str | None:
    """POST one JSON body; None when the bot accepted it, else what went wrong."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the configured bot address
            raw = resp.read()
    except urllib.error.HTTPError as err:
        return f"HTTP {err.code}"
    except (urllib.error.URLError, OSError, ValueError) as err:
        return f"{type(err).__name__}: {getattr(err, 'reason', err)}"
    try:
        answer = json.loads(raw or b"{}")
    except json.JSONDecodeError:
        return None  # a 2xx without JSON: accepted
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    return None if code in (0, "0") else f"errcode {code}: {answer.get('errmsg', '')}"


def deliver(alerts: Iterable[Alert], hook: Webhook, message: Callable[[Alert], tuple[str, str]], *,
            data_dir: str | Path | None = None, sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    """Send the alerts of ``hook.min_severity`` or worse, one message each; never raises for a failure.

    Parameters
    ----------
    alerts : the alerts (e.g. the ones :func:`liveops_nb.alerts.log.log_alerts` just logged).
    hook : the rules file's webhook.
    message : alert -> (title, markdown text), in the team's language.
    data_dir : when given, each delivery's outcome is appended to the alert log.
    sleep : how to wait between attempts (tests pass a recorder).
    """
    out = []
    floor = SEVERITY_RANK[hook.min_severity]
    for a in alerts:
        if SEVERITY_RANK.get(a.severity, 0) < floor:
            continue
        title, text = message(a)
        body = payload(hook.format, title, text, hook.mention)
        error: str | None = "not sent"
        attempts = 0
        for k in range(hook.retries + 1):
            attempts += 1
            url = signed_url(hook.url, hook.secret) if hook.format == "dingtalk" else hook.url
            error = post(url, body, hook.timeout_seconds)
            if error is None:
                break
            LOG.warning("webhook attempt %d for %s failed: %s", attempts, a.id, error)
            if k < hook.retries:
                sleep(hook.backoff_seconds * 2 ** k)
        d = Delivery(a.id, error is None, attempts, error)
        if error is not None:
            LOG.error("webhook gave up on %s after %d attempts: %s", a.id, attempts, error)
        out.append(d)
        if data_dir is not None:
            _record(data_dir, d)
    return out


def _record(data_dir: str | Path, d: Delivery) -> None:
    from .log import _now, append_record

    try:
        append_record(data_dir, {"type": "delivery", "alert_id": d.alert_id, "ok": d.ok, "attempts": d.attempts,
                                 "error": d.error, "at": _now()})
    except Exception as err:  # noqa: BLE001 - a log that cannot be written must not stop the monitor
        LOG.error("could not log the delivery of %s: %s", d.alert_id, err)
