"""Test data of the batch tests: three sessions whose ids differ only by a space, ``_`` and ``/``; a stub notebook."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from devtools import tiny

IDS = ("S 1", "S_1", "S/1")  # one readable slug, three sessions


def three_sessions(folder: Path) -> Path:
    """The tiny aggregate-only dataset (platform totals) with sessions S1, S2 and a copy of S2 a day later,
    renamed ``S 1``, ``S_1`` and ``S/1``."""
    t = tiny.tables()
    sessions = t["sessions"].merge(tiny.SESSION_TOTALS, on="session_id")
    third = sessions[sessions.session_id == "S2"].assign(
        session_id="S3", start_time=lambda d: d.start_time + pd.Timedelta(days=1),
        end_time=lambda d: d.end_time + pd.Timedelta(days=1))
    channels = t["channels"]
    channels = pd.concat([channels, channels[channels.session_id == "S2"].assign(session_id="S3")], ignore_index=True)
    rename = dict(zip(("S1", "S2", "S3"), IDS, strict=True))
    sessions = pd.concat([sessions, third], ignore_index=True).replace({"session_id": rename})
    channels = channels.replace({"session_id": rename})
    return tiny.write(folder, aggregate_only=True, overrides={"sessions": sessions, "channels": channels})


STUB_CELL = """\
import json, os, time
from pathlib import Path
log = os.environ.get("STUB_LOG")
if log:
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(["start", session_id]) + "\\n")
if session_id in os.environ.get("STUB_SLOW", "").split("|"):
    time.sleep(float(os.environ.get("STUB_SLEEP", "120")))
Path(key_figures_path).write_text(json.dumps({"session_id": session_id, "section_errors": []}), encoding="utf-8")
print("report of", session_id)
"""


def stub_notebook(folder: Path) -> Path:
    """A notebook with the review's parameters that writes only the key figures: fast, and slow on request
    (``STUB_SLOW``: ids separated by ``|`` that sleep ``STUB_SLEEP`` seconds; ``STUB_LOG``: a file that records
    every session started)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('session_id = ""\ndata_dir = ""\nlang = "zh"\nmode = "static"\n'
                                       'validate = True\nkey_figures_path = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(STUB_CELL)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "stub.ipynb"
    nbformat.write(nb, path)
    return path


def started(log: Path) -> list[str]:
    """Session ids in the order their notebook started (from ``STUB_LOG``)."""
    if not log.exists():
        return []
    return [json.loads(line)[1] for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
