"""Sync facts for `status` and the GUI: last sync, pending changes, open conflicts, rejected changes."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Connection

from specialist_app.store import meta, sync_log


class HasConnection(Protocol):
    conn: Connection


def sync_status(uow: HasConnection) -> dict[str, Any]:
    """last_sync_at (last successful run), last_run (newest attempt or None), pending_changes, open_conflicts,
    rejected_changes, assigned_institutions."""
    conn = uow.conn

    def count(sql: str) -> int:
        return int(conn.exec_driver_sql(sql).scalar_one())

    return {
        "last_sync_at": meta.get_meta(conn, "last_sync_at"),
        "last_run": sync_log.last_run(conn),
        "pending_changes": count("SELECT count(*) FROM outbox"),
        "open_conflicts": count("SELECT count(*) FROM conflict WHERE resolved_at IS NULL"),
        "rejected_changes": count("SELECT count(*) FROM rejection WHERE dismissed_at IS NULL"),
        "assigned_institutions": count("SELECT count(*) FROM assigned_institution"),
    }


def list_sync_runs(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The last `limit` sync runs, newest first, each a dict of sync_log.SYNC_RUN_COLUMNS."""
    return sync_log.list_runs(conn, limit)
