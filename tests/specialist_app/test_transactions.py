"""Only the operations layer ends transactions: no commit(), begin() or raw BEGIN/COMMIT elsewhere in the client."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import specialist_app

PACKAGE = Path(specialist_app.__file__).parent

# Where transactions may be opened and ended, and why.
OPERATIONS = "services/"  # every change a user or a sync makes: a named operation owning its unit of work
STORE_PLUMBING = {
    "store/db.py": "opening a store: pragmas, migrations, the BEGIN each unit of work's connection emits",
    "store/catalog_snapshot.py": "a snapshot installed or exported on a connection of its own, one transaction",
}
_RAW = re.compile(  # a whole string that is a transaction statement
    r"^\s*(BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?|(COMMIT|END|ROLLBACK)(\s+TRANSACTION)?"
    r"|SAVEPOINT\s+\w+|RELEASE(\s+SAVEPOINT)?\s+\w+)\s*;?\s*$",
    re.IGNORECASE,
)


def transaction_ends(source: str) -> list[tuple[int, str]]:
    """(line, what) for each commit()/begin() call and each string statement that begins or ends a transaction."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("commit", "begin"):
                found.append((node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _RAW.match(node.value):
            found.append((node.lineno, repr(node.value)))
    return found


def _allowed(relative: str) -> bool:
    return relative.startswith(OPERATIONS) or relative in STORE_PLUMBING


def test_no_transaction_ends_outside_the_operations_layer() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if _allowed(relative):
            continue
        offenders += [f"{relative}:{line} {what}" for line, what in transaction_ends(path.read_text("utf-8"))]
    assert offenders == [], "move these into a named operation in specialist_app/services/"


def test_every_allowed_store_module_still_exists() -> None:
    assert all((PACKAGE / name).is_file() for name in STORE_PLUMBING)


@pytest.mark.parametrize(
    ("source", "count"),
    [
        ("with UnitOfWork(store) as uow:\n    uow.commit()\n", 1),
        ("conn.exec_driver_sql('COMMIT')\n", 1),
        ("with engine.begin() as conn:\n    pass\n", 1),
        ("conn.execute('  begin immediate')\n", 1),
        ("committed = True\nlabel = 'Begin here'\n", 0),
    ],
)
def test_the_walk_finds_what_it_should(source: str, count: int) -> None:
    assert len(transaction_ends(source)) == count
