"""对接记录 operations: a match created from a suggestion in one click, and the lists that show matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from specialist_app.services import account, records
from specialist_app.services.queries import market_today
from specialist_app.services.uow import Reads, UnitOfWork
from specialist_app.store.db import Store
from sync.entities import MATCH
from sync.permissions import Refusal

# What a match links, read off the contract: its reference fields (demand, achievement, expert), the demand being the
# one that governs it (its institution_path starts there).
PARTIES = tuple(f.ref for f in MATCH.fields if f.ref is not None)
ANCHOR = MATCH.field(MATCH.institution_path[0]).ref if MATCH.institution_path else None

STAGES = ("recommended", "negotiating", "signed", "registered", "terminated")


class MatchRefused(Exception):
    """The market would refuse this user's new match (neither its demand's nor its achievement's institution is
    assigned to them): nothing was written."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class Created:
    id: str
    existed: bool  # the pair already had a live match: that one, nothing created


def create_from_suggestion(store: Store, source_entity: str, source_id: str, target_entity: str, target_id: str,
                           today: date | None = None, username: str | None = None) -> Created:
    """A match of a demand with a suggested achievement or expert (or of an achievement with a suggested demand):
    suggested by the algorithm, stage 推荐, recommended today (market-local). A pair already matched (a second click,
    or a colleague's match pulled) gets no second record: its match is returned. `username` (a signed-in account)
    is asked of sync.permissions first, as the match editor's save is. Raises RecordInvalid, MatchRefused."""
    pair = {source_entity: source_id, target_entity: target_id}
    if ANCHOR not in pair or len(pair) != 2 or not set(pair) <= set(PARTIES):
        raise ValueError(f"no match between {source_entity} and {target_entity}")
    values = {f"{entity}_id": row_id for entity, row_id in pair.items()}
    partner = next(name for name in values if name != "demand_id")
    with UnitOfWork(store) as uow:
        existing = uow.conn.execute(text(
            f"SELECT id FROM match_record WHERE deleted = 0 AND demand_id = :demand AND {partner} = :partner"
            " ORDER BY id LIMIT 1"), {"demand": values["demand_id"], "partner": values[partner]}).scalar()
        if existing is not None:
            return Created(str(existing), True)
        values |= {"source": "algorithm", "stage": "recommended",
                   "recommended_on": (today or market_today()).isoformat()}
        if username is not None:
            refusal = account.write_refusal(uow, account.load(uow, username), MATCH, values, new=True)
            if refusal is not None:
                raise MatchRefused(refusal)
        match_id = records.create(uow, "match_record", values)
        uow.commit()
    return Created(match_id, False)


@dataclass(frozen=True, slots=True)
class MatchRow:
    """One match as the lists show it: the demand's and the partner's titles, stage and dates."""

    id: str
    demand_id: str
    demand: str
    partner: str  # the achievement's title, the expert's name, or both
    stage: str
    source: str
    recommended_on: str | None
    updated: str  # the latest of the stage dates (for "this month")


_SELECT = """
SELECT m.id, m.demand_id, COALESCE(d.title, dd.title) AS demand, COALESCE(a.title, ad.title) AS achievement,
       e.name AS expert, m.stage, m.source, m.recommended_on,
       COALESCE(m.registered_on, m.signed_on, m.negotiated_on, m.recommended_on, '') AS updated
FROM match_record m
LEFT JOIN demand d ON d.id = m.demand_id
LEFT JOIN achievement a ON a.id = m.achievement_id
LEFT JOIN catalog_digest dd ON d.id IS NULL AND dd.id = m.demand_id  -- held only as a digest (another province)
LEFT JOIN catalog_digest ad ON a.id IS NULL AND ad.id = m.achievement_id
LEFT JOIN expert e ON e.id = m.expert_id
WHERE m.deleted = 0
"""


def _rows(uow: Reads, where: str, params: dict[str, str]) -> list[MatchRow]:
    found = uow.conn.execute(text(f"{_SELECT} {where} ORDER BY m.recommended_on DESC, m.id DESC"), params).mappings()
    return [MatchRow(r["id"], r["demand_id"], r["demand"] or "",
                     " / ".join(p for p in (r["achievement"], r["expert"]) if p), r["stage"], r["source"],
                     r["recommended_on"], r["updated"]) for r in found]


def matches_of(uow: Reads, entity: str, record_id: str) -> list[MatchRow]:
    """The matches of one demand, achievement or expert, most recently recommended first."""
    if entity not in PARTIES:
        raise ValueError(entity)
    return _rows(uow, f"AND m.{entity}_id = :id", {"id": record_id})


def matches_of_institution(uow: Reads, institution_id: str) -> list[MatchRow]:
    """The matches whose demand or achievement belongs to the institution."""
    return _rows(uow, "AND (d.institution_id = :inst OR a.institution_id = :inst)", {"inst": institution_id})


def all_matches(uow: Reads, stage: str | None = None) -> list[MatchRow]:
    """Every match in the local store (the specialist's scope), optionally of one stage."""
    return _rows(uow, "AND m.stage = :stage", {"stage": stage}) if stage else _rows(uow, "", {})


def by_stage(uow: Reads) -> dict[str, int]:
    """How many matches are at each stage (every stage listed, zeros included)."""
    counts = dict.fromkeys(STAGES, 0)
    for stage, n in uow.conn.execute(text("SELECT stage, COUNT(*) FROM match_record WHERE deleted = 0"
                                          " GROUP BY stage")):
        counts[str(stage)] = int(n)
    return counts


def created_this_month(uow: Reads, today: date | None = None) -> int:
    """Matches recommended in the current market-local month."""
    day = today or market_today()
    start = day.replace(day=1).isoformat()
    return int(uow.conn.execute(text("SELECT COUNT(*) FROM match_record WHERE deleted = 0"
                                     " AND recommended_on >= :start"), {"start": start}).scalar() or 0)


def match_of(uow: Reads, match_id: str) -> MatchRow | None:
    """One match as the lists show it (its demand's and partner's titles), None if missing or deleted."""
    found = _rows(uow, "AND m.id = :id", {"id": match_id})
    return found[0] if found else None
