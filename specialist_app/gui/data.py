"""The data calls the GUI makes, each `fn(store) -> plain value`, run on the task runner's thread.

Each opens a read-only unit of work (it never waits for a sync's write) and calls a service; nothing here
touches tables itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from specialist_app.services import account, matches, queries
from specialist_app.services import search as search_service
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from specialist_app.sync_engine.blobs import pending_summary
from specialist_app.sync_engine.status import sync_status


@dataclass(frozen=True)
class StatusSummary:
    pending_changes: int  # outbox entries not yet acknowledged by the server
    open_conflicts: int
    last_sync_at: str | None  # UTC canonical date-time of the last successful sync, None if never
    pending_files: int = 0  # attachment files the server does not have yet
    pending_file_bytes: int = 0
    refused: int = 0  # changes the server refused, not fixed nor dismissed (they did not reach the market)


def status_summary(store: Store) -> StatusSummary:
    with ReadUnitOfWork(store) as uow:
        facts = sync_status(uow)
    files = pending_summary(store)
    last = facts.get("last_sync_at")
    return StatusSummary(int(facts["pending_changes"]), int(facts["open_conflicts"]), str(last) if last else None,
                         files["pending_files"], files["pending_file_bytes"], int(facts["refused"]))


@dataclass(frozen=True)
class DashboardData:
    upcoming_visits: list[dict[str, Any]]
    overdue_follow_ups: list[dict[str, Any]]
    months: list[dict[str, Any]]  # oldest first, the current month last: month, visits, achievements, demands
    today: date | None = None  # the market-local day the lists were read on (how many days overdue)
    refused: int = 0  # changes the market refused, not fixed nor dismissed
    matches_this_month: int = 0  # match records recommended this month
    matches_by_stage: dict[str, int] = field(default_factory=dict)  # every stage, zeros included


def dashboard(store: Store) -> DashboardData:
    today = queries.market_today()
    with ReadUnitOfWork(store) as uow:
        me = (account.recorded(uow) or {}).get("username")
        return DashboardData(queries.upcoming_visits(uow, today=today), queries.overdue_follow_ups(uow, today=today),
                             queries.month_counts(uow, months=12, today=today, collector=me), today,
                             int(sync_status(uow)["refused"]), matches.created_this_month(uow, today),
                             matches.by_stage(uow))


def my_institutions(text: str, org_type: str | None, region: str | None) -> Callable[[Store], list[dict[str, Any]]]:
    """A job listing institutions (assigned first) with their counts."""

    def run(store: Store) -> list[dict[str, Any]]:
        with ReadUnitOfWork(store) as uow:
            return queries.my_institutions(uow, text=text or None, org_type=org_type or None, region=region or None)

    return run


@dataclass(frozen=True)
class SearchRequest:
    entity: str
    query: str
    filters: search_service.SearchFilters
    sort: search_service.SearchSort


def search_page(request: SearchRequest, limit: int, offset: int) -> Callable[[Store], search_service.SearchPage]:
    """A job (for TaskRunner.submit) fetching one page of catalog search results."""

    def run(store: Store) -> search_service.SearchPage:
        search_service.prepare_index(store)
        with ReadUnitOfWork(store) as uow:
            return search_service.search(
                uow, request.query, entities=(request.entity,), filters=request.filters,
                sort=request.sort, limit=limit, offset=offset,
            )

    return run
