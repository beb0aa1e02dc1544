"""``liveops ab list`` and ``liveops ab show``: the A/B page's per-arm numbers on the command line.

Hand-worked (tests/abtest/helpers.py, EXP-T, viewers, both tiny sessions): GMV per assigned viewer --
A = {u1: 100 + 100, u2: 0, u3: 0}: n 3, mean 200 / 3; B = {u4: 300 + 100, u5: 0, u6: 0}: n 3, mean 400 / 3;
absolute effect 200 / 3, relative effect (400/3) / (200/3) - 1 = 100 %.
"""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest


def test_list(run, tx_dir, tmp_path):
    code, out, _ = run("ab", "list", "--data", tx_dir, "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert df.experiment_id.tolist() == ["EXP-T", "EXP-S", "EXP-T2"]  # by start (EXP-T before EXP-S: stable order)
    assert df.unit.tolist() == ["viewer", "session", "viewer"]
    code, out, _ = run("ab", "list", "--data", tx_dir, "--lang", "en")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["Experiment", "Name", "Unit"]
    code, out, _ = run("ab", "list", "--data", tx_dir)
    assert code == 0 and out.splitlines()[0].split()[:2] == ["实验ID", "名称"]


def test_show_csv_has_the_hand_worked_arms(run, tx_dir):
    code, out, _ = run("ab", "show", "EXP-T", "--data", tx_dir, "--metrics", "gmv", "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert df.variant.tolist() == ["A", "B"] and df.role.tolist() == ["control", "treatment"]
    assert df.n.tolist() == [3, 3]
    assert df.value.tolist() == pytest.approx([200 / 3, 400 / 3])
    assert df.abs_effect.iloc[1] == pytest.approx(200 / 3) and df.rel_effect.iloc[1] == pytest.approx(1.0)
    assert pd.isna(df.abs_effect.iloc[0])  # effects only on the treatment row
    # one treatment: Holm leaves its p as it is
    assert df.p_value_corrected.iloc[1] == pytest.approx(df.p_value.iloc[1])


def test_show_table_and_xlsx(run, tx_dir, tmp_path):
    code, out, _ = run("ab", "show", "EXP-T", "--data", tx_dir, "--metrics", "gmv", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "EXP-T · t" and lines[1].startswith("Split as planned")
    assert "¥66.67" in lines[3] and "(control)" in lines[3]
    assert "¥133" in lines[4] and "+¥66.67" in lines[4] and "+100.0%" in lines[4]
    code, _, _ = run("ab", "show", "EXP-T", "--data", tx_dir, "--metrics", "gmv", "--format", "xlsx",
                     "--out", tmp_path / "ab.xlsx")
    assert code == 0
    rows = list(openpyxl.load_workbook(tmp_path / "ab.xlsx").active.iter_rows(values_only=True))
    head = list(rows[0])
    assert [r[head.index("n")] for r in rows[1:]] == [3, 3]
    assert [r[head.index("value")] for r in rows[1:]] == pytest.approx([200 / 3, 400 / 3])


def test_show_an_arm_too_small_says_why(run, tx_dir):
    code, out, _ = run("ab", "show", "EXP-S", "--data", tx_dir, "--lang", "en")
    assert code == 0
    assert "n=1 units" in out  # one session per arm: no variance, the reason instead of a number


@pytest.mark.parametrize("args,words", [
    (["show", "EXP-X"], ["experiment 'EXP-X' is not in this dataset", "Did you mean", "EXP-T"]),
    (["show", "EXP-T", "--metrics", "gvm"], ["gvm"]),
    (["show", "EXP-T", "--alpha", "2"], ["alpha must be in (0, 1)"]),
])
def test_bad_requests(run, tx_dir, args, words):
    code, out, err = run("ab", *args, "--data", tx_dir)
    assert code == 1 and out == "" and err.startswith("error: ")
    for w in words:
        assert w in err, err
