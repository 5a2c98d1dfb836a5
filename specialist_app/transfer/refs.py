"""Resolve reference cells (a record id or the referenced record's name) against the store and the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from specialist_app.store.tables import ENTITY_TABLES
from specialist_app.transfer.columns import fold
from sync.entities import ENTITIES
from sync.fields import Invalid
from sync.messages import Label

_UUID_LEN = 36


@dataclass
class _Known:
    ids: set[str] = field(default_factory=set)
    by_name: dict[str, list[str]] = field(default_factory=dict)


class RefIndex:
    """Ids and names of every live record per entity: the store's (loaded on first use) plus imported rows."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._known: dict[str, _Known] = {}

    def _load(self, entity: str) -> _Known:
        known = self._known.get(entity)
        if known is None:
            known = _Known()
            table = ENTITY_TABLES[entity]
            title = table.c[ENTITIES[entity].title_field]
            for row_id, name in self._conn.execute(select(table.c.id, title).where(table.c.deleted.is_(False))):
                self._remember(known, str(row_id), name)
            self._known[entity] = known
        return known

    @staticmethod
    def _remember(known: _Known, row_id: str, name: object) -> None:
        if row_id in known.ids:  # already loaded from the store (written earlier in this transaction)
            return
        known.ids.add(row_id)
        if name is not None and str(name).strip():
            known.by_name.setdefault(fold(name), []).append(row_id)

    def exists(self, entity: str, row_id: str) -> bool:
        return row_id in self._load(entity).ids

    def add(self, entity: str, row_id: str, name: object) -> None:
        """Make a row imported earlier in this file resolvable by later rows."""
        self._remember(self._load(entity), row_id, name)

    def resolve(self, entity: str, text: str) -> str:
        """The id `text` names (an id, or a unique name); raises Invalid unknown_ref / ambiguous_ref."""
        known = self._load(entity)
        value = text.strip()
        if len(value) == _UUID_LEN and value.lower() in known.ids:
            return value.lower()
        matches = known.by_name.get(fold(value), [])
        if len(matches) == 1:
            return matches[0]
        e = ENTITIES[entity]
        target = Label(e.zh, e.en)
        if not matches:
            raise Invalid("unknown_ref", value=value, target=target)
        raise Invalid("ambiguous_ref", value=value, count=len(matches), target=target)
