"""Creating, editing and deleting records: validated, with the outbox and search index kept in the same transaction.

Values are taken in (and returned in) the contract's canonical form (sync.fields); loose input (a form field,
a spreadsheet cell) is normalized first. Server-managed fields (collected_by...) are not client-editable: given
unchanged (None on create) they are ignored, given with another value they are a `server_managed` problem.
Deleting a row deletes its children (contacts, follow-ups, IP items, attachments) the same way; it is refused
(`in_use`) while other live rows need it through a required reference (visits or demands of an institution).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import RowMapping

from specialist_app.services import outbox
from specialist_app.services.record_checks import (
    parent_date_problems,
    reference_problems,
    server_managed_problems,
)
from specialist_app.services.uow import Reads, UnitOfWork
from specialist_app.store import outbox as outbox_rows
from specialist_app.store import rows as record_rows
from specialist_app.store import search_index
from specialist_app.store.rows import dump_json
from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import DEPENDENCY_ORDER, ENTITIES, Entity
from sync.fields import utc_now
from sync.ids import uuid7
from sync.merge import same_value
from sync.messages import Label, Problem, render
from sync.validation import merge_and_check, validate, without_masked


class RecordInvalid(Exception):
    """The record breaks rules; `problems` lists every one (in create_many, each with params["row"])."""

    def __init__(self, entity: str, problems: list[Problem]) -> None:
        self.entity = entity
        self.problems = problems
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh_CN") -> str:
        shown = [p.message(lang) for p in self.problems[:10]]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(render("more_items", lang, more=more))
        return render("problem_sep", lang).join(shown)


class RecordNotFound(LookupError):
    """No live row of that entity has that id."""

    def __init__(self, entity: str, id: str) -> None:
        self.entity = entity
        self.id = id
        super().__init__(f"{entity} {id} not found")


def _entity(name: str) -> Entity:
    if name not in ENTITIES:
        raise ValueError(f"unknown entity {name!r}")
    return ENTITIES[name]


def _live(conn: Connection, entity: Entity, id: str) -> RowMapping | None:
    table = ENTITY_TABLES[entity.name]
    return conn.execute(select(table).where(table.c.id == id, table.c.deleted.is_(False))).mappings().first()


def _fields(entity: Entity, row: Mapping[Any, Any]) -> dict[str, Any]:
    return {name: row[name] for name in entity.field_names()}


def get(uow: Reads, entity: str, id: str) -> dict[str, Any] | None:
    """The live row as a dict of its fields plus "id"; None if missing or deleted."""
    ent = _entity(entity)
    row = _live(uow.conn, ent, id)
    return None if row is None else {"id": row["id"], **_fields(ent, row)}


def id_taken(uow: Reads, entity: str, id: str) -> bool:
    """A row with this id is stored, live or deleted (a new record cannot take it)."""
    table = ENTITY_TABLES[entity]
    return uow.conn.execute(select(table.c.id).where(table.c.id == id)).first() is not None


def _check_new(
    conn: Connection,
    ent: Entity,
    rows: Sequence[Mapping[str, Any]],
    masked: Sequence[Sequence[str]] | None = None,
    outside_refs: bool = False,
) -> tuple[list[dict[str, Any]], list[list[Problem]]]:
    cleaned: list[dict[str, Any]] = []
    problems: list[list[Problem]] = []
    for i, raw in enumerate(rows):
        values, found = validate(ent, {k: v for k, v in raw.items() if k != "id"})
        found = without_masked(found, masked[i] if masked else ())
        found.extend(server_managed_problems(ent, values, None))
        cleaned.append(values)
        problems.append(found)
    names = [list(v) for v in cleaned]
    refs = reference_problems(conn, ent, cleaned, names, outside_ok=outside_refs)
    for extra in (refs, parent_date_problems(conn, ent, cleaned, names)):
        for found, more in zip(problems, extra, strict=True):
            found.extend(more)
    return cleaned, problems


def _insert(
    uow: UnitOfWork, ent: Entity, cleaned: list[dict[str, Any]], ids: list[str],
    masked: Sequence[Sequence[str]] | None = None,
) -> None:
    now = utc_now()
    record_rows.insert_created(uow.conn, ent, cleaned, ids, now, masked)
    entries = [(id, dump_json({k: v for k, v in values.items() if v is not None}))
               for values, id in zip(cleaned, ids, strict=True)]
    outbox_rows.add_creates(uow.conn, ent.name, entries, now)
    search_index.reindex_rows(uow.conn, ent.name, ids)


def _ids_for(rows: Sequence[Mapping[str, Any]], ids: Sequence[str | None] | None) -> list[str]:
    given = list(ids) if ids is not None else [None] * len(rows)
    if len(given) != len(rows):
        raise ValueError("ids and rows differ in length")
    out = []
    for row, id in zip(rows, given, strict=True):
        from_row = row.get("id")
        if id is not None and from_row is not None and from_row != id:
            raise ValueError(f"conflicting ids {id!r} and {from_row!r}")
        out.append(str(uuid.UUID(str(id or from_row))) if (id or from_row) else uuid7())
    return out


def create(uow: UnitOfWork, entity: str, values: Mapping[str, Any], *, id: str | None = None) -> str:
    """Insert a new row (id: UUIDv7 unless given) and its outbox entry; returns the id."""
    ent = _entity(entity)
    ids = _ids_for([values], [id])
    cleaned, problems = _check_new(uow.conn, ent, [values])
    if problems[0]:
        raise RecordInvalid(entity, problems[0])
    _insert(uow, ent, cleaned, ids)
    return ids[0]


def create_many(
    uow: UnitOfWork,
    entity: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    ids: Sequence[str | None] | None = None,
    masked: Sequence[Sequence[str]] | None = None,
    outside_refs: bool = False,
) -> list[str]:
    """Bulk create (imports): checks every row first; RecordInvalid carries all problems with params["row"].

    `masked`: per row, the confidential fields it holds only masked (empty, and stored as masked, as a pulled
    catalog copy). `outside_refs`: a reference to an id this store never held is kept (an export of a partial
    store names rows it did not receive); one to a deleted row is still a problem.
    """
    ent = _entity(entity)
    row_ids = _ids_for(rows, ids)
    cleaned, problems = _check_new(uow.conn, ent, rows, masked, outside_refs)
    flat = [Problem(p.field, p.code, {**p.params, "row": i}) for i, found in enumerate(problems) for p in found]
    if flat:
        raise RecordInvalid(entity, flat)
    if cleaned:
        _insert(uow, ent, cleaned, row_ids, masked)
    return row_ids


def update(uow: UnitOfWork, entity: str, id: str, changes: Mapping[str, Any]) -> None:
    """Change some fields of a live row; a change that changes nothing writes nothing."""
    ent = _entity(entity)
    conn = uow.conn
    row = _live(conn, ent, id)
    if row is None:
        raise RecordNotFound(entity, id)
    current = _fields(ent, row)
    raw = {k: v for k, v in changes.items() if not (k == "id" and v == id)}
    values, problems = merge_and_check(ent, current, raw)
    problems.extend(server_managed_problems(ent, values, current))
    changed = {k: v for k, v in values.items() if not same_value(v, current[k])}
    merged = {**current, **changed}
    problems.extend(reference_problems(conn, ent, [merged], [changed])[0])
    problems.extend(parent_date_problems(conn, ent, [merged], [changed])[0])
    if problems:
        raise RecordInvalid(entity, problems)
    if not changed:
        return
    now = utc_now()
    record_rows.update_fields(conn, entity, id, changed, now)
    outbox.add_update(conn, ENTITY_TABLES[entity], id, changed, current, row["server_version"], now)
    search_index.reindex_rows(conn, entity, [id])


def _children(ent: Entity) -> list[tuple[Entity, dict[str, str]]]:
    """Child entities of `ent` and how a child row names its parent (column -> value placeholder)."""
    out: list[tuple[Entity, dict[str, str]]] = []
    for name in reversed(DEPENDENCY_ORDER):
        child = ENTITIES[name]
        if child.parent_field is None:
            continue
        ref = child.field(child.parent_field).ref
        if ref == ent.name:
            out.append((child, {}))
        elif ref is None and child.has("owner_entity") and ent.name in (child.field("owner_entity").codes or ()):
            out.append((child, {"owner_entity": ent.name}))
    return out


def _in_use(conn: Connection, ent: Entity, id: str) -> list[Problem]:
    problems = []
    for other in ENTITIES.values():
        for f in other.fields:
            if f.ref == ent.name and f.required and f.name != other.parent_field:
                table = ENTITY_TABLES[other.name]
                count = conn.execute(
                    select(func.count()).where(table.c[f.name] == id, table.c.deleted.is_(False))
                ).scalar_one()
                if count:
                    params = {"count": count, "other": Label(other.zh, other.en), "label": f.label}
                    problems.append(Problem(f.name, "in_use", params))
    return problems


def _delete_row(conn: Connection, ent: Entity, row: RowMapping, now: str) -> None:
    for child, extra in _children(ent):
        table = ENTITY_TABLES[child.name]
        assert child.parent_field is not None
        query = select(table).where(table.c[child.parent_field] == row["id"], table.c.deleted.is_(False))
        for column, value in extra.items():
            query = query.where(table.c[column] == value)
        for child_row in conn.execute(query).mappings().all():
            _delete_row(conn, child, child_row, now)
    table = ENTITY_TABLES[ent.name]
    vanish = outbox.add_delete(conn, table, row["id"], _fields(ent, row), row["server_version"], now)
    if vanish:
        record_rows.delete_rows(conn, ent.name, [row["id"]])
    else:
        record_rows.tombstone(conn, ent.name, row["id"], now)
    search_index.remove_rows(conn, ent.name, [row["id"]])


def delete(uow: UnitOfWork, entity: str, id: str) -> None:
    """Tombstone a live row (and its children) with outbox entries; a never-synced new row simply vanishes."""
    ent = _entity(entity)
    row = _live(uow.conn, ent, id)
    if row is None:
        raise RecordNotFound(entity, id)
    problems = _in_use(uow.conn, ent, id)
    if problems:
        raise RecordInvalid(entity, problems)
    _delete_row(uow.conn, ent, row, utc_now())


def outbox_counts(uow: Reads) -> dict[str, int]:
    """Pending (not yet acknowledged) changes per entity; every entity is listed."""
    return {**dict.fromkeys(ENTITIES, 0), **outbox_rows.counts_by_entity(uow.conn)}


def record_counts(uow: Reads) -> dict[str, int]:
    """Live rows per entity."""
    counts: dict[str, int] = {}
    for name, table in ENTITY_TABLES.items():
        query = select(func.count()).select_from(table).where(table.c.deleted.is_(False))
        counts[name] = int(uow.conn.execute(query).scalar_one())
    return counts
