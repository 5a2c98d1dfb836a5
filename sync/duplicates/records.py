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


def put_patent(index: DuplicateIndex, ip_row: Mapping[str, Any]) -> None:
    """An IP item's number as one more identifier of its achievement."""
    if not ip_row.get("deleted") and ip_row.get("number"):
        index.add_code("achievement", str(ip_row["achievement_id"]), "patent", ip_row.get("number"))


def probe_of(
    entity: str, values: Mapping[str, Any], *, patents: Iterable[str] = (), exclude_id: str | None = None
) -> Probe:
    """The probe of a record being typed (or pushed): `values` are its fields, `patents` its IP items' numbers."""
    codes = tuple((kind, str(value)) for kind, value in _codes(entity, values, patents) if value)
    return Probe(
        entity, str(values.get(NAME_FIELD[entity]) or ""), values.get("institution_id"), codes,
        str(values.get("unit") or ""), exclude_id,
    )
