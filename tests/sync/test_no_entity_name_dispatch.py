"""Rules about particular entities live on Entity (sync/entities.py), not in `entity.name == "attachment"` tests.

The walk fails on any comparison (==, !=, in, not in) against a string literal that names an entity, anywhere in
the three packages but the contract's own module: such a test hides a fact a tenth entity would have to grep for.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sync.entities import ENTITIES

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("specialist_app", "sync", "market_server")
ALLOWED = {Path("sync/entities.py")}  # where the facts are stated
NAMES = frozenset(ENTITIES)


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [v for e in node.elts for v in _literals(e)]
    return []


def name_tests(source: str) -> list[tuple[int, str]]:
    """(line, entity name) of every comparison of something against an entity's name written out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found.extend((node.lineno, v) for v in _literals(side) if v in NAMES)
    return found


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")
                  if p.relative_to(ROOT) not in ALLOWED)


def test_the_walk_sees_a_name_test() -> None:
    assert name_tests('if entity.name == "attachment": pass') == [(1, "attachment")]
    assert name_tests('x = e in ("achievement", "demand")') == [(1, "achievement"), (1, "demand")]
    assert name_tests('if kind == "phone": pass') == []


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_dispatches_on_an_entitys_name(path: Path) -> None:
    found = name_tests(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: put these facts on Entity (sync/entities.py): {found}"
