"""``liveops alerts``: a session's alerts post-hoc (optionally logged and sent), the alert log, acknowledging.

    liveops alerts --data DIR --session ID [--upto MIN] [--log] [--send] [--format table|csv|xlsx] [--out FILE]
    liveops alerts log --data DIR [--session ID]
    liveops alerts ack ALERT_ID --by NAME [--note TEXT] --data DIR
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from ..alerts import evaluate, load_rules
from ..alerts.log import acknowledge, log_alerts, read_log
from ..alerts.webhook import deliver
from ..render.alerts import alerts_frame, webhook_text
from ..render.i18n import t
from .common import CliArgumentError, HelpFormatter, data_dir, data_options, lang_of, open_data
from .output import emit, output_options


def _names(ds) -> dict[str, str]:
    if not ds.has("products"):
        return {}
    p = ds.frame("products")
    return dict(zip(p["product_id"].astype(str), p["name"].astype(str), strict=True))


def _show(args: argparse.Namespace) -> int:
    if not args.session:
        raise CliArgumentError("give --session ID (see `liveops sessions`), or a subcommand: log, ack")
    lang = lang_of(args)
    folder = data_dir(args)
    ds = open_data(args)
    rules = load_rules(folder)
    upto = None if args.upto is None else int(args.upto)
    found = evaluate(ds, args.session, rules, upto=upto)
    new_ids = log_alerts(folder, found) if (args.log or args.send) else []
    if args.send:
        if rules.webhook is None:
            raise CliArgumentError(f"--send needs a webhook in {rules.source} (see docs/alerts.md)")
        room = ds.session(args.session).get("room_name")
        names = _names(ds)
        fresh = [a for a in found if a.id in set(new_ids)]
        for d in deliver(fresh, rules.webhook, lambda a: webhook_text(a, lang, room, names), data_dir=folder):
            print(f"{'sent' if d.ok else 'NOT sent'}: {d.alert_id} ({d.attempts} attempt(s){', ' + d.error if d.error else ''})",
                  file=sys.stderr)
    if args.fmt == "table":
        log = read_log(folder, args.session) if (args.log or args.send) else None
        frame = alerts_frame(found, lang, _names(ds), log)
        message = emit(frame, "table", args.out, lang, label=lambda c: c)
    else:
        frame = pd.DataFrame([a.to_dict() for a in found],
                             columns=["alert_id", "rule_id", "metric", "session_id", "room_id", "product_id", "start",
                                      "end", "fired_at", "value", "threshold", "severity", "code", "params"])
        frame["params"] = frame["params"].map(lambda p: "" if not p else ";".join(f"{k}={v}" for k, v in p.items()))
        message = emit(frame, args.fmt, args.out, lang, sheet="alerts", label=lambda c: c)
    if message:
        print(message)
    return 0


def _log(args: argparse.Namespace) -> int:
    frame = read_log(data_dir(args), args.session)
    message = emit(frame, args.fmt, args.out, lang_of(args), sheet="alerts_log", label=lambda c: c)
    if message:
        print(message)
    return 0


def _ack(args: argparse.Namespace) -> int:
    rec = acknowledge(data_dir(args), args.alert_id, args.by, note=args.note)
    print(t("alerts_acked", lang_of(args), by=rec["by"], at=rec["at"]) + f": {rec['alert_id']}")
    return 0


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``alerts``, ``alerts log`` and ``alerts ack``."""
    p = sub.add_parser("alerts", help="a session's alerts (rules in alert_rules.yaml); the alert log; acknowledge",
                       parents=[data_options(), lang, output_options()], formatter_class=HelpFormatter,
                       description="Rules: the data folder's alert_rules.yaml, else the package defaults "
                                   "(docs/alerts.md). csv/xlsx hold the exact numbers.")
    p.add_argument("--session", default=None, metavar="ID", help="the session (see `liveops sessions`)")
    p.add_argument("--upto", default=None, type=int, metavar="MIN",
                   help="only data up to this minute of the broadcast (0 = the first minute): what a live monitor knew")
    p.add_argument("--log", action="store_true", help="append new alerts to the data folder's alerts.log")
    p.add_argument("--send", action="store_true", help="log, then send new alerts to the rules file's webhook")
    p.set_defaults(func=_show)
    p_sub = p.add_subparsers(dest="alerts_command", required=False)
    lg = p_sub.add_parser("log", help="the alert log with acknowledgements",
                          parents=[data_options(), lang, output_options()], formatter_class=HelpFormatter)
    lg.add_argument("--session", default=None, metavar="ID", help="only this session's alerts")
    lg.set_defaults(func=_log)
    ack = p_sub.add_parser("ack", help="acknowledge an alert of the log", parents=[data_options(), lang],
                           formatter_class=HelpFormatter)
    ack.add_argument("alert_id", metavar="ALERT_ID", help="the alert's id (see `liveops alerts log`)")
    ack.add_argument("--by", required=True, help="who acknowledges")
    ack.add_argument("--note", default=None, help="what was done")
    ack.set_defaults(func=_ack)
