"""The review notebooks run by papermill on an imported folder (aggregates only: "not available from this source")."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from liveops_nb.imports import import_files

from . import exports

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("papermill")]
C = "dy_aqiang01-20260908-1900"


def _run(notebook: Path, tmp_path: Path, **params) -> tuple[dict, str]:
    import nbformat
    import papermill as pm

    out, figs = tmp_path / f"{notebook.stem}.out.ipynb", tmp_path / f"{notebook.stem}.json"
    pm.execute_notebook(str(notebook), str(out), kernel_name="python3", progress_bar=False, cwd=str(notebook.parent),
                        parameters={"key_figures_path": str(figs), "mode": "static", **params})
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    return json.loads(figs.read_text(encoding="utf-8")), text


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("nb")
    import_files("douyin", [exports.write_list(tmp / "直播间列表.csv"), exports.write_minutes(tmp / "xiaomei88-m.xlsx"),
                            exports.write_workbook(tmp / "整场数据下载.xlsx")], tmp / "shop")
    return tmp / "shop"


def test_session_review_on_imported_exports(imported: Path, tmp_path: Path) -> None:
    figs, html = _run(ROOT / "notebooks" / "01-session-review.ipynb", tmp_path, session_id=C,
                      data_dir=str(imported), lang="en")
    assert figs["kpis"]["gmv"] == 10000  # the list's 直播间成交金额 ¥10,000 (the workbook agrees)
    assert figs["section_errors"] == []
    assert "not available from this source" in html


def test_period_review_on_imported_exports(imported: Path, tmp_path: Path) -> None:
    notebook = ROOT / "notebooks" / "04-period-review.ipynb"
    if not notebook.exists():
        pytest.skip("the period review notebook is not in this checkout")
    figs, html = _run(notebook, tmp_path, granularity="week", period="2026-W37", data_dir=str(imported), lang="en")
    # week 37 of 2026 is 7–13 September: A, B (小美直播间, ¥286,552) and C (阿强, ¥10,000)
    assert "dy_xiaomei88" in json.dumps(figs, ensure_ascii=False) and "小美直播间" in html
