"""Meta and cursors: the meta table (device id, last sync, account facts), the pull's bucket cursors and the
assigned institutions the server listed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection


def get_meta(conn: Connection, key: str) -> str | None:
    row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).first()
    return None if row is None or row[0] is None else str(row[0])


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def device_id(conn: Connection) -> str:
    found = get_meta(conn, "device_id")
    if found is None:
        raise RuntimeError("the store has no device_id")
    return found


def table_exists(conn: Connection, name: str) -> bool:
    row = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).first()
    return row is not None


def read_cursors(conn: Connection) -> dict[str, int]:
    """bucket -> the server version the pull has applied up to."""
    return {str(b): int(c) for b, c in conn.exec_driver_sql("SELECT bucket, cursor FROM sync_cursor")}


def save_cursors(conn: Connection, cursors: Mapping[str, Any]) -> None:
    """Move cursors forward (never back: a page answered late cannot rewind a bucket)."""
    rows = [(str(bucket), int(value)) for bucket, value in cursors.items()]
    if rows:
        conn.exec_driver_sql(
            "INSERT INTO sync_cursor (bucket, cursor) VALUES (?, ?)"
            " ON CONFLICT(bucket) DO UPDATE SET cursor = max(cursor, excluded.cursor)",
            rows,
        )


def drop_cursor(conn: Connection, bucket: str) -> None:
    conn.exec_driver_sql("DELETE FROM sync_cursor WHERE bucket = ?", (bucket,))


def assigned_institutions(conn: Connection) -> set[str]:
    return {str(r[0]) for r in conn.exec_driver_sql("SELECT institution_id FROM assigned_institution")}


def replace_assigned(conn: Connection, institution_ids: Iterable[str]) -> None:
    conn.exec_driver_sql("DELETE FROM assigned_institution")
    rows = [(i,) for i in institution_ids]
    if rows:
        conn.exec_driver_sql("INSERT INTO assigned_institution (institution_id) VALUES (?)", rows)
