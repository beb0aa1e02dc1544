"""No registry formula is written outside the engine: a walk over the package's source.

A registry ratio rebuilt by hand (``gmv / views * 1000``, ``gmv / spend``, ``buyers / uv``, a refund
amount back-solved as ``refund_rate * gmv``) is how two pages end up disagreeing. This test parses
every module outside ``liveops_nb/engine``, ``metrics.py`` and ``derive.py`` and fails on

* a division whose two operands both name a base quantity or a count column that feeds one
  (``gmv``, ``views``, ``uv``, ``buyers``, ``spend``, ``impression_uv`` …), or
* a product of a registered ratio metric with one of those quantities.

Non-metric numbers (shares, gaps, attainment, step conversions) go through ``liveops_nb/measures.py``,
which the walk skips too; statistics code in ``abtest`` works on sufficient statistics, not on these
names. The test also checks that the walk finds such formulas when they are there.
"""
from __future__ import annotations

import ast
from pathlib import Path

import liveops_nb
from liveops_nb.metrics import BASES, REGISTRY

PACKAGE = Path(liveops_nb.__file__).parent
SKIP = {"engine", "metrics.py", "derive.py", "measures.py", "demo", "reference.py"}
QUANTITIES = set(BASES) | {"spend", "impression_uv", "click_uv", "entries", "online"}
RATIOS = {k for k, m in REGISTRY.items() if m.is_ratio}


def _names(node: ast.AST) -> set[str]:
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.add(n.value)
    return out


def formulas_in(source: str) -> list[tuple[int, str]]:
    """(line, text) of every hand-written registry formula in ``source``."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.BinOp):
            continue
        left, right = _names(node.left), _names(node.right)
        if isinstance(node.op, ast.Div) and left & QUANTITIES and right & QUANTITIES:
            hits.append((node.lineno, ast.unparse(node)))
        elif isinstance(node.op, ast.Mult) and ((left & RATIOS and right & QUANTITIES)
                                                  or (right & RATIOS and left & QUANTITIES)):
            hits.append((node.lineno, ast.unparse(node)))
    return hits


def test_the_walk_finds_hand_written_formulas() -> None:
    assert formulas_in('g["gpm"] = g["gmv"] / g["views"] * 1000')
    assert formulas_in("roi = gmv / spend")
    assert formulas_in('k.assign(refund_amount=k["refund_rate"] * k["gmv"])')
    assert not formulas_in('share = part / part.sum()')
    assert not formulas_in('label = f"{a}/{b}"')


def test_no_registry_formula_outside_the_engine() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in SKIP:
            continue
        for line, text in formulas_in(path.read_text(encoding="utf-8")):
            found.append(f"{rel}:{line}: {text}")
    assert not found, "registry formulas outside the engine (use ds.kpis):\n" + "\n".join(found)
