"""Full copies of catalog rows that left the home province: a newer digest of the same row replaces them (the server
re-versions an institution's rows when it moves to another province; docs/sync-protocol.md, "Digests")."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from specialist_app.store import conflicts, meta, search_index
from specialist_app.store.chunks import chunks, marks
from specialist_app.store.pending import pending_fields
from specialist_app.store.rows import delete_rows
from sync.entities import ENTITIES


def drop_superseded(conn: Connection, entity: str, newer: Mapping[str, int]) -> list[str]:
    """Delete the full copies of `entity` rows (id -> the arriving digest's version) that the store holds at an older
    server version, governed by none of its own institutions and with no unsent edit, open conflict or refusal, with
    their catalog children (an achievement's IP items) and search documents. The ids dropped.

    A row of the user's own institutions never comes as a digest; one they created comes again in full through the
    `own` bucket, pulled before the feed, at the digest's version, so it is kept."""
    governing = "id" if ENTITIES[entity].is_scope_root else "institution_id"
    older: dict[str, str] = {}  # held in full at an older version: id -> governing institution
    for chunk in chunks(list(newer)):
        for row_id, version, institution in conn.exec_driver_sql(
                f"SELECT id, server_version, {governing} FROM {entity} WHERE id IN ({marks(len(chunk))})",
                tuple(chunk)):
            if version is not None and int(version) < newer[str(row_id)]:
                older[str(row_id)] = str(institution)
    if not older:  # the usual page: nothing held in full (the outbox and assignments are not read)
        return []
    keep, own = _untouchable(conn), meta.assigned_institutions(conn)
    dropped = [i for i, institution in older.items() if institution not in own and (entity, i) not in keep]
    if not dropped:
        return []
    for child in ENTITIES.values():
        if child.parent_field and child.in_catalog and child.field(child.parent_field).ref == entity:
            children = [str(r[0]) for chunk in chunks(dropped) for r in conn.exec_driver_sql(
                f"SELECT id FROM {child.name} WHERE {child.parent_field} IN ({marks(len(chunk))})", tuple(chunk))]
            children = [c for c in children if (child.name, c) not in keep]
            delete_rows(conn, child.name, children)
            search_index.remove_rows(conn, child.name, children)
    delete_rows(conn, entity, dropped)  # first, as a pull's tombstones: an institution's dependents are indexed
    search_index.remove_rows(conn, entity, dropped)  # again without its name
    return dropped


def _untouchable(conn: Connection) -> set[tuple[str, str]]:
    """(entity, id) of rows with unsent edits, open conflicts or refused changes: never dropped."""
    found = {(entity, row_id) for entity, rows in pending_fields(conn).items() for row_id in rows}
    return found | set(conflicts.open_rejection_rows(conn))
