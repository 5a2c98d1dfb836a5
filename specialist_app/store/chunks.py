"""Id lists cut into pieces that fit SQLite's bound-variable limit in an `IN (...)` list, and their placeholders."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

CHUNK = 500  # ids per IN (...) list, below SQLite's variable limit


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def marks(n: int) -> str:
    """`n` bound-parameter placeholders: "?,?,?"."""
    return ",".join("?" * n)
