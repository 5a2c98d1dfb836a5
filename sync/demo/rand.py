"""Seeded randomness for the demo data: per-purpose RNGs, a seed-free index hash, and UUIDv7-shaped ids."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

T = TypeVar("T")

# Fixed base of the ids' time field so output never depends on the clock: 2026-01-01T00:00:00Z.
ID_BASE_MS = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp() * 1000)
_MASK64 = (1 << 64) - 1


class DemoRandom(random.Random):
    """random.Random with cheaper choice/randint/sample/choices (plain `random()` draws; same output per seed)."""

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def sample(self, population: Sequence[T], k: int, *, counts: Iterable[int] | None = None) -> list[T]:
        n = len(population)
        if counts is not None or not 0 <= k <= n:
            return super().sample(population, k, counts=counts)
        if k == 2:  # the common case, without copying the population
            i = int(self.random() * n)
            j = int(self.random() * (n - 1))
            return [population[i], population[j + 1 if j >= i else j]]
        pool = list(population)
        for i in range(k):
            j = i + int(self.random() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def weighted(self, population: Sequence[T], weights: Sequence[int]) -> T:
        """One element, chosen in proportion to `weights`."""
        point = self.random() * sum(weights)
        for item, weight in zip(population, weights, strict=True):
            if point < weight:
                return item
            point -= weight
        return population[-1]


def rng_for(seed: int, purpose: str) -> DemoRandom:
    """An independent generator for one purpose (one entity's content), the same for the same seed."""
    return DemoRandom(f"sync.demo/{seed}/{purpose}")


def index_hash(salt: int, index: int) -> int:
    """A well-mixed 64-bit number from (salt, index) (splitmix64); used for the seed-free record layout."""
    z = (salt * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def index_pick(salt: int, index: int, weights: tuple[int, ...]) -> int:
    """A position in `weights` chosen by the index hash, in proportion to the weights."""
    point = index_hash(salt, index) % sum(weights)
    for position, weight in enumerate(weights):
        if point < weight:
            return position
        point -= weight
    raise AssertionError("unreachable")


class IdMaker:
    """UUIDv7-shaped ids from a seeded generator: rising time field from a fixed base, random tail.

    With `spread_days`, each id's time is instead a random moment in the `spread_days` before `spread_end_ms`,
    so records "created" over a period (the dashboard counts collected records by the time in their ids) look it.
    """

    def __init__(
        self, seed: int, namespace: str, offset_ms: int = 0, *, spread_days: int = 0, spread_end_ms: int = 0
    ) -> None:
        self._rng = rng_for(seed, "ids/" + namespace)
        self._ms = ID_BASE_MS + offset_ms
        self._spread_ms = spread_days * 86_400_000
        self._spread_end_ms = spread_end_ms

    def next(self) -> str:
        if self._spread_ms:
            ms = self._spread_end_ms - int(self._rng.random() * self._spread_ms)
        else:
            self._ms += 1 + self._rng.getrandbits(6)
            ms = self._ms
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= self._rng.getrandbits(12) << 64
        value |= 0b10 << 62
        value |= self._rng.getrandbits(62)
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def take(self, n: int) -> list[str]:
        return [self.next() for _ in range(n)]
