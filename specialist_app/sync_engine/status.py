"""Sync facts for `status` and the GUI: last sync, pending changes, open conflicts, rejected changes."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Connection

from specialist_app.store import conflicts, meta, outbox, sync_log


class HasConnection(Protocol):
    conn: Connection


def sync_status(uow: HasConnection) -> dict[str, Any]:
    """last_sync_at (last successful run), last_run (newest attempt or None), pending_changes, open_conflicts,
    rejected_changes, assigned_institutions."""
    conn = uow.conn
    return {
        "last_sync_at": meta.get_meta(conn, "last_sync_at"),
        "last_run": sync_log.last_run(conn),
        "pending_changes": outbox.count(conn),
        "open_conflicts": conflicts.count_open(conn),
        "rejected_changes": conflicts.count_rejections(conn),
        # The same figure under the name the guide uses: changes that did not reach the market (not fixed nor
        # dismissed). "pending_changes" 0 with "refused" 0 means everything reached the market.
        "refused": conflicts.count_rejections(conn),
        "assigned_institutions": len(meta.assigned_institutions(conn)),
    }


def list_sync_runs(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The last `limit` sync runs, newest first, each a dict of sync_log.SYNC_RUN_COLUMNS."""
    return sync_log.list_runs(conn, limit)
