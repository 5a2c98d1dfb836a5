"""What of each entity's row the duplicate check reads: its name, identifiers, institution and unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sync.duplicates.index import DuplicateIndex, Probe
from sync.entities import ENTITIES

# Entities checked at entry, and the identifier fields compared exactly (kind, field).
CHECKED: dict[str, tuple[tuple[str, str], ...]] = {
    "institution": (("credit_code", "credit_code"),),
    "achievement": (("reg_no", "reg_no"),),
    "demand": (),
    "expert": (("phone", "phone"), ("email", "email")),
}
# Children whose rows give their parent one more identifier: child entity -> (identifier kind, field).
CHILD_CODES: dict[str, tuple[str, str]] = {"ip_item": ("patent", "number")}
# Fields whose change can change what the check finds (a save of other fields leaves the index as it is).
NAME_FIELD = {"institution": "name", "achievement": "title", "demand": "title", "expert": "name"}


def watched_fields(entity: str) -> tuple[str, ...]:
    extra = tuple(f for f in ("institution_id", "unit") if ENTITIES[entity].has(f))  # owner, or an expert's unit
    return (NAME_FIELD[entity], *(f for _, f in CHECKED[entity]), *extra)


def _codes(entity: str, row: Mapping[str, Any], patents: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    codes: list[tuple[str, str | None]] = [(kind, row.get(name)) for kind, name in CHECKED[entity]]
    codes.extend(("patent", number) for number in patents if number)
    return codes


def put_row(index: DuplicateIndex, entity: str, row: Mapping[str, Any]) -> None:
    """Index one stored row (a deleted one is removed)."""
    if row.get("deleted"):
        index.remove(entity, str(row["id"]))
        return
    index.put(
        entity, str(row["id"]), row.get(NAME_FIELD[entity]), institution_id=row.get("institution_id"),
        codes=_codes(entity, row), unit=row.get("unit"),
    )


def child_parent(child: str, row: Mapping[str, Any]) -> tuple[str, str] | None:
    """(parent entity, parent id) of a row of a CHILD_CODES entity, or None."""
    entity = ENTITIES[child]
    parent = entity.parent_name(row)
    if child not in CHILD_CODES or parent is None or entity.parent_field is None or not row.get(entity.parent_field):
        return None
    return parent, str(row[entity.parent_field]).strip().lower()


def put_child_code(index: DuplicateIndex, child: str, row: Mapping[str, Any]) -> None:
    """A child's identifier (an IP item's patent number) as one more identifier of its parent."""
    kind, name = CHILD_CODES[child]
    parent = child_parent(child, row)
    if parent is not None and not row.get("deleted") and row.get(name):
        index.add_code(parent[0], parent[1], kind, row.get(name))


INDEXED = (*CHECKED, *CHILD_CODES)  # the tables an index of a whole store reads, parents first


def columns_read(entity: str) -> list[str]:
    """The fields of `entity` an index reads (beside id and deleted)."""
    e = ENTITIES[entity]
    if entity in CHILD_CODES:
        return [f for f in (e.parent_field, e.owner_field, CHILD_CODES[entity][1]) if f]
    return [NAME_FIELD[entity], *(f for _, f in CHECKED[entity]), *(f for f in ("institution_id", "unit") if e.has(f))]


def index_row(index: DuplicateIndex, entity: str, row: Mapping[str, Any]) -> None:
    """Put a stored row of an INDEXED entity into the index."""
    if entity in CHILD_CODES:
        put_child_code(index, entity, row)
    else:
        put_row(index, entity, row)


def probe_of(
    entity: str, values: Mapping[str, Any], *, patents: Iterable[str] = (), exclude_id: str | None = None
) -> Probe:
    """The probe of a record being typed (or pushed): `values` are its fields, `patents` its IP items' numbers."""
    codes = tuple((kind, str(value)) for kind, value in _codes(entity, values, patents) if value)
    return Probe(
        entity, str(values.get(NAME_FIELD[entity]) or ""), values.get("institution_id"), codes,
        str(values.get("unit") or ""), exclude_id,
    )
