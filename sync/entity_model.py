"""The entity model: the Entity type and the rules it carries (sync.entities states every entity with it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sync.fields import Field, Kind
from sync.messages import Label


class Writes(StrEnum):
    """Who writes an entity's rows (sync.permissions applies it; administrators write everything)."""

    SCOPED = "scoped"  # a specialist, for an institution assigned to them or their own pending proposal
    PROPOSAL = "proposal"  # a specialist proposes new ones, and changes only their own while it is pending
    ADMIN = "admin"  # administrators only
    NOTE = "note"  # anyone sends one; once sent it is the market's (administrators only change or close it)


@dataclass(frozen=True)
class RequiredWhen:
    """A record rule: `field` must have a value when `when` holds `value` (message `code`, the field's label)."""

    field: str
    when: str
    value: str
    code: str


@dataclass(frozen=True)
class NotBeforeParent:
    """A date of a child row that must not fall before its parent's date (the first of `parent_fields` set)."""

    field: str
    parent_fields: tuple[str, ...]
    parent_date: Label  # what the parent's date is called in the message


@dataclass(frozen=True)
class Entity:
    """A syncable record type, and the facts about it that code elsewhere reads instead of testing its name."""

    name: str  # also the table name on both ends
    zh: str
    en: str
    fields: tuple[Field, ...]
    # Field names leading to the governing institution: () for an institution itself, ("institution_id",)
    # for a direct link, ("visit_id", "institution_id") through a parent. None: not institution-scoped.
    institution_path: tuple[str, ...] | None
    # A second governing institution, reached the same way from another reference (a match record: its
    # achievement's institution): its specialists read and write the row too. The path's first field is set once
    # (empty -> a record, then fixed): a pull sends nothing to a bucket a row has left.
    second_institution_path: tuple[str, ...] | None = None
    parent_field: str | None = None  # for child entities: the reference to the parent row
    in_catalog: bool = False  # public part readable by every specialist
    title_field: str = "name"
    writes: Writes = Writes.SCOPED
    owner_field: str | None = None  # a child whose parent may be of several kinds: the field naming the kind
    # Child entities edited as tables inside this one's editor (each points here with its parent_field).
    children: tuple[str, ...] = ()
    stamps_collector: bool = False  # the server writes who sent its create into collected_by
    holds_file: bool = False  # a row describes a stored file (type, name and size checked at both ends)
    importable: bool = True  # spreadsheets carry it
    catalog_importable: bool = True  # the market's catalog import carries it (a visit is a specialist's own work)
    # Only rows whose `status` is this are in the shared catalog (proposals wait for review); None: all are.
    listed_status: str | None = None
    # Date fields that must not come before another one: (later, earlier) pairs.
    date_order: tuple[tuple[str, str], ...] = ()
    rules: tuple[RequiredWhen, ...] = ()
    not_before_parent: NotBeforeParent | None = None

    def __post_init__(self) -> None:
        # Looked up per field per row on hot paths (validation, import, pull): build the index once.
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    by_name: dict[str, Field] = dataclasses.field(init=False, repr=False, compare=False)

    def field(self, name: str) -> Field:
        return self.by_name[name]

    def has(self, name: str) -> bool:
        return name in self.by_name

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def editable_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.server_managed]

    def searchable_fields(self) -> list[Field]:
        return [f for f in self.fields if f.searchable]

    @property
    def governing_paths(self) -> tuple[tuple[str, ...], ...]:
        """Every path to a governing institution: institution_path, then second_institution_path when set."""
        return tuple(p for p in (self.institution_path, self.second_institution_path) if p is not None)

    @property
    def is_scope_root(self) -> bool:
        """Rows of it are the institutions whose scope governs who reads and writes the others."""
        return self.institution_path == ()

    def parent_name(self, values: Mapping[str, Any]) -> str | None:
        """The entity name of a child row's parent: its parent field's reference, or for a row with several kinds
        of owner (an attachment) the kind the row names in `owner_field`."""
        if self.parent_field is None:
            return None
        ref = self.field(self.parent_field).ref
        if ref is not None:
            return ref
        owner = values.get(self.owner_field) if self.owner_field else None
        return str(owner) if owner else None


def _f(name: str, kind: Kind, zh: str, en: str, **kw: object) -> Field:
    return Field(name, kind, zh, en, **kw)  # type: ignore[arg-type]
