"""Resolve reference cells (a record id or the referenced record's name) against known records and the file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from sync.entities import ENTITIES
from sync.fields import Invalid
from sync.messages import Label
from sync.tabular.columns import fold

_UUID_LEN = 36

# entity name -> (id, title, live) of every stored record of that entity. Tombstones (live False) keep their
# id taken but are never a reference target.
RecordLoader = Callable[[str], Iterable[tuple[str, object, bool]]]


@dataclass
class _Known:
    ids: set[str] = field(default_factory=set)  # live ids: valid reference targets
    taken: set[str] = field(default_factory=set)  # every stored id, tombstones included
    by_name: dict[str, list[str]] = field(default_factory=dict)


class RefNames:
    """Ids and names of every record per entity: the database's (loaded on first use) plus imported rows."""

    def __init__(self, load: RecordLoader, *, keep_outside_ids: bool = False) -> None:
        """`keep_outside_ids`: a well-formed id of a row neither the store nor the file holds (an export of a
        partial store names rows it never received) resolves to itself instead of being an error."""
        self._load_records = load
        self._known: dict[str, _Known] = {}
        self._keep_outside = keep_outside_ids
        self._in_file: dict[str, set[str]] = {}

    def set_file_ids(self, ids: dict[str, set[str]]) -> None:
        """The ids the file itself holds per entity (bad rows too): a reference to one of them is never outside."""
        self._in_file = ids

    def _load(self, entity: str) -> _Known:
        known = self._known.get(entity)
        if known is None:
            known = _Known()
            for row_id, name, live in self._load_records(entity):
                if live:
                    self._remember(known, str(row_id), name)
                else:
                    known.taken.add(str(row_id))
            self._known[entity] = known
        return known

    @staticmethod
    def _remember(known: _Known, row_id: str, name: object) -> None:
        if row_id in known.ids:  # already loaded from the database (written earlier in this transaction)
            return
        known.ids.add(row_id)
        known.taken.add(row_id)
        if name is not None and str(name).strip():
            known.by_name.setdefault(fold(name), []).append(row_id)

    def exists(self, entity: str, row_id: str) -> bool:
        """Whether `row_id` is already used by a record of `entity` (a deleted one included)."""
        return row_id in self._load(entity).taken

    def add(self, entity: str, row_id: str, name: object) -> None:
        """Make a row imported earlier in this file resolvable by later rows."""
        self._remember(self._load(entity), row_id, name)

    def _outside(self, entity: str, value: str) -> bool:
        """Whether `value` is a record id that neither the store (a deleted row included) nor the file holds."""
        if len(value) != _UUID_LEN:
            return False
        try:
            row_id = str(UUID(value))
        except ValueError:
            return False
        return row_id not in self._load(entity).taken and row_id not in self._in_file.get(entity, set())

    def resolve(self, entity: str, text: str) -> str:
        """The id `text` names (an id, or a unique name); raises Invalid unknown_ref / ambiguous_ref."""
        known = self._load(entity)
        value = text.strip()
        if len(value) == _UUID_LEN and value.lower() in known.ids:
            return value.lower()
        matches = known.by_name.get(fold(value), [])
        if not matches and self._keep_outside and self._outside(entity, value):
            return value.lower()
        if len(matches) == 1:
            return matches[0]
        e = ENTITIES[entity]
        target = Label(e.zh, e.en)
        if not matches:
            raise Invalid("unknown_ref", value=value, target=target)
        raise Invalid("ambiguous_ref", value=value, count=len(matches), target=target)
