"""The meta table (device id, last sync, account facts): one value per key, and whether a table exists."""

from __future__ import annotations

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
