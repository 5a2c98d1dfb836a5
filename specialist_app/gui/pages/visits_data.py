"""Jobs for the Visits page: planned visits ahead and recent visits across the specialist's institutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from specialist_app.services import queries
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES

UPCOMING_DAYS = 60
RECENT_LIMIT = 200


@dataclass(frozen=True)
class VisitLists:
    upcoming: list[dict[str, Any]]  # planned, soonest first, with institution_name
    recent: list[dict[str, Any]]  # done or cancelled, newest first, with institution_name


def _recent(uow: UnitOfWork, limit: int) -> list[dict[str, Any]]:
    # No service query lists visits across institutions yet (see the report): read the two tables here.
    visit, institution = ENTITY_TABLES["visit"], ENTITY_TABLES["institution"]
    query = (
        select(visit.c.id, visit.c.institution_id, visit.c.status, visit.c.visited_at, visit.c.planned_at,
               visit.c.visit_type, visit.c.purpose, institution.c.name.label("institution_name"))
        .join(institution, institution.c.id == visit.c.institution_id)
        .where(visit.c.deleted.is_(False), visit.c.status != "planned")
        .order_by(visit.c.visited_at.desc(), visit.c.id.desc())
        .limit(limit)
    )
    return [dict(row) for row in uow.conn.execute(query).mappings()]


def visit_lists(store: Store) -> VisitLists:
    with UnitOfWork(store) as uow:
        return VisitLists(queries.upcoming_visits(uow, days=UPCOMING_DAYS), _recent(uow, RECENT_LIMIT))
