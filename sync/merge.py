"""Merge rules, shared by both ends: a three-way, field-by-field merge of a client's change into a row.

Each change carries, per field, the value the client started from (base) and its new value (mine); the
server row holds the current value (theirs). Per field: theirs == mine -> nothing to do; theirs == base ->
take mine; otherwise both sides changed the field differently: a conflict, kept with all three values.
Comparing values (not versions) makes a device's own earlier writes never conflict with its later ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    APPLIED = "applied"  # the row had not changed since the client's base
    MERGED = "merged"  # the row had changed, but in other fields: both kept
    CONFLICT = "conflict"  # the same field changed on both sides: server value kept, conflict recorded
    REJECTED = "rejected"  # validation or permission: nothing written


DELETED = "__deleted__"  # pseudo-field naming a delete in a conflict


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str  # a field name, or DELETED for delete-versus-edit
    base: Any
    theirs: Any
    mine: Any


@dataclass(frozen=True, slots=True)
class MergeResult:
    to_apply: dict[str, Any]  # fields to write to the row
    conflicts: list[FieldConflict]
    row_changed_elsewhere: bool  # the row differed from the client's base in some field

    @property
    def outcome(self) -> Outcome:
        if self.conflicts:
            return Outcome.CONFLICT
        return Outcome.MERGED if self.row_changed_elsewhere else Outcome.APPLIED


def merge_update(
    theirs: Mapping[str, Any], base: Mapping[str, Any], mine: Mapping[str, Any]
) -> MergeResult:
    """Merge a field-level update (`mine`, started from `base`) into the current row `theirs`."""
    to_apply: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    elsewhere = False
    for name, new in mine.items():
        current = theirs.get(name)
        started = base.get(name)
        if same_value(current, new):
            continue
        if same_value(current, started):
            to_apply[name] = new
        else:
            conflicts.append(FieldConflict(name, started, current, new))
    for name, started in base.items():
        if name not in mine and not same_value(theirs.get(name), started):
            elsewhere = True
    if conflicts:
        elsewhere = True
    return MergeResult(to_apply, conflicts, elsewhere)


def merge_delete(theirs: Mapping[str, Any], base: Mapping[str, Any], fields: Iterable[str]) -> MergeResult:
    """A delete wins only if nobody else changed the row since the client's base; else it is a conflict."""
    changed = {name: theirs.get(name) for name in fields if not same_value(theirs.get(name), base.get(name))}
    if changed:
        return MergeResult({}, [FieldConflict(DELETED, False, changed, True)], True)
    return MergeResult({}, [], False)


def rebase(incoming: Mapping[str, Any], local: Mapping[str, Any], pending: Iterable[str]) -> dict[str, Any]:
    """The row to keep locally when `incoming` arrives while `pending` fields hold unsent local edits."""
    keep = set(pending)
    return {name: (local.get(name) if name in keep else value) for name, value in incoming.items()}


def same_value(a: Any, b: Any) -> bool:
    """Equal as canonical values (1 == 1.0; None equals only None): how the merge and local edits compare."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return float(a) == float(b)
    return bool(a == b)
