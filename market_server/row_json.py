"""Each pulled row's change as JSON text built by the database itself (json_object / json_build_object).

The database also writes tombstones (`fields` {}) and, on SQLite, masked catalog copies (confidential fields left
out of `fields` and named in `masked`), so a pull page is joined from database text with no per-row Python.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
)

from market_server.tables import ENTITY_TABLES
from sync.entities import ENTITIES, Entity
from sync.fields import Kind

_LIST_KINDS = (Kind.CODES, Kind.STRINGS, Kind.REFS, Kind.FIELDNAMES)
# Names any entity may mask; a row's `confidential_fields` entries outside this set (and its own fields) stay.
MASKABLE = frozenset(f.name for e in ENTITIES.values() for f in e.fields if f.can_be_confidential)
INSTITUTION_TABLE = ENTITY_TABLES["institution"]
VIEWER = "viewer"  # bind parameter: the pulling user's name (their own rows are never masked)


def _sqlite_value(table: Table, name: str, kind: Kind | None) -> ColumnElement[Any]:
    column = table.c[name]
    if kind is Kind.BOOL or name == "deleted":
        # SQLite stores booleans as 0/1; json() outside the CASE keeps the value typed as JSON.
        return func.json(case((column == literal(1), "true"), (column == literal(0), "false"), else_="null"))
    if kind in _LIST_KINDS:
        return func.json(column)  # stored as JSON text: embed it rather than quote it
    return column


def _object(dialect: str, table: Table, pairs: list[tuple[str, Any]]) -> ColumnElement[Any]:
    args: list[Any] = []
    for key, value in pairs:
        args.append(literal(key, String))
        args.append(_sqlite_value(table, value[0], value[1]) if dialect == "sqlite" and isinstance(value, tuple)
                    else table.c[value[0]] if isinstance(value, tuple) else value)
    return func.json_object(*args) if dialect == "sqlite" else func.json_build_object(*args)


def _json(dialect: str, text: str) -> ColumnElement[Any]:
    return func.json(text) if dialect == "sqlite" else literal_column(f"'{text}'::json")


def maskable_names(entity: Entity) -> list[str]:
    """The entity's fields a masked copy may leave out; none when it has no confidential-capable field."""
    if not any(f.can_be_confidential for f in entity.fields):
        return []
    return [f.name for f in entity.fields if f.name in MASKABLE]


def needs_masking(table: Table) -> ColumnElement[bool]:
    """Rows a masked (catalog) copy edits: some confidential field named, written by someone else."""
    confidential = cast(table.c.confidential_fields, Text)
    return and_(
        confidential.is_not(None), confidential.not_in(["null", "[]"]),
        or_(table.c.created_by.is_(None), table.c.created_by != bindparam(VIEWER, type_=String)),
    )


def _masked_parts(table: Table, names: list[str], fields: ColumnElement[Any]) -> tuple[Any, Any]:
    """SQLite: (fields without the row's confidential ones, the JSON list of the names left out, in the row's
    order). PostgreSQL took longer for this (json_each + json_object_agg) than the server's Python does."""
    listed = ", ".join(f"'{n}'" for n in names)  # field names from the contract: plain identifiers
    column = f"{table.name}.confidential_fields"
    named = f"FROM json_each({column}) WHERE value IN ({listed})"
    masked: ColumnElement[Any] = literal_column(f"(SELECT json_group_array(value) {named})")
    removals: ColumnElement[Any] = literal_column(f"(SELECT json_group_object(value, json('null')) {named})")
    return func.json_patch(fields, removals), masked  # a merge patch's null removes the key, order kept


def withdrawn(entity: Entity, table: Table) -> ColumnElement[bool]:
    """Rows others' catalogs must drop: a rejected institution, and every row it governs (docs/security.md §8)."""
    if entity.is_scope_root:
        return table.c.status == "rejected"
    if entity.institution_path is None:
        return false()
    inst = INSTITUTION_TABLE.alias("governing")
    return exists(select(inst.c.id).where(inst.c.id == table.c.scope_id, inst.c.status == "rejected"))


def change_json(dialect: str, entity: Entity, table: Table, masked: bool = False,
                withdrawing: bool = False) -> ColumnElement[Any]:
    """A RowChange as JSON text: entity, id, version, deleted, scope, who/when, fields, masked.

    Tombstones get `fields` {}; with `masked` (SQLite only), rows needing it (`needs_masking`, bind parameter
    VIEWER) lose their confidential fields; with `withdrawing` (others' catalog copies), `withdrawn` rows are sent as
    tombstones too. The key order is the entity's field order, as before."""
    head: list[tuple[str, Any]] = [
        ("entity", literal(entity.name, String)),
        ("id", ("id", None)),
        ("version", ("version", None)),
        ("deleted", ("deleted", None)),
        ("scope", ("scope_id", None)),
        ("updated_by", ("updated_by", None)),
        ("updated_at", ("updated_at", None)),
    ]
    fields = _object(dialect, table, [(f.name, (f.name, f.kind)) for f in entity.fields])
    none = _json(dialect, "[]")
    gone: ColumnElement[bool] = table.c.deleted.is_(True)
    tomb_head = head
    if withdrawing:
        gone = or_(gone, withdrawn(entity, table))
        tomb_head = [(k, _json(dialect, "true")) if k == "deleted" else (k, v) for k, v in head]
    whens: list[tuple[Any, Any]] = [(
        gone, _object(dialect, table, [*tomb_head, ("fields", _json(dialect, "{}")), ("masked", none)]),
    )]
    names = maskable_names(entity)
    if masked and names:
        if dialect != "sqlite":
            raise ValueError("masked copies are built in the database on SQLite only")
        kept, left_out = _masked_parts(table, names, fields)
        whens.append((needs_masking(table), _object(dialect, table, [*head, ("fields", kept), ("masked", left_out)])))
    change = case(*whens, else_=_object(dialect, table, [*head, ("fields", fields), ("masked", none)]))
    return change if dialect == "sqlite" else cast(change, Text)


@functools.cache
def cached_change_json(dialect: str, entity_name: str, table: Table, masked: bool = False,
                       withdrawing: bool = False) -> ColumnElement[Any]:
    """`change_json`, built once per (dialect, entity, table, masked, withdrawing): building it costs ~1 ms."""
    return change_json(dialect, ENTITIES[entity_name], table, masked, withdrawing)
