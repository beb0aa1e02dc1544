"""`make lab`: JupyterLab on a scratch copy of the notebooks (outside git), with --allow-root for root."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_lab_opens_a_scratch_copy(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "planted.json").write_text("{}", encoding="utf-8")  # the demo prerequisite is satisfied
    lab = tmp_path / "lab"
    plan = subprocess.run(["make", "-n", "lab", f"LAB={lab}", f"DATA={data}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True).stdout
    copy = next(line for line in plan.splitlines() if line.startswith("mkdir -p"))
    start = plan[plan.index("jupyter lab"):]
    assert f"--notebook-dir='{lab}'" in start and " notebooks/" not in start
    assert ("--allow-root" in start) == (os.geteuid() == 0)
    assert f"LIVEOPS_DATA={data}" in plan

    subprocess.run(["bash", "-c", copy], cwd=ROOT, check=True, timeout=30)  # the copy step itself
    templates = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in lab.glob("*.ipynb")) == templates and "10-analyst-starter.ipynb" in templates
    (lab / templates[0]).write_text("my work", encoding="utf-8")
    subprocess.run(["bash", "-c", copy], cwd=ROOT, check=True, timeout=30)  # a rerun keeps the analyst's copy
    assert (lab / templates[0]).read_text(encoding="utf-8") == "my work"
