"""Writing local edits to the outbox, coalescing into the row's latest entry while that entry is unsent.

Entries stay until the sync engine has the server's answer (then it deletes them); `sent_at` marks an entry
included in a push, which is never changed again. Per row, coalescing gives:
update+update -> one update (earliest base, latest values; fields changed back to their base drop out, and an
update left with no field vanishes); create+update -> create; create+delete of a row the server never saw ->
both vanish and the row is removed; update+delete -> delete (base: the row as the server last had it). An edit of a
row the server never had, with no entry left (its create was refused), is its create again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table

from specialist_app.store import outbox, rows
from sync.merge import same_value


def add_update(
    conn: Connection, table: Table, row_id: str, new: Mapping[str, Any], old: Mapping[str, Any],
    server_version: int | None, now: str,
) -> None:
    """Record that fields `new` (changed from `old`) of a row were edited."""
    entity = table.name
    latest = outbox.latest(conn, entity, row_id)
    if latest is not None and not latest.sent and latest.op == "create":
        fields = {k: v for k, v in {**latest.fields, **new}.items() if v is not None}
        outbox.rewrite(conn, latest.seq, fields=fields)
        return
    if latest is not None and not latest.sent and latest.op == "update":
        base = dict(latest.base)
        fields = dict(latest.fields)
        for name, value in new.items():
            base.setdefault(name, old.get(name))
            fields[name] = value
        for name in [n for n in fields if same_value(fields[n], base.get(n))]:
            del fields[name], base[name]
        if fields:
            outbox.rewrite(conn, latest.seq, fields=fields, base=base)
        else:
            outbox.drop(conn, [latest.seq])
            if not outbox.has_entries(conn, entity, row_id):
                rows.set_base_version(conn, entity, row_id, None)
        return
    if latest is None and server_version is None:
        # The market never had the row and nothing of it waits: its create was refused, and this edit fixes it. It
        # goes out as the create again, with every field (as an update it came back 服务器上找不到该记录).
        outbox.add(conn, entity, row_id, "create", {k: v for k, v in {**old, **new}.items() if v is not None}, {},
                   None, now)
        return
    outbox.add(conn, entity, row_id, "update", new, {k: old.get(k) for k in new}, server_version, now)
    rows.set_base_version(conn, entity, row_id, server_version)


def add_delete(
    conn: Connection, table: Table, row_id: str, row: Mapping[str, Any], server_version: int | None, now: str
) -> bool:
    """Record the delete of a row (`row`: its field values); True when the row should simply vanish locally."""
    entity = table.name
    latest = outbox.latest(conn, entity, row_id)
    if latest is not None and not latest.sent:
        if latest.op == "create" and server_version is None:
            outbox.drop(conn, [latest.seq])
            return True
        if latest.op == "update":
            outbox.rewrite(conn, latest.seq, op="delete", fields={}, base={**row, **latest.base})
            return False
    outbox.add(conn, entity, row_id, "delete", {}, row, server_version, now)
    rows.set_base_version(conn, entity, row_id, server_version)
    return False
