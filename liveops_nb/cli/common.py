"""What every ``liveops`` command shares: the data folder, the language, list and filter options."""
from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import resolve_data_dir
from ..errors import LiveOpsError
from ..render.i18n import LANGS, Lang

if TYPE_CHECKING:
    from ..dataset import Dataset

DEMO_DIR = "data/demo"


class CliArgumentError(LiveOpsError, ValueError):
    """A command-line value that cannot be used (a date, a filter, a file name)."""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help text that shows every option's default (when it has one) and keeps the description's line breaks."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if (action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text
                and action.option_strings):
            text += " (default: %(default)s)"
        return text


def default_data() -> str:
    """The data folder when ``--data`` is not given: ``$LIVEOPS_DATA``, else the demo (``data/demo``)."""
    return os.environ.get("LIVEOPS_DATA", "") or DEMO_DIR


def data_options() -> argparse.ArgumentParser:
    """``--data``: the one way every command names the data folder."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--data", default=default_data(), metavar="FOLDER",
                   help="data folder; when not given: $LIVEOPS_DATA if set, else the demo data/demo")
    return p


def lang_options() -> argparse.ArgumentParser:
    """``--lang``: the language of headers and words in what a command prints."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of headers, labels and formatted values")
    return p


def legacy_data_positional(parser: argparse.ArgumentParser) -> None:
    """Accept the old ``liveops CMD FOLDER`` form (hidden from help): the same as ``--data FOLDER``."""
    parser.add_argument("legacy_data", nargs="?", default=None, help=argparse.SUPPRESS)


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder the command was given (``--data``, or the old positional form)."""
    legacy = getattr(args, "legacy_data", None)
    if legacy is not None and args.data not in (legacy, default_data()):
        raise CliArgumentError(f"two data folders given ({legacy} and --data {args.data}); give only --data")
    return resolve_data_dir(legacy or args.data)


def open_data(args: argparse.Namespace) -> Dataset:
    """Open (and validate) the command's dataset."""
    from ..dataset import open as open_dataset

    return open_dataset(data_dir(args))


def lang_of(args: argparse.Namespace) -> Lang:
    return getattr(args, "lang", "zh")


def split_list(text: str | None) -> list[str]:
    """``"a,b, c"`` (also with the Chinese comma) as ``["a", "b", "c"]``; empty or None: ``[]``."""
    if not text:
        return []
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def parse_date(text: str | None, option: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date (None when not given)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CliArgumentError(f"{option} must be a date like 2026-09-07, not {text!r}") from None


def parse_where(items: list[str] | None) -> dict[str, list[str]]:
    """``["room_id=R1,R2", "host=小美"]`` as ``{"room_id": ["R1", "R2"], "host": ["小美"]}``."""
    out: dict[str, list[str]] = {}
    for item in items or []:
        name, sep, values = item.partition("=")
        if not sep or not name.strip() or not split_list(values):
            raise CliArgumentError(f"--where takes DIMENSION=VALUE[,VALUE], e.g. room_id=R01, not {item!r}")
        out.setdefault(name.strip(), []).extend(split_list(values))
    return out


def where_values(where: dict[str, list[str]]) -> dict[str, list[object]]:
    """Filter values typed for the engine: numbers for ``weekday``/``hour``, dates for ``day``/``week``/``month``."""
    out: dict[str, list[object]] = {}
    for name, values in where.items():
        if name in ("weekday", "hour"):
            try:
                out[name] = [int(v) for v in values]
            except ValueError:
                raise CliArgumentError(f"--where {name}= takes whole numbers, not {','.join(values)}") from None
        elif name in ("day", "week", "month"):
            out[name] = [parse_date(v, f"--where {name}=") for v in values]
        else:
            out[name] = list(values)
    return out
