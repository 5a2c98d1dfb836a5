"""Nothing-new pulls without page statements: high-water marks per bucket, cached per engine and brought up to the
version counter before each use (docs/sync-protocol.md, "Nothing new")."""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from market_server.tables import ENTITY_TABLES, SECOND_SCOPE, version_counter
from sync.entities import ENTITIES

SINCE = "marks_since"
CATALOG_WALK = 1000  # scopes skipped at most while looking for a user's newest catalog mark (then: maybe new)

_NAMES = tuple(ENTITY_TABLES)
_IN_CATALOG = frozenset(n for n in _NAMES if ENTITIES[n].in_catalog)
# Rows the `own` bucket may hold: entities outside the catalog, and institutions (a proposal that is not active).
_OWN_CANDIDATES = frozenset(n for n in _NAMES if not ENTITIES[n].in_catalog or ENTITIES[n].is_scope_root)


@dataclass
class Marks:
    """The highest version of the rows each bucket may hold, as of every version up to `through`.

    Each mark covers a superset of its bucket's rows (pull_heads.bucket_where), so a mark at or below the
    bucket's cursor proves the bucket has nothing new, whatever the finer rules (masking, statuses) say.
    """

    through: int = -1  # -1: nothing loaded yet
    scope: dict[str | None, int] = field(default_factory=dict)  # inst:<id>: any row it governs (first or second)
    # catalog: catalog entities' rows per governing institution (None: ungoverned), oldest mark first.
    catalog: OrderedDict[str | None, int] = field(default_factory=OrderedDict)
    # creator -> (governing institution, second governing institution or None) -> mark
    own: dict[str, dict[tuple[str | None, str | None], int]] = field(default_factory=dict)
    # Proposals still pending: what they govern is in nobody's catalog but their proposer's (an inst: bucket), and
    # their decision gives it new versions (review.set_status), so skipping them keeps the catalog marks exact.
    pending: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def apply(self, found: Iterable[tuple[int, str | None, str | None, str | None, str | None, int]]) -> None:
        """Fold in rows of versions above `through` (entity index, scope, creator, an institution's status, second
        scope, highest version), taken in ascending version so that `catalog` stays in the order of its marks."""
        for index, scope_id, creator, status, second, version in sorted(found, key=lambda row: row[5]):
            name = _NAMES[index]
            if ENTITIES[name].is_scope_root and scope_id is not None:
                (self.pending.add if status == "pending" else self.pending.discard)(scope_id)
            for governing in (scope_id, second) if second is not None else (scope_id,):
                if version > self.scope.get(governing, 0):
                    self.scope[governing] = version
            if name in _IN_CATALOG and version > self.catalog.get(scope_id, 0):
                self.catalog[scope_id] = version
                self.catalog.move_to_end(scope_id)
            if name in _OWN_CANDIDATES and creator is not None:
                mine = self.own.setdefault(creator, {})
                if version > mine.get((scope_id, second), 0):
                    mine[(scope_id, second)] = version

    def nothing_new(self, username: str, full: set[str], cursors: Mapping[str, int], inst: Mapping[str, str],
                    own: str | None, catalog: str | None) -> bool:
        """Whether no bucket (`inst`: bucket name -> institution id; `own`, `catalog`: the bucket's name, None
        when not asked for) holds a row above its cursor."""
        if any(self.scope.get(scope_id, 0) > cursors[name] for name, scope_id in inst.items()):
            return False
        if own is not None:
            mine = self.own.get(username, {})
            if any(v > cursors[own] for scopes, v in mine.items() if not any(s in full for s in scopes if s)):
                return False
        if catalog is not None:
            for walked, (scope_id, mark) in enumerate(reversed(self.catalog.items())):
                if mark <= cursors[catalog]:
                    break  # the newest mark outside the user's institutions is old for them
                if walked >= CATALOG_WALK or scope_id is None or (scope_id not in full and
                                                                  scope_id not in self.pending):
                    return False
        return True


_MARKS: weakref.WeakKeyDictionary[Engine, Marks] = weakref.WeakKeyDictionary()
_MARKS_LOCK = threading.Lock()


def marks_for(engine: Engine) -> Marks:
    with _MARKS_LOCK:
        marks = _MARKS.get(engine)
        if marks is None:
            marks = _MARKS[engine] = Marks()
        return marks


def current(conn: Connection, marks: Marks) -> Marks:
    """`marks` brought up to the version counter's value now: one primary-key read, and when the counter has moved
    one more statement reading only the versions since (several server instances share nothing else: each one's
    marks follow the one counter, so no instance needs telling)."""
    counter = int(conn.execute(_COUNTER).scalar_one())
    if counter == marks.through:
        return marks
    with marks.lock:
        if counter < marks.through:
            # Another thread brought the marks past the value read above meanwhile; read it again. Still below:
            # the database was replaced (a restore), so start again.
            counter = int(conn.execute(_COUNTER).scalar_one())
            if counter < marks.through:
                marks.through, marks.scope, marks.own, marks.pending = -1, {}, {}, set()
                marks.catalog = OrderedDict()
        if counter > marks.through:
            # Every version up to `counter` is committed (the counter's lock orders writers: "Versions"), so rows
            # above `through` and up to it are all there; the bound keeps `catalog` in the order of its marks.
            found = conn.execute(_since_statement(), {SINCE: marks.through, "marks_upto": counter}).all()
            marks.apply((int(i), s, c, p, s2, int(v)) for i, s, c, p, s2, v in found)
            marks.through = counter
    return marks


_COUNTER = select(version_counter.c.value).where(version_counter.c.id == 1)


@functools.cache
def _since_statement() -> Select[Any]:
    """Per table and (governing institution, creator[, second governing institution]): the highest version in
    (SINCE, marks_upto]; institutions (each its own scope) with their status."""
    parts = []
    for index, table in enumerate(ENTITY_TABLES.values()):
        where = (table.c.version > bindparam(SINCE)) & (table.c.version <= bindparam("marks_upto"))
        keys = [table.c.scope_id, table.c.created_by]
        root = ENTITIES[table.name].is_scope_root
        if root:
            keys.append(table.c.status)
        status = table.c.status if root else cast(null(), String(32))
        second = table.c[SECOND_SCOPE] if SECOND_SCOPE in table.c else cast(null(), String(36))
        if SECOND_SCOPE in table.c:
            keys.append(table.c[SECOND_SCOPE])
        parts.append(select(literal_column(str(index)).label("t"), table.c.scope_id, table.c.created_by,
                            status.label("status"), second.label("s2"), func.max(table.c.version).label("v"))
                     .where(where).group_by(*keys))
    return union_all(*parts)  # type: ignore[return-value]
