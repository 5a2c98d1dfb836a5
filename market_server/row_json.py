"""Each pulled row's change as JSON text built by the database itself (json_object / json_build_object).

Building the JSON in SQL keeps per-row Python work to a few reads: the page is assembled from
pre-serialised fragments, and only rows that need masking or are tombstones are decoded in Python.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import ColumnElement, String, Table, Text, case, cast, func, literal, literal_column

from sync.entities import ENTITIES, Entity
from sync.fields import Kind

_LIST_KINDS = (Kind.CODES, Kind.STRINGS, Kind.REFS, Kind.FIELDNAMES)


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


def change_json(dialect: str, entity: Entity, table: Table) -> ColumnElement[Any]:
    """A RowChange (before masking) as JSON text: entity, id, version, deleted, scope, who/when, fields."""
    fields = _object(dialect, table, [(f.name, (f.name, f.kind)) for f in entity.fields])
    change = _object(dialect, table, [
        ("entity", literal(entity.name, String)),
        ("id", ("id", None)),
        ("version", ("version", None)),
        ("deleted", ("deleted", None)),
        ("scope", ("scope_id", None)),
        ("updated_by", ("updated_by", None)),
        ("updated_at", ("updated_at", None)),
        ("fields", fields),
        ("masked", func.json("[]") if dialect == "sqlite" else literal_column("'[]'::json")),
    ])
    return change if dialect == "sqlite" else cast(change, Text)


@functools.cache
def cached_change_json(dialect: str, entity_name: str, table: Table) -> ColumnElement[Any]:
    """`change_json`, built once per (dialect, entity, table): building it costs ~1 ms per table and request."""
    return change_json(dialect, ENTITIES[entity_name], table)
