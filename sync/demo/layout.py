"""The seed-free shape of a demo data set: how many records of each kind and how they hang together.

Everything here depends on the scale only (never on the seed), so `counts(scale)` is exact without generating.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.demo.matches import MATCH_EVERY
from sync.demo.rand import index_hash, index_pick
from sync.demo.vocab_people import GIVEN_NAMES, SURNAMES

SCALES = ("small", "province", "national")

_CONTACTS, _VISITS, _PLANNED, _CANCELLED, _FOLLOW_UPS = 11, 12, 13, 14, 15
_OWNER_KIND, _OWNER_A, _OWNER_B, _CATEGORY, _IP, _DEMAND_OWNER = 21, 22, 23, 24, 25, 26
CATEGORIES = ("applied", "basic", "soft")


@dataclass(frozen=True)
class ScaleSize:
    research: int  # universities and institutes
    enterprises: int
    achievements: int
    experts: int
    demands: int


SIZES: dict[str, ScaleSize] = {
    "small": ScaleSize(research=6, enterprises=14, achievements=200, experts=50, demands=30),
    "province": ScaleSize(research=60, enterprises=370, achievements=23_300, experts=4_900, demands=210),
    # Issue #17's national catalog: 1,000,000 achievements, 50,000 experts, 20,000 institutions (research and
    # enterprises in the province's proportion, 14 % research); demands per enterprise as in the province (0.57).
    "national": ScaleSize(research=2_800, enterprises=17_200, achievements=1_000_000, experts=50_000, demands=9_800),
}
# An achievement's registration number ends in a 6-digit serial taken from its index, so it is unique up to this.
MAX_ACHIEVEMENTS = 1_000_000

# The first specialists by name; the rest are made from common names. "demo" is the one `make demo` uses.
_FIRST_SPECIALISTS = (
    ("demo", "王明"), ("zhangwei", "张伟"), ("liuyang", "刘洋"), ("wangfang", "王芳"), ("lina", "李娜"),
    ("chenjing", "陈静"), ("yangming", "杨明"), ("zhaolei", "赵磊"),
)


class Layout:
    """Counts and links of one scale."""

    def __init__(self, scale: str) -> None:
        if scale not in SIZES:
            raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
        self.scale = scale
        self.size = SIZES[scale]
        if self.size.achievements > MAX_ACHIEVEMENTS:
            raise ValueError(f"at most {MAX_ACHIEVEMENTS:,} achievements (their registration numbers)")
        self.institutions = self.size.research + self.size.enterprises
        self.specialists = max(3, self.institutions // 10)

    def is_research(self, inst: int) -> bool:
        return inst < self.size.research

    def contacts_of(self, inst: int) -> int:
        base, spread = (3, 4) if self.is_research(inst) else (1, 3)
        return base + index_hash(_CONTACTS, inst) % spread

    def past_visits_of(self, inst: int) -> int:
        base, spread = (4, 7) if self.is_research(inst) else (1, 4)
        return base + index_hash(_VISITS, inst) % spread

    def has_planned_visit(self, inst: int) -> bool:
        return index_hash(_PLANNED, inst) % 100 < 20

    def visit_cancelled(self, visit: int) -> bool:
        return index_hash(_CANCELLED, visit) % 100 < 8

    def follow_ups_of(self, visit: int) -> int:
        return index_pick(_FOLLOW_UPS, visit, (25, 35, 25, 15))

    def achievement_owner(self, a: int) -> int:
        """Institution index owning achievement `a`: mostly research, skewed towards the first (largest) ones."""
        if index_hash(_OWNER_KIND, a) % 100 < 80:
            n = self.size.research
            return min(index_hash(_OWNER_A, a) % n, index_hash(_OWNER_B, a) % n)
        return self.size.research + index_hash(_OWNER_A, a) % self.size.enterprises

    def achievement_category(self, a: int) -> str:
        return CATEGORIES[index_pick(_CATEGORY, a, (85, 10, 5))]

    def ip_items_of(self, a: int) -> int:
        if self.achievement_category(a) == "soft":
            return 0
        return index_pick(_IP, a, (40, 32, 17, 11))

    def demand_owner(self, k: int) -> int:
        return self.size.research + index_hash(_DEMAND_OWNER, k) % self.size.enterprises

    def specialist_of(self, inst: int) -> int:
        return inst % self.specialists

    def visit_slots(self) -> list[tuple[int, int, bool]]:
        """(visit index, institution index, planned) for every visit, in yield order."""
        out: list[tuple[int, int, bool]] = []
        for inst in range(self.institutions):
            for _ in range(self.past_visits_of(inst)):
                out.append((len(out), inst, False))
            if self.has_planned_visit(inst):
                out.append((len(out), inst, True))
        return out

    def counts(self) -> dict[str, int]:
        visits = self.visit_slots()
        follow_ups = sum(
            self.follow_ups_of(v) for v, _, planned in visits if not planned and not self.visit_cancelled(v)
        )
        return {
            "institution": self.institutions,
            "contact": sum(self.contacts_of(i) for i in range(self.institutions)),
            "expert": self.size.experts,
            "visit": len(visits),
            "follow_up": follow_ups,
            "achievement": self.size.achievements,
            "ip_item": sum(self.ip_items_of(a) for a in range(self.size.achievements)),
            "demand": self.size.demands,
            "match_record": -(-self.size.demands // MATCH_EVERY),
        }


def specialist_names(n: int) -> list[tuple[str, str]]:
    """(username, display name) of the first `n` demo specialists; unique, the same at every seed."""
    out = list(_FIRST_SPECIALISTS[:n])
    taken = {u for u, _ in out}
    for given_zh, given_py in GIVEN_NAMES:
        for surname_zh, surname_py in SURNAMES:
            if len(out) >= n:
                return out
            username = surname_py + given_py
            if username not in taken:
                taken.add(username)
                out.append((username, surname_zh + given_zh))
    raise ValueError(f"too many specialists: {n}")
