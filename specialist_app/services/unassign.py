"""Scope changes: what an unassigned institution leaves in the store (rows with unsent edits are always kept)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import Connection

from specialist_app.store import conflicts, search_index
from specialist_app.store.chunks import chunks, marks
from specialist_app.store.pending import pending_fields
from specialist_app.store.rows import delete_rows, load_rows, upsert_rows
from sync.entities import ENTITIES

# Catalog entities whose public copy stays when their institution is unassigned (confidential values go).
_CATALOG_OWNED = ("achievement", "demand")


def _ids(conn: Connection, sql: str, params: Sequence[str]) -> list[str]:
    found: list[str] = []
    for chunk in chunks(list(params)):
        found.extend(str(r[0]) for r in conn.exec_driver_sql(sql.format(marks=marks(len(chunk))), tuple(chunk)))
    return found


def remove_institution(conn: Connection, institution_id: str, still_assigned: Collection[str] = ()) -> dict[str, int]:
    """Remove the private records of an institution no longer assigned; returns rows removed/masked per entity.

    A row governed by two institutions (a match record: its demand's and its achievement's) stays while the other
    one is still assigned (`still_assigned`: the institutions the pull still lists)."""
    pending = pending_fields(conn)
    # Refused changes stay visible next to their row until the user deals with them.
    for entity, row_id in conflicts.open_rejection_rows(conn):
        pending.setdefault(entity, {}).setdefault(row_id, set())
    counts: dict[str, int] = {}

    def drop(entity: str, ids: Sequence[str]) -> list[str]:
        keep = pending.get(entity, {})
        gone = [i for i in ids if i not in keep]
        delete_rows(conn, entity, gone)
        counts[entity] = len(gone)
        return gone

    inst = [institution_id]
    contacts = _ids(conn, "SELECT id FROM contact WHERE institution_id IN ({marks})", inst)
    visits = _ids(conn, "SELECT id FROM visit WHERE institution_id IN ({marks})", inst)
    follow_ups = _ids(conn, "SELECT id FROM follow_up WHERE visit_id IN ({marks})", visits)
    owned = {
        e: _ids(conn, f"SELECT id FROM {e} WHERE institution_id IN ({{marks}})", inst) for e in _CATALOG_OWNED
    }
    owners = [institution_id, *contacts, *visits, *follow_ups, *owned["achievement"], *owned["demand"]]
    attachments = _ids(conn, "SELECT id FROM attachment WHERE owner_id IN ({marks})", owners)

    for entity, ids in _governed_twice(conn, institution_id, set(still_assigned)).items():
        drop(entity, ids)
    drop("attachment", attachments)
    drop("follow_up", follow_ups)
    drop("visit", visits)
    drop("contact", contacts)
    for entity, ids in owned.items():
        counts[entity] = _mask_confidential(conn, entity, [i for i in ids if i not in pending.get(entity, {})])
    return counts


def _governed_twice(conn: Connection, institution_id: str, still: set[str]) -> dict[str, list[str]]:
    """Rows of entities with a second_institution_path that this institution governs (either way) and no
    institution still assigned does. Each path is a reference and the referenced row's institution field."""
    found: dict[str, list[str]] = {}
    for entity in ENTITIES.values():
        paths = entity.governing_paths
        if entity.second_institution_path is None or any(len(p) != 2 for p in paths):
            continue
        joins = " ".join(f"LEFT JOIN {entity.field(p[0]).ref} p{n} ON p{n}.id = r.{p[0]}" for n, p in enumerate(paths))
        columns = ", ".join(f"p{n}.{p[1]}" for n, p in enumerate(paths))
        rows = conn.exec_driver_sql(f"SELECT r.id, {columns} FROM {entity.name} r {joins}").all()
        found[entity.name] = [str(r[0]) for r in rows
                              if institution_id in r[1:] and not still.intersection(str(i) for i in r[1:] if i)]
    return found


def _mask_confidential(conn: Connection, entity: str, ids: Sequence[str]) -> int:
    """Clear the confidential values of these rows, keeping the public catalog copy; returns rows changed."""
    allowed = {f.name for f in ENTITIES[entity].fields if f.can_be_confidential}
    rows = load_rows(conn, entity, ids)
    changed: list[Mapping[str, object]] = []
    for row in rows.values():
        secret = [n for n in (row.get("confidential_fields") or ()) if n in allowed]
        if not secret:
            continue
        for name in secret:
            row[name] = None
        row["masked"] = sorted(set(secret) | set(row.get("masked") or ()))
        changed.append(row)
    upsert_rows(conn, entity, changed)
    if changed:
        search_index.reindex_rows(conn, entity, [str(r["id"]) for r in changed])
    return len(changed)
