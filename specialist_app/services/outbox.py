"""Writing local edits to the outbox, coalescing into the row's latest entry while that entry is unsent.

Entries stay until the sync engine has the server's answer (then it deletes them); `sent_at` marks an entry
included in a push, which is never changed again. Per row, coalescing gives:
update+update -> one update (earliest base, latest values; fields changed back to their base drop out, and an
update left with no field vanishes); create+update -> create; create+delete of a row the server never saw ->
both vanish and the row is removed; update+delete -> delete (base: the row as the server last had it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.engine import RowMapping

from specialist_app.store.tables import outbox
from sync.merge import same_value


def _latest(conn: Connection, entity: str, row_id: str) -> RowMapping | None:
    query = (
        select(outbox)
        .where(outbox.c.entity == entity, outbox.c.row_id == row_id)
        .order_by(outbox.c.seq.desc())
        .limit(1)
    )
    return conn.execute(query).mappings().first()


def _pending_elsewhere(conn: Connection, entity: str, row_id: str) -> bool:
    query = select(func.count()).where(outbox.c.entity == entity, outbox.c.row_id == row_id)
    return bool(conn.execute(query).scalar_one())


def _entry(entity: str, row_id: str, op: str, fields: Mapping[str, Any], base: Mapping[str, Any],
           base_version: int | None, now: str) -> dict[str, Any]:
    return {
        "entity": entity, "row_id": row_id, "op": op, "fields": dict(fields), "base": dict(base),
        "base_version": base_version, "resolves": None, "created_at": now, "sent_at": None,
    }


def add_update(
    conn: Connection, table: Table, row_id: str, new: Mapping[str, Any], old: Mapping[str, Any],
    server_version: int | None, now: str,
) -> None:
    """Record that fields `new` (changed from `old`) of a row were edited."""
    entity = table.name
    latest = _latest(conn, entity, row_id)
    if latest is not None and latest["sent_at"] is None and latest["op"] == "create":
        fields = {k: v for k, v in {**latest["fields"], **new}.items() if v is not None}
        conn.execute(update(outbox).where(outbox.c.seq == latest["seq"]).values(fields=fields))
        return
    if latest is not None and latest["sent_at"] is None and latest["op"] == "update":
        base = dict(latest["base"])
        fields = dict(latest["fields"])
        for name, value in new.items():
            base.setdefault(name, old.get(name))
            fields[name] = value
        for name in [n for n in fields if same_value(fields[n], base.get(n))]:
            del fields[name], base[name]
        if fields:
            conn.execute(update(outbox).where(outbox.c.seq == latest["seq"]).values(fields=fields, base=base))
        else:
            conn.execute(delete(outbox).where(outbox.c.seq == latest["seq"]))
            if not _pending_elsewhere(conn, entity, row_id):
                conn.execute(update(table).where(table.c.id == row_id).values(base_version=None))
        return
    conn.execute(
        insert(outbox),
        [_entry(entity, row_id, "update", new, {k: old.get(k) for k in new}, server_version, now)],
    )
    conn.execute(update(table).where(table.c.id == row_id).values(base_version=server_version))


def add_delete(
    conn: Connection, table: Table, row_id: str, row: Mapping[str, Any], server_version: int | None, now: str
) -> bool:
    """Record the delete of a row (`row`: its field values); True when the row should simply vanish locally."""
    entity = table.name
    latest = _latest(conn, entity, row_id)
    if latest is not None and latest["sent_at"] is None:
        if latest["op"] == "create" and server_version is None:
            conn.execute(delete(outbox).where(outbox.c.seq == latest["seq"]))
            return True
        if latest["op"] == "update":
            base = {**row, **latest["base"]}
            conn.execute(
                update(outbox).where(outbox.c.seq == latest["seq"]).values(op="delete", fields={}, base=base)
            )
            return False
    conn.execute(insert(outbox), [_entry(entity, row_id, "delete", {}, row, server_version, now)])
    conn.execute(update(table).where(table.c.id == row_id).values(base_version=server_version))
    return False
