"""Set-up files stay in step: environment.yml vs pyproject, generated docs vs code, no CDN anywhere."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_norm(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert {_norm(r) for r in pip} == wanted
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python=3.11"] and project["requires-python"] == ">=3.11"


def test_generated_reference_docs_are_current():
    from liveops_nb.reference import data_model_markdown, metrics_markdown

    assert (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8") == data_model_markdown(), "run `liveops docs`"
    assert (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8") == metrics_markdown(), "run `liveops docs`"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_nothing_loads_from_a_cdn():
    pattern = re.compile(r"https?://(cdn\.jsdelivr|unpkg\.com|cdnjs|esm\.sh)")
    offenders = [p for folder in ("liveops_nb", "notebooks", "share") for p in (ROOT / folder).rglob("*")
                 if p.is_file() and p.suffix in {".py", ".ipynb", ".j2", ".html", ".json"}
                 and pattern.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert offenders == []


def test_cli_help_and_validate(tiny_dir, capsys):
    from liveops_nb.cli import main

    assert main(["validate", str(tiny_dir)]) == 0
    assert "2 sessions" in capsys.readouterr().out
    assert main(["validate", str(tiny_dir / "missing")]) == 1
    assert "liveops demo" in capsys.readouterr().err


def test_voila_json_preheats_only_the_review_page():
    """Voila's own filter (VoilaKernelManager._notebook_filter) with our denylist: a pool for the review page only.

    Voila sees the notebooks with their folder ("notebooks/01-session-review.ipynb") when it fills the pools,
    so a pattern anchored at the bare file name would silently switch pre-heating off.
    """
    import json
    from types import SimpleNamespace

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    config = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    assert not config["VoilaConfiguration"].get("progressive_rendering", False)  # Voila refuses both
    manager = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    keeps = lambda name: manager._notebook_filter(  # noqa: E731
        SimpleNamespace(preheat_denylist=config["VoilaKernelManager"]["preheat_denylist"]), Path(name))
    assert keeps("01-session-review.ipynb") and keeps("notebooks/01-session-review.ipynb")
    for other in sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")):
        if other != "01-session-review.ipynb":
            assert not keeps(other) and not keeps(f"notebooks/{other}"), other
