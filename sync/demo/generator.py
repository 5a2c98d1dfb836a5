"""The streaming demo-data generator: records in the contract's canonical form, parents before children."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sync.demo.achievements import AchievementMaker
from sync.demo.catalog import DemandMaker, ExpertMaker
from sync.demo.layout import Layout, specialist_names
from sync.demo.matches import match_records
from sync.demo.orgs import InstitutionInfo, contact_records, institution_record, plan_institutions
from sync.demo.rand import IdMaker, rng_for
from sync.demo.visits import VisitMaker
from sync.entities import ACHIEVEMENT

Record = dict[str, Any]


def counts(scale: str) -> dict[str, int]:
    """How many records of each entity `generate(scale)` yields (the same at every seed)."""
    return Layout(scale).counts()


def generate(scale: str = "small", *, seed: int = 2026) -> Iterator[tuple[str, Record]]:
    """Yield (entity name, record) for a whole demo data set; the same scale and seed give the same output.

    Order: institutions, contacts, experts, visits each followed by its follow-ups, achievements each followed by
    its IP items, demands, match records. Only the institution plan and visit ids are held in memory.
    """
    yield from _duplicate_marks(_records(scale, seed))


def _records(scale: str, seed: int) -> Iterator[tuple[str, Record]]:
    layout = Layout(scale)
    names = specialist_names(layout.specialists)
    usernames = [u for u, _ in names]
    institutions = plan_institutions(layout, seed, usernames)
    yield from _institutions(layout, seed, institutions)
    experts = ExpertMaker(seed, institutions, unique_emails=layout.scale == "national")
    matched: dict[str, list[str]] = {"expert": [], "achievement": [], "demand": []}  # a few ids, for matches
    for e in range(layout.size.experts):
        record = experts.expert()
        if e % 10 == 0:
            matched["expert"].append(record["id"])
        yield "expert", record
    yield from VisitMaker(layout, seed, institutions, usernames, dict(names)).records()
    maker = AchievementMaker(seed, institutions, usernames, distinct_titles=layout.scale == "national")
    for a in range(layout.size.achievements):
        owner = institutions[layout.achievement_owner(a)]
        for entity, record in maker.records(a, owner, layout.achievement_category(a), layout.ip_items_of(a)):
            if entity == ACHIEVEMENT.name and a % 20 == 0:  # not its IP items
                matched["achievement"].append(record["id"])
            yield entity, record
    demands = DemandMaker(seed, institutions)
    for k in range(layout.size.demands):
        record = demands.demand(institutions[layout.demand_owner(k)])
        matched["demand"].append(record["id"])
        yield "demand", record
    for record in match_records(seed, matched["demand"], matched["achievement"], matched["expert"]):
        yield "match_record", record


# The market's duplicate check marks every Nth record of these (no random draw, so the rest of the data stays).
_MARK_EVERY = {"institution": 9, "expert": 17, "achievement": 41, "demand": 13}


def _duplicate_marks(records: Iterator[tuple[str, Record]]) -> Iterator[tuple[str, Record]]:
    """The server-managed duplicate fields: the market suspects (or confirmed) that a few records repeat the
    record of their kind before them."""
    seen: dict[str, int] = {}
    previous: dict[str, str] = {}
    for name, record in records:
        every = _MARK_EVERY.get(name)
        if every:
            n = seen[name] = seen.get(name, 0) + 1
            marked = n % every == 0 and name in previous
            record["duplicate_of"] = previous[name] if marked else None
            record["duplicate_state"] = ("confirmed" if n % (2 * every) == 0 else "suspected") if marked else None
            previous[name] = record["id"]
        yield name, record


def _institutions(layout: Layout, seed: int, institutions: list[InstitutionInfo]) -> Iterator[tuple[str, Record]]:
    rng = rng_for(seed, "institution")
    codes: set[str] = set()  # credit codes given so far: each is unique
    for info in institutions:
        # A few enterprises (always the last one) were proposed in the field and await an administrator's review.
        last = info.index == layout.institutions - 1
        proposed = info.org_type == "enterprise" and (rng.random() < 0.03 or last)
        yield "institution", institution_record(rng, info, proposed, codes)
    contact_ids = IdMaker(seed, "contact", offset_ms=1_000_000)
    for info in institutions:
        for record in contact_records(rng, info, layout.contacts_of(info.index), contact_ids):
            yield "contact", record


def achievements_only(n: int, *, seed: int = 2026) -> Iterator[Record]:
    """`n` standalone achievements (no institution, visit or IP rows) for benchmarks, e.g. n = 100,000.

    They carry no `institution_id` or `source_visit_id` key (no such records exist): callers link them to
    their own institutions, e.g. with `record.setdefault("institution_id", ...)`.
    """
    layout = Layout("national")  # only for the category mix
    maker = AchievementMaker(seed, [], [u for u, _ in specialist_names(Layout("small").specialists)])
    for a in range(n):
        for entity, record in maker.records(a, None, layout.achievement_category(a), 0):
            if entity == ACHIEVEMENT.name:
                del record["institution_id"], record["source_visit_id"]
                yield record
