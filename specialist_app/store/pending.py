"""What the server must not overwrite: unsent outbox edits and open conflicts, by entity and row."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection

from sync.merge import DELETED

ALL_FIELDS = "*"  # pending-field marker: the whole row (a pending delete)


def pending_fields(conn: Connection) -> dict[str, dict[str, set[str]]]:
    """entity -> row id -> fields the server must not overwrite: unsent outbox edits and open conflicts."""
    found: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for entity, row_id, op, fields in conn.exec_driver_sql("SELECT entity, row_id, op, fields FROM outbox"):
        names = found[entity].setdefault(row_id, set())
        if op == "delete":
            names.add(ALL_FIELDS)
        names.update(json.loads(fields) if isinstance(fields, str) else (fields or {}))
    for entity, row_id, field in conn.exec_driver_sql(
        "SELECT entity, row_id, field FROM conflict WHERE resolved_at IS NULL"
    ):
        found[entity].setdefault(row_id, set()).add(ALL_FIELDS if field == DELETED else field)
    return found


def open_conflicts(conn: Connection, entity: str) -> dict[str, list[tuple[str, str]]]:
    """row id -> [(conflict id, field)] of this entity's unresolved conflicts."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cid, row_id, name in conn.exec_driver_sql(
        "SELECT id, row_id, field FROM conflict WHERE entity = ? AND resolved_at IS NULL", (entity,)
    ):
        found[str(row_id)].append((str(cid), str(name)))
    return found
