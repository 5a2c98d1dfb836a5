"""The blob_upload table: each attachment file's upload state (queued, partial, failed, refused, done) by sha256."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection


class BlobRow(NamedTuple):
    """A live attachment row whose bytes the server may lack, with the file's upload state (None: never tried)."""

    sha256: str
    row_id: str
    filename: str
    state: str | None
    reason: str | None
    since: str | None


def mark(conn: Connection, sha256: str, state: str, reason: str | None, at: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO blob_upload (sha256, state, reason, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(sha256) DO UPDATE SET state = excluded.state, reason = excluded.reason,"
        " updated_at = excluded.updated_at",
        (sha256, state, reason, at),
    )


def waiting(conn: Connection) -> list[BlobRow]:
    """Attachment rows whose file is not known to be on the server (never tried, or failed or partial: retried)."""
    rows = conn.exec_driver_sql(
        "SELECT a.sha256, a.id, a.filename, b.state, b.reason, b.updated_at FROM attachment a"
        " LEFT JOIN blob_upload b ON b.sha256 = a.sha256"
        " WHERE a.deleted = 0 AND a.sha256 IS NOT NULL AND (b.sha256 IS NULL OR b.state IN ('failed', 'partial'))"
        " ORDER BY a.sha256, a.id"
    )
    return [BlobRow(str(sha), str(row_id), str(name or ""), state, reason, since)
            for sha, row_id, name, state, reason, since in rows]
