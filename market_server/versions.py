"""Row versions from the one server-wide counter (see docs/sync-protocol.md, "Versions")."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, or_, select, update

from market_server.tables import ENTITY_TABLES, scope_columns, version_counter


def allocate(conn: Connection, count: int = 1) -> int:
    """Reserve `count` consecutive versions and return the first.

    Must run inside the writing transaction, before its first entity write: the UPDATE takes the counter
    row's lock (PostgreSQL row lock, SQLite's database write lock) and holds it until commit, so writers
    commit in version order and a pull never sees version N+1 before N is visible.
    """
    stmt = (
        update(version_counter)
        .where(version_counter.c.id == 1)
        .values(value=version_counter.c.value + count)
        .returning(version_counter.c.value)
    )
    last = conn.execute(stmt).scalar_one()
    return int(last) - count + 1


class VersionBlock:
    """Versions handed out from blocks reserved with `allocate`, so a transaction writing many rows
    touches the counter once per block (unused versions leave gaps, which cursors do not mind)."""

    BLOCK = 64

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._next = allocate(conn, self.BLOCK)  # also takes the writers' lock for this transaction
        self._end = self._next + self.BLOCK

    def next(self) -> int:
        if self._next >= self._end:
            self._next = allocate(self.conn, self.BLOCK)
            self._end = self._next + self.BLOCK
        value = self._next
        self._next += 1
        return value


def current(conn: Connection) -> int:
    return int(conn.execute(select(version_counter.c.value).where(version_counter.c.id == 1)).scalar_one())


def bump_scope(conn: Connection, institution_id: str, next_version: Callable[[], int] | None = None) -> int:
    """Give every row governed by `institution_id` (first or second) a new version, so every bucket re-sends it.

    Used when who may see those rows changes (an unassignment; an institution moving to another province, which
    moves its rows between the province catalogs and the digest feeds): the rows reach each user again through
    the buckets or feed that now cover them. `next_version` hands out the versions when the transaction already
    holds a block of its own (a push); else they are allocated here. Returns the number of rows bumped.
    """
    total = 0
    for table in ENTITY_TABLES.values():
        ids = list(conn.execute(
            select(table.c.id).where(or_(*(c == institution_id for c in scope_columns(table))))
            .order_by(table.c.version)
        ).scalars())
        if not ids:
            continue
        first = allocate(conn, len(ids)) if next_version is None else 0
        for offset, row_id in enumerate(ids):
            version = first + offset if next_version is None else next_version()
            conn.execute(update(table).where(table.c.id == row_id).values(version=version))
        total += len(ids)
    return total
