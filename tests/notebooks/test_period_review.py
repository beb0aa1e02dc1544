"""The period review notebook executed by papermill for each granularity, and ``liveops batch --period`` (tiny)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "04-period-review.ipynb"
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("papermill")]


def test_notebook_is_thin_and_clean():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and nb.cells[0] is params[0]
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.get("outputs") and "def " not in c.source and "class " not in c.source
            if c is not params[0]:
                assert len([ln for ln in c.source.splitlines() if ln.strip() and not ln.startswith("#")]) <= 2


# GMV of each period on devtools/tiny.py: S1 (Mon 2026-09-07) ¥500, S2 (Tue 09-08) ¥100
@pytest.mark.parametrize("granularity, period, gmv, lang", [
    ("day", "2026-09-07", 500, "zh"), ("week", "", 600, "en"), ("month", "2026-09", 600, "zh")])
def test_each_granularity_runs(tmp_path, tiny_dir, granularity, period, gmv, lang):
    import nbformat
    import papermill as pm

    figs = tmp_path / "figures.json"
    pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3", progress_bar=False,
                        cwd=str(NOTEBOOK.parent),
                        parameters={"granularity": granularity, "period": period, "data_dir": str(tiny_dir), "lang": lang,
                                    "mode": "static", "export_dir": str(tmp_path / "export"), "key_figures_path": str(figs)})
    f = json.loads(figs.read_text(encoding="utf-8"))
    assert f["granularity"] == granularity and f["section_errors"] == []
    assert f["results"]["gmv_value"] == gmv
    label = f["period"]
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == [f"period-{label}.html", f"period-{label}.xlsx"]
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    html = "\n".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("image/svg+xml", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "<svg" in html and "lo-period-header" in html


def test_liveops_batch_period(tmp_path, tiny_dir, capsys):
    from liveops_nb.cli import main

    code = main(["batch", "--data", str(tiny_dir), "--period", "2026-W37", "--rooms", "R1", "--out", str(tmp_path), "--lang", "en"])
    assert code == 0
    folder = tmp_path / "period-2026-W37-R1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "key_figures.json", "period-2026-W37-R1.html", "period-2026-W37-R1.xlsx", "period.html", "period.ipynb"]
    figures = json.loads((folder / "key_figures.json").read_text(encoding="utf-8"))
    assert figures["rooms"] == ["R1"] and figures["results"]["gmv_value"] == 600
    assert "period review 2026-W37" in capsys.readouterr().out
    assert main(["batch", "--data", str(tiny_dir), "--period", "2026-W40", "--out", str(tmp_path)]) != 0  # no session
