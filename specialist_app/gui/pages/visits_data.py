"""Jobs for the Visits page: planned visits ahead and recent visits across the specialist's institutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specialist_app.services import queries
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store

UPCOMING_DAYS = 60
RECENT_LIMIT = 200


@dataclass(frozen=True)
class VisitLists:
    upcoming: list[dict[str, Any]]  # planned, soonest first, with institution_name
    recent: list[dict[str, Any]]  # done or cancelled, newest first, with institution_name


def visit_lists(store: Store) -> VisitLists:
    with ReadUnitOfWork(store) as uow:
        return VisitLists(queries.upcoming_visits(uow, days=UPCOMING_DAYS),
                          queries.recent_visits(uow, limit=RECENT_LIMIT))
