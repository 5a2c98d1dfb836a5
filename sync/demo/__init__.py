"""Deterministic, realistic demo data for a provincial technology market (Jilin), in the contract's canonical form.

    for entity, record in generate("province", seed=2026): ...
    counts("small")                      # exact numbers per entity, without generating
    demo_users("small")                  # admin + specialists ("demo" first) with their institution ids
    achievements_only(100_000)           # standalone achievements for benchmarks

The names load on first use: `sync.regions` reads this package's place lists at the app's start, which needs no
generator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.demo.generator import achievements_only, counts, generate
    from sync.demo.layout import SCALES
    from sync.demo.users import DemoUser, demo_users

__all__ = ["SCALES", "DemoUser", "achievements_only", "counts", "demo_users", "generate"]
_HOME = {"achievements_only": "generator", "counts": "generator", "generate": "generator", "SCALES": "layout",
         "DemoUser": "users", "demo_users": "users"}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
