"""The analyst starter notebook: thin, clean, and executed by papermill with its answers hand-checked.

Hand-worked on devtools/tiny.py + the experiments of tests/abtest/helpers.py (room R1, S1 on Monday
2026-09-07 and S2 on 2026-09-08, one week):
- the latest week is that of Monday 2026-09-07; R1's GPM = (500 + 100) / (4 + 1) views × 1000 = 120,000;
- R1's traffic mix that week (viewers by entry channel): organic = u1 (直播推荐 in S1, 关注 in S2, one person),
  2 views, GMV o1 100 + o4 100 = 200; paid (千川) = u2, u4, views 2 + 1 = 3, GMV o2 300 + o3 100 = 400;
  viewer shares 1/3 and 2/3;
- R1's last session of the week is S2; its KPI table: GMV 100, 1 viewer, 1 view, GPM 100,000; its minute curve
  covers 20:00 .. 20:03 (4 minutes), GMV ¥100 in minute 20:00 (o4 at 20:00:50);
- EXP-T per arm on GMV per assigned viewer: A = {u1: 200, u2: 0, u3: 0} -> n 3, mean 200/3;
  B = {u4: 400, u5: 0, u6: 0} -> n 3, mean 400/3.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.abtest.helpers import tiny_experiment

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "10-analyst-starter.ipynb"


def test_notebook_is_thin_and_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    for line in code[0].source.splitlines()[1:]:  # literals only
        name, _, value = line.partition(" = ")
        assert name.isidentifier(), line
        __import__("ast").literal_eval(value.split("  #")[0])
    for c in code:
        assert not c.get("outputs") and c.get("execution_count") is None
        assert "def " not in c.source and "class " not in c.source and "lambda" not in c.source
    for i, c in enumerate(nb.cells[1:], start=1):  # every call is under a heading
        if c.cell_type == "code":
            assert any(p.cell_type == "markdown" and p.source.startswith("#") for p in nb.cells[:i])


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_starter_answers_on_the_tiny_dataset(tmp_path):
    import papermill as pm

    data = tiny_experiment(tmp_path / "data")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    answers = tmp_path / "answers.json"
    nb.cells.append(nbformat.v4.new_code_cell(  # the test reads the notebook's own variables
        "import json\n"
        f"json.dump({{'week': str(last_week), 'rooms': rooms.to_dict('records'), 'best_room': best_room,\n"
        f"           'mix': mix.to_dict('records'), 'session': session, 'kpis': kpis[['key', 'value']].to_dict('records'),\n"
        f"           'curve': curve.assign(minute=curve.minute.astype(str)).to_dict('records'),\n"
        f"           'arms': arms[['variant', 'role', 'n', 'value']].to_dict('records')}},\n"
        f"          open({str(answers)!r}, 'w'), default=str)"))
    source = tmp_path / "starter.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(source), str(out), kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent),
                        parameters={"data_dir": str(data), "experiment_id": "EXP-T", "arm_metrics": ["gmv"],
                                    "lang": "en"})
    got = json.loads(answers.read_text(encoding="utf-8"))

    assert got["week"] == "2026-09-07 00:00:00"
    assert [(r["rank"], r["room_id"], r["gpm"], r["gmv"], r["views"]) for r in got["rooms"]] == \
        [(1, "R1", 120000.0, 600.0, 5.0)]
    assert got["best_room"] == "R1"
    mix = {r["channel_group"]: r for r in got["mix"]}
    assert set(mix) == {"organic", "paid"}
    assert (mix["organic"]["uv"], mix["organic"]["views"], mix["organic"]["gmv"]) == (1.0, 2.0, 200.0)
    assert (mix["paid"]["uv"], mix["paid"]["views"], mix["paid"]["gmv"]) == (2.0, 3.0, 400.0)
    assert mix["paid"]["uv_share"] == pytest.approx(2 / 3) and mix["organic"]["uv_share"] == pytest.approx(1 / 3)

    assert got["session"] == "S2"
    kpis = {r["key"]: r["value"] for r in got["kpis"]}
    assert (kpis["gmv"], kpis["uv"], kpis["views"], kpis["gpm"]) == (100.0, 1.0, 1.0, 100000.0)
    assert [r["minute"][11:16] for r in got["curve"]] == ["20:00", "20:01", "20:02", "20:03"]
    assert [r["gmv"] for r in got["curve"]] == [100.0, 0.0, 0.0, 0.0]

    assert [(r["variant"], r["role"], r["n"]) for r in got["arms"]] == [("A", "control", 3), ("B", "treatment", 3)]
    assert [r["value"] for r in got["arms"]] == pytest.approx([200 / 3, 400 / 3])
    executed = nbformat.read(out, as_version=4)
    assert not [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
