"""The sync log (sync_run): one row per run, started and finished; read back as dicts of SYNC_RUN_COLUMNS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from specialist_app.store.meta import table_exists

SYNC_RUN_COLUMNS = ("id", "started_at", "finished_at", "outcome", "pushed", "pulled", "conflicts", "rejected",
                    "error_code", "error_message", "error_message_en")


@dataclass(frozen=True)
class RunEnd:
    """How a run ended, as the log keeps it (messages in zh_CN and en, None when the run succeeded)."""

    outcome: str
    pushed: int
    pulled: int
    conflicts: int
    rejected: int
    error_code: str | None
    error_message: str | None
    error_message_en: str | None


def start_run(conn: Connection, at: str) -> int | None:
    """A new run's row id (None in a store without the table: a catalog snapshot's work store)."""
    if not table_exists(conn, "sync_run"):
        return None
    return conn.exec_driver_sql("INSERT INTO sync_run (started_at) VALUES (?)", (at,)).lastrowid


def finish_run(conn: Connection, run_id: int, at: str, end: RunEnd) -> None:
    conn.exec_driver_sql(
        "UPDATE sync_run SET finished_at = ?, outcome = ?, pushed = ?, pulled = ?, conflicts = ?,"
        " rejected = ?, error_code = ?, error_message = ?, error_message_en = ? WHERE id = ?",
        (at, end.outcome, end.pushed, end.pulled, end.conflicts, end.rejected, end.error_code, end.error_message,
         end.error_message_en, run_id),
    )


def list_runs(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The last `limit` sync runs, newest first, each a dict of SYNC_RUN_COLUMNS ([] before the first run)."""
    if not table_exists(conn, "sync_run"):
        return []
    rows = conn.exec_driver_sql(
        f"SELECT {', '.join(SYNC_RUN_COLUMNS)} FROM sync_run ORDER BY id DESC LIMIT ?", (max(0, limit),))
    return [dict(zip(SYNC_RUN_COLUMNS, row, strict=True)) for row in rows]


def last_run(conn: Connection) -> dict[str, Any] | None:
    """The newest run: started_at, finished_at, outcome, error_code, error_message; None before the first."""
    runs = list_runs(conn, 1)
    if not runs:
        return None
    return {k: runs[0][k] for k in ("started_at", "finished_at", "outcome", "error_code", "error_message")}
