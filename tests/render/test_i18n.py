"""The bilingual text table: every registered key is used somewhere, unknown keys fail, both languages given."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import liveops_nb
from liveops_nb.errors import UnknownOptionError, UnknownTextError
from liveops_nb.render import i18n

PACKAGE = Path(liveops_nb.__file__).parent


def _load_everything() -> None:
    """Import every module so each registers its strings."""
    for mod in pkgutil.walk_packages([str(PACKAGE)], prefix="liveops_nb."):
        if not mod.name.endswith(".__main__"):  # running a program (python -m liveops_nb.cli) is not registering text
            importlib.import_module(mod.name)


def _literals() -> tuple[set[str], set[str]]:
    """String constants of the package's code (outside register() tables), and f-string prefixes."""
    consts: set[str] = set()
    prefixes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = {id(n) for call in ast.walk(tree) if isinstance(call, ast.Call)
                  and getattr(call.func, "id", getattr(call.func, "attr", "")) in ("register", "_register_text")
                  for arg in call.args if isinstance(arg, ast.Dict) for n in arg.keys}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in tables:
                consts.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
    return consts, prefixes


def test_every_registered_key_is_used() -> None:
    _load_everything()
    consts, prefixes = _literals()
    unused = [k for k in i18n.STRINGS
              if k not in consts and not any(p and k.startswith(p) for p in prefixes)
              and not any(c and k.endswith(c) and k[:-len(c)] in prefixes for c in consts)]
    assert not unused, f"registered but never used (dead text keys): {unused}"


def test_both_languages_are_given() -> None:
    _load_everything()
    empty = [k for k, (zh, en) in i18n.STRINGS.items() if not zh.strip() or not en.strip()]
    assert not empty


def test_unknown_key_fails_under_strict_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEOPS_STRICT_TEXT", "1")
    with pytest.raises(UnknownTextError, match="no_such_key"):
        i18n.t("no_such_key", "en")
    monkeypatch.setenv("LIVEOPS_STRICT_TEXT", "0")
    assert i18n.t("no_such_key", "en") == "no_such_key"  # a page shows the key rather than failing


def test_language_is_checked() -> None:
    assert i18n.check_lang("en") == "en"
    with pytest.raises(UnknownOptionError):
        i18n.check_lang("fr")


def test_the_url_names_a_language_or_the_page_keeps_its_own() -> None:
    assert [i18n.lang_of(v, "zh") for v in ("en", "EN", "en-US", "zh_CN", "zh")] == ["en", "en", "en", "zh", "zh"]
    assert [i18n.lang_of(v, "en") for v in (None, "", "fr", "english")] == ["en", "en", "en", "en"]


def test_the_batch_status_line_in_the_index_language() -> None:
    from liveops_nb.render.batch_text import counts_line

    counts = {"ok": 3, "skipped": 1, "failed": 0, "interrupted": 0, "not_run": 0, "pending": 0}
    assert counts_line(counts, lang="zh") == "完成 3 场，跳过 1 场（此前已完成），失败 0 场"
    assert counts_line(counts, lang="en") == "3 done, 1 skipped (already done), 0 failed"
    stopped = {**counts, "interrupted": 1, "not_run": 2, "pending": 4}
    assert counts_line(stopped, lang="zh") == ("完成 3 场，跳过 1 场（此前已完成），失败 0 场，中断 1 场，未运行 2 场，"
                                               "待运行 4 场")
    assert counts_line(counts, stopped=True, lang="en") == "3 done, 1 skipped (already done), 0 failed, 0 interrupted, 0 not run"
