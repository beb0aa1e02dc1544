"""What every command shares: one way to name the data folder, defaults in help, errors without tracebacks."""
from __future__ import annotations

import subprocess
import sys

import pytest

from liveops_nb.cli import build_parser, main


def test_data_comes_from_the_option_then_the_environment(run, tiny_dir, tx_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("LIVEOPS_DATA", str(tx_dir))
    code, out, _ = run("ab", "list", "--format", "csv")  # no --data: $LIVEOPS_DATA (the one with experiments)
    assert code == 0 and "EXP-T" in out
    code, out, _ = run("ab", "list", "--format", "csv", "--data", tiny_dir)  # --data wins
    assert code == 0 and out.strip() == "experiment_id,name,unit,variable,start,end"
    monkeypatch.delenv("LIVEOPS_DATA")
    monkeypatch.chdir(tmp_path)  # no data/demo here
    code, _, err = run("sessions")
    assert code == 1 and f"data folder '{tmp_path / 'data' / 'demo'}' does not exist" in err


def test_the_old_positional_folder_still_works(run, tiny_dir):
    assert run("validate", tiny_dir)[0] == 0
    assert run("validate", "--data", tiny_dir)[0] == 0
    code, out, _ = run("sessions", tiny_dir, "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("S1,R1,")
    code, _, err = run("sessions", tiny_dir, "--data", tiny_dir / "other")
    assert code == 1 and "two data folders given" in err


@pytest.mark.parametrize("command", [["validate"], ["sessions"], ["kpis"], ["ab", "list"], ["ab", "show"],
                                     ["export"], ["batch"]])
def test_help_shows_the_data_option_and_defaults(command, capsys, monkeypatch):
    monkeypatch.setenv("LIVEOPS_DATA", "/srv/liveops/data")
    with pytest.raises(SystemExit) as stop:
        main([*command, "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--data FOLDER" in text and "$LIVEOPS_DATA" in text and "(default: /srv/liveops/data)" in text
    if command != ["validate"]:  # validate prints the data model's problems, which are in English
        assert "--lang {zh,en}" in text and "(default: zh)" in text
    if command[0] in ("sessions", "kpis", "ab"):
        assert "--format {table,csv,xlsx}" in text and "(default: table)" in text


def test_batch_keeps_its_options(monkeypatch, tiny_dir):
    import liveops_nb.batch as batch

    seen = {}

    class Summary:
        failed = ()

        def text(self):
            return "done"

    def fake(data, sessions, out, **kw):
        seen.update(data=data, sessions=sessions, out=out, **kw)
        return Summary()

    monkeypatch.setattr(batch, "run_batch", fake)
    assert main(["batch", "--data", str(tiny_dir), "--sessions", "S1", "--out", "r", "--lang", "en",
                 "--workers", "1", "--force"]) == 0
    assert seen == {"data": tiny_dir.resolve(), "sessions": "S1", "out": "r", "workers": 1, "force": True,
                    "lang": "en", "notebook": None}
    args = build_parser().parse_args(["batch"])
    assert (args.sessions, args.out, args.workers, args.force, args.lang) == ("all", "reports", 2, False, "zh")


def test_a_real_process_prints_one_line_and_exits_1(tiny_dir, tmp_path):
    run = subprocess.run([sys.executable, "-m", "liveops_nb.cli", "kpis", "--data", str(tiny_dir), "--keys", "gvm"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith("error: 'gvm' is not a registered metric. Did you mean") and "Traceback" not in run.stderr


def test_docs_writes_the_reference(run, tmp_path):
    code, out, _ = run("docs", "--out", tmp_path / "docs")
    assert code == 0
    assert (tmp_path / "docs" / "metrics.md").read_text(encoding="utf-8").startswith("# Metrics")
