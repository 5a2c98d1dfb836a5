"""Which entity a sheet holds and which field each of its columns fills, from header texts."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sync.entities import DEPENDENCY_ORDER, ENTITIES, Entity
from sync.fields import Field, Kind
from sync.messages import Label, render
from sync.tabular.messages import TransferError

# Entities a spreadsheet can carry, parents before children (attachments move as files, not rows).
IMPORT_ENTITIES: tuple[str, ...] = tuple(name for name in DEPENDENCY_ORDER if ENTITIES[name].importable)
# What the server's catalog import (`market-server import`) takes: the shared catalog and its children.
# Visits and follow-ups are field records that specialists push.
CATALOG_IMPORT_ENTITIES: tuple[str, ...] = tuple(n for n in IMPORT_ENTITIES if ENTITIES[n].catalog_importable)

# The record id column: written by exports, honoured by imports.
ID_HEADER = Label("记录编号", "ID")
_ID_KEYS = ("记录编号", "id", "record id", "编号")
# Sheets of a template that explain the columns; never imported.
INSTRUCTION_SHEETS = frozenset({"说明", "填写说明", "instructions"})

ID = "id"  # column target for the record id
# Which confidential fields this store holds only masked (another person's catalog copy): written by exports so
# a masked value re-imports as masked, never as an empty (and so invalid) one.
MASKED = "masked"
MASKED_HEADER = Label("已隐去的保密字段", "Masked fields")
_MASKED_KEYS = ("已隐去的保密字段", "masked fields", "masked")


def has_maskable(entity: Entity) -> bool:
    return any(f.can_be_confidential for f in entity.fields)


def fold(text: object) -> str:
    """Header text as compared: NFKC (full-width brackets become ASCII), no spaces, case-folded, no '*'."""
    folded = "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()
    return folded.rstrip("*")


def header_keys(f: Field) -> list[str]:
    """Every header text that names field `f` (folded)."""
    keys = [f.zh, f.en, f.name, *f.aliases]
    if f.kind in (Kind.REF, Kind.REFS) and f.name.endswith("_id"):
        keys.append(f.name.removesuffix("_id"))
    return [fold(k) for k in keys]


def field_lookup(entity: Entity) -> dict[str, str]:
    """Folded header text -> field name (plus the id column unless a field already uses that text)."""
    lookup: dict[str, str] = {}
    for f in entity.fields:
        for key in header_keys(f):
            lookup.setdefault(key, f.name)
    for key in _ID_KEYS:
        lookup.setdefault(fold(key), ID)
    if has_maskable(entity):
        for key in _MASKED_KEYS:
            lookup.setdefault(fold(key), MASKED)
    return lookup


def header_text(entity: Entity, target: str, lang: str) -> str:
    """The header an export or template writes for a field (or the id column) in `lang`."""
    label = ID_HEADER if target == ID else MASKED_HEADER if target == MASKED else entity.field(target).label
    return label.text(lang)


@dataclass(frozen=True)
class Column:
    """One used column of a sheet: its position, its header as written in the file, and its target."""

    index: int
    header: str
    target: str  # a field name, or ID


@dataclass(frozen=True)
class SheetPlan:
    """How to read one sheet: the entity its rows are, and the columns that carry values."""

    entity: Entity
    columns: tuple[Column, ...]

    def position_of(self, target: str) -> int:
        """The index of the column holding `target`; a large number when the file has no such column."""
        return next((col.index for col in self.columns if col.target == target), 1 << 16)

    def header_for(self, target: str, lang: str) -> str:
        """The header of the column holding `target` as written in the file, else its label in `lang`."""
        for col in self.columns:
            if col.target == target:
                return col.header
        return header_text(self.entity, target, lang)


def entity_by_name(text: str) -> Entity | None:
    """The importable entity named by `text` (its name, zh or en label), or None."""
    key = fold(text)
    for name in IMPORT_ENTITIES:
        e = ENTITIES[name]
        if key in (fold(e.name), fold(e.zh), fold(e.en)):
            return e
    return None


def entity_choices(lang: str) -> str:
    sep = render("enum_sep", lang)
    return sep.join(f"{name}（{ENTITIES[name].zh}）" for name in IMPORT_ENTITIES)


def detect_entity(sheet_name: str, headers: list[str], lang: str = "zh_CN") -> Entity:
    """The entity a sheet holds: by its name, else by the headers that best fit one entity's fields."""
    by_name = entity_by_name(sheet_name)
    if by_name is not None:
        return by_name
    keys = [fold(h) for h in headers if fold(h)]
    scored: list[tuple[int, bool, Entity]] = []
    for name in IMPORT_ENTITIES:
        e = ENTITIES[name]
        lookup = field_lookup(e)
        matched = {lookup[k] for k in keys if k in lookup and lookup[k] not in (ID, MASKED)}
        has_required = all(f.name in matched for f in e.fields
                           if f.required and not f.server_managed and f.default is None)
        if matched:
            scored.append((len(matched), has_required, e))
    if not scored:
        raise TransferError("sheet_entity_unknown", sheet=sheet_name, choices=entity_choices(lang))
    best = max((s[0], s[1]) for s in scored)
    winners = [e for n, req, e in scored if (n, req) == best]
    if len(winners) > 1:
        sep = render("enum_sep", lang)
        names = sep.join(f"{e.name}（{e.zh}）" for e in winners)
        raise TransferError("sheet_entity_ambiguous", sheet=sheet_name, choices=names)
    return winners[0]


def plan_sheet(entity: Entity, sheet_name: str, headers: list[str], lang: str = "zh_CN") -> SheetPlan:
    """Map each non-empty header to a field; unknown or repeated columns are a file error."""
    lookup = field_lookup(entity)
    columns: list[Column] = []
    unknown: list[str] = []
    by_target: dict[str, list[str]] = {}
    for index, header in enumerate(headers):
        text = str(header).strip() if header is not None else ""
        if not text:
            continue
        target = lookup.get(fold(text))
        if target is None:
            unknown.append(text)
            continue
        by_target.setdefault(target, []).append(text)
        columns.append(Column(index, text, target))
    sep = render("enum_sep", lang)
    if unknown:
        raise TransferError(
            "unknown_columns", sheet=sheet_name, entity=Label(entity.zh, entity.en), columns=sep.join(unknown)
        )
    repeated = [sep.join(texts) for texts in by_target.values() if len(texts) > 1]
    if repeated:
        raise TransferError("duplicate_columns", sheet=sheet_name, columns="; ".join(repeated))
    return SheetPlan(entity, tuple(columns))
