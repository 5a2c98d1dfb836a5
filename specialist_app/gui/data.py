"""The data calls the GUI makes, each `fn(store) -> plain value`, run on the task runner's thread.

Each opens a unit of work and calls a service. The few reads no service offers yet (open conflicts, last sync) are
done here on the unit of work's connection; they belong in a service and move there when one exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from specialist_app.services import records
from specialist_app.services import search as search_service
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import tables as t
from specialist_app.store.db import Store


@dataclass(frozen=True)
class StatusSummary:
    pending_changes: int  # outbox entries not yet acknowledged by the server
    open_conflicts: int
    last_sync_at: str | None  # UTC canonical date-time of the last successful sync, None if never


def status_summary(store: Store) -> StatusSummary:
    with UnitOfWork(store) as uow:
        pending = sum(records.outbox_counts(uow).values())
        conflicts = uow.conn.execute(
            select(func.count()).select_from(t.conflict).where(t.conflict.c.resolved_at.is_(None))
        ).scalar_one()
        last = uow.conn.execute(
            select(func.max(t.sync_run.c.finished_at)).where(t.sync_run.c.outcome == "ok")
        ).scalar_one()
    return StatusSummary(int(pending), int(conflicts), str(last) if last else None)


@dataclass(frozen=True)
class SearchRequest:
    entity: str
    query: str
    filters: search_service.SearchFilters
    sort: search_service.SearchSort


def search_page(request: SearchRequest, limit: int, offset: int) -> Callable[[Store], search_service.SearchPage]:
    """A job (for TaskRunner.submit) fetching one page of catalog search results."""

    def run(store: Store) -> search_service.SearchPage:
        with UnitOfWork(store) as uow:
            return search_service.search(
                uow, request.query, entities=(request.entity,), filters=request.filters,
                sort=request.sort, limit=limit, offset=offset,
            )

    return run
