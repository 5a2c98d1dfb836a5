"""Checks of records that need the store: references to live rows, follow-up dates, server-managed fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from specialist_app.store import digests
from specialist_app.store.chunks import CHUNK
from specialist_app.store.tables import ENTITY_TABLES
from sync.digests import DIGEST_ENTITIES
from sync.entities import ENTITIES, Entity
from sync.fields import MARKET_TZ_OFFSET, Kind, parse_datetime
from sync.merge import same_value
from sync.messages import Problem


def server_managed_problems(
    entity: Entity, values: dict[str, Any], current: Mapping[str, Any] | None
) -> list[Problem]:
    """Server-managed fields are not client-editable: given unchanged (None on create) they are dropped from
    `values`; given with another value they are a `server_managed` problem (and dropped too)."""
    problems: list[Problem] = []
    for f in entity.fields:
        if f.server_managed and f.name in values:
            value = values.pop(f.name)
            if not same_value(value, (current or {}).get(f.name)):
                problems.append(Problem(f.name, "server_managed", {"label": f.label}))
    return problems


def _ref_targets(entity: Entity, name: str, record: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    f = entity.field(name)
    value = record.get(name)
    target = f.ref
    if target is None and name == entity.parent_field:
        target = entity.parent_name(record)  # an attachment's owner names its kind
    if value is None or target not in ENTITY_TABLES:
        return None, []
    return target, (list(value) if f.kind is Kind.REFS else [value])


def live_ids(conn: Connection, entity: str, ids: Iterable[str]) -> set[str]:
    """Those of `ids` that are live (not deleted) rows of `entity`."""
    table = ENTITY_TABLES[entity]
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(table.c.id).where(table.c.id.in_(chunk), table.c.deleted.is_(False))
        found.update(conn.execute(query).scalars())
    return found


def stored_ids(conn: Connection, entity: str, ids: Iterable[str]) -> set[str]:
    """Those of `ids` the store holds as rows of `entity`, deleted ones included."""
    table = ENTITY_TABLES[entity]
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        found.update(conn.execute(select(table.c.id).where(table.c.id.in_(wanted[start : start + CHUNK]))).scalars())
    return found


def reference_problems(
    conn: Connection, entity: Entity, records: Sequence[Mapping[str, Any]], names: Sequence[Iterable[str]],
    *, outside_ok: bool = False,
) -> list[list[Problem]]:
    """Per record, a `missing_ref` problem for each reference (among its `names`) to no live local row; with
    `outside_ok`, only for a reference to a deleted local row (an id the store never held is kept)."""
    refs = {f.name for f in entity.fields if f.kind in (Kind.REF, Kind.REFS)}
    ref_names = [[n for n in ns if n in refs] for ns in names]
    wanted: dict[str, set[str]] = {}
    for record, fields in zip(records, ref_names, strict=True):
        for name in fields:
            target, ids = _ref_targets(entity, name, record)
            if target:
                wanted.setdefault(target, set()).update(ids)
    live = {target: live_ids(conn, target, ids) for target, ids in wanted.items()}
    if outside_ok:  # ids the store never held count as present
        for target, named in wanted.items():
            live[target] |= named - stored_ids(conn, target, named - live[target])
    # A reference to the shared catalog may name a record held only as a digest (another province's achievement).
    catalog = {f.name for f in entity.fields if f.ref_catalog}
    digest_targets = {ENTITIES[entity.field(n).ref or ""].name for ns in ref_names for n in ns if n in catalog}
    held = {t: digests.held(conn, t, wanted[t] - live[t]) for t in digest_targets & set(wanted)
            if t in DIGEST_ENTITIES and wanted[t] - live[t]}
    out: list[list[Problem]] = []
    for record, fields in zip(records, ref_names, strict=True):
        problems = []
        for name in fields:
            target, ids = _ref_targets(entity, name, record)
            if not target:
                continue
            present = live[target] | held.get(target, set()) if name in catalog else live[target]
            if any(i not in present for i in ids):
                problems.append(Problem(name, "missing_ref", {"label": entity.field(name).label}))
        out.append(problems)
    return out


def local_date(value: str) -> str:
    """The market-local calendar date (YYYY-MM-DD) of a canonical UTC date-time."""
    return (parse_datetime(value) + MARKET_TZ_OFFSET).date().isoformat()


def parent_date_problems(
    conn: Connection, entity: Entity, records: Sequence[Mapping[str, Any]], names: Sequence[Iterable[str]]
) -> list[list[Problem]]:
    """Entity.not_before_parent: a follow-up's due_date must not be before its visit's date (visited_at, else
    planned_at; local date)."""
    if entity.not_before_parent is None or entity.parent_field is None:
        return [[] for _ in records]
    rule = entity.not_before_parent
    own, parent_fields = rule.field, rule.parent_fields
    link = entity.parent_field
    checked = [
        bool({own, link} & set(ns)) and r.get(own) and r.get(link)
        for r, ns in zip(records, names, strict=True)
    ]
    parent = ENTITIES[entity.field(link).ref or ""]
    table = ENTITY_TABLES[parent.name]
    parent_ids = {str(r[link]) for r, c in zip(records, checked, strict=True) if c}
    dates: dict[str, str] = {}
    ordered = sorted(parent_ids)
    for start in range(0, len(ordered), CHUNK):
        query = select(table.c.id, *(table.c[f] for f in parent_fields)).where(
            table.c.id.in_(ordered[start : start + CHUNK])
        )
        for pid, *found in conn.execute(query):
            first = next((v for v in found if v), None)
            if first:
                dates[pid] = local_date(first)
    out: list[list[Problem]] = []
    label = entity.field(own).label
    other = rule.parent_date
    for record, check in zip(records, checked, strict=True):
        parent_date = dates.get(str(record.get(link))) if check else None
        if parent_date and str(record[own]) < parent_date:
            out.append([Problem(own, "date_order", {"label": label, "other": other})])
        else:
            out.append([])
    return out

