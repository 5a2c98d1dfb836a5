"""Data jobs of the Sync page and the conflicts dialog, each `fn(store) -> plain value` for the task runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from specialist_app.services import conflicts as conflict_ops
from specialist_app.services import matches, records
from specialist_app.services.uow import Reads, ReadUnitOfWork
from specialist_app.store.conflicts import ConflictRow, RejectionRow
from specialist_app.store.db import Store
from specialist_app.store.rows import load_rows
from specialist_app.sync_engine import blobs, status
from sync.entities import MATCH, entity


@dataclass(frozen=True)
class SyncOverview:
    runs: list[dict[str, Any]]  # newest first
    conflicts: list[ConflictRow]  # open ones, each with "title" (the record's title)
    rejections: list[RejectionRow]  # not dismissed, each with "title"
    files: dict[str, Any] = field(default_factory=dict)  # attachment files waiting for upload: blobs.pending_summary


def _title(uow: Reads, entity_name: str, row_id: str) -> str:
    if entity_name == MATCH.name:  # no title of its own (its event's name, if any): its demand ↔ partner
        pair = matches.match_of(uow, row_id)
        if pair is not None and (pair.demand or pair.partner):
            return " ↔ ".join(name for name in (pair.demand, pair.partner) if name)
    row = load_rows(uow.conn, entity_name, [row_id]).get(row_id)
    if row is None:
        return ""
    value = row.get(entity(entity_name).title_field)
    return str(value) if value not in (None, "") else ""


def sync_overview(limit: int = 200) -> Callable[[Store], SyncOverview]:
    """The last `limit` sync runs, open conflicts and rejected changes."""

    def run(store: Store) -> SyncOverview:
        with ReadUnitOfWork(store) as uow:
            runs = status.list_sync_runs(uow.conn, limit)
            conflicts = conflict_ops.list_conflicts(uow.conn)
            rejections = conflict_ops.list_rejections(uow.conn)
            titles: dict[tuple[str, str], str] = {}
            for item in (*conflicts, *rejections):
                key = (str(item["entity"]), str(item["row_id"]))
                if key not in titles:
                    titles[key] = _title(uow, *key)
                item["title"] = titles[key]
        return SyncOverview(runs, conflicts, rejections, blobs.pending_summary(store))

    return run


def dismiss_rejection(seq: int) -> Callable[[Store], None]:
    """Hide a rejected change from the list (the refused edit stays undone on the server)."""

    def run(store: Store) -> None:
        conflict_ops.dismiss_rejection(store, seq)

    return run


def record_fields(entity_name: str, row_id: str) -> Callable[[Store], dict[str, Any] | None]:
    """A record as stored locally (canonical values), None if it is gone."""

    def run(store: Store) -> dict[str, Any] | None:
        with ReadUnitOfWork(store) as uow:
            return records.get(uow, entity_name, row_id)

    return run


Choice = conflict_ops.Typed  # how the conflicts dialog says what to keep
merged_value = conflict_ops.merged_value  # the dialog checks a typed value before it asks to settle


def resolve_conflicts(choices: list[Choice]) -> Callable[[Store], int]:
    """Settle the dialog's choices (conflicts.resolve_typed): all in one transaction, or none."""

    def run(store: Store) -> int:
        return conflict_ops.resolve_typed(store, choices)

    return run
