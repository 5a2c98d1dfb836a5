"""Deterministic, realistic demo data for a provincial technology market (Jilin), in the contract's canonical form.

    for entity, record in generate("province", seed=2026): ...
    counts("small")                      # exact numbers per entity, without generating
    demo_users("small")                  # admin + specialists ("demo" first) with their institution ids
    achievements_only(100_000)           # standalone achievements for benchmarks
"""

from sync.demo.generator import achievements_only, counts, generate
from sync.demo.layout import SCALES
from sync.demo.users import DemoUser, demo_users

__all__ = ["SCALES", "DemoUser", "achievements_only", "counts", "demo_users", "generate"]
