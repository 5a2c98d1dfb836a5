"""Pushed references to other rows: each must name a live row the author may read (docs/security.md §9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from market_server.push_tx import ChunkTx, Rejected
from market_server.scope import UserScope, catalog_visible
from market_server.tables import ENTITY_TABLES
from sync.entities import ENTITIES, Entity
from sync.fields import Kind
from sync.messages import Problem


def check_refs(tx: ChunkTx, scope: UserScope, entity: Entity, values: Mapping[str, Any],
               before: Mapping[str, Any] | None = None) -> None:
    """Reject ids newly named in REF/REFS fields that do not exist, are deleted, or the author may not read.

    The fields that place the row (its parent, its institution) are checked by the scope rules already, unless the
    row has a second governing institution: written through one, it must read what the other field names (a match
    record's demand, when the writer holds the achievement's institution). Ids the row named before (`before`) are
    not checked again: a contact deleted since does not block an edit of the notes. An unreadable row and a missing
    one get the same answer, so the check tells nothing about others' rows.
    """
    placed = set() if entity.second_institution_path else {entity.parent_field, *(entity.institution_path or ())[:1]}
    problems = []
    for f in entity.fields:
        if f.kind not in (Kind.REF, Kind.REFS) or f.ref is None or f.name in placed or not values.get(f.name):
            continue
        old = (before or {}).get(f.name) or []
        added = [i for i in _ids(values[f.name]) if i not in set(_ids(old))]
        if added and not _readable(tx, scope, ENTITIES[f.ref], added, catalog=f.ref_catalog):
            problems.append(Problem(f.name, "missing_ref", {"label": f.label}))
    if problems:
        raise Rejected("validation", problems)


def _ids(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _readable(tx: ChunkTx, scope: UserScope, target: Entity, ids: list[str], *, catalog: bool = False) -> bool:
    """Every id names a live row the author reads in full (or, with `catalog`, one in the shared catalog)."""
    tx.flush()  # rows created earlier in this chunk
    table = ENTITY_TABLES[target.name]
    status = [table.c.status] if "status" in table.c else []
    rows = tx.conn.execute(select(table.c.id, table.c.scope_id, table.c.created_by, table.c.deleted, *status).where(
        table.c.id.in_(set(ids)))).all()
    found = {str(r.id): r for r in rows}
    hidden = _unlisted_scopes(tx, {str(r.scope_id) for r in rows if r.scope_id is not None}) \
        if catalog and target.institution_path else set()
    for row_id in ids:
        row = found.get(row_id)
        if row is None or row.deleted:
            return False
        if catalog and catalog_visible(target, dict(row._mapping)) and row.scope_id not in hidden:
            continue
        if target.institution_path is not None and not scope.can_read_full(row.scope_id, row.created_by):
            return False
    return True


def _unlisted_scopes(tx: ChunkTx, scope_ids: set[str]) -> set[str]:
    """Of these institutions, those whose rows are in no one else's catalog (a proposal pending or rejected)."""
    if not scope_ids:
        return set()
    inst = ENTITY_TABLES["institution"]
    return {str(i) for i in tx.conn.execute(select(inst.c.id).where(
        inst.c.id.in_(scope_ids), inst.c.status.in_(["pending", "rejected"]))).scalars()}
