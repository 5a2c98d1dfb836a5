"""Likely duplicates of a record being typed, from the local store (sync.duplicates over the store's rows).

`LocalDuplicates` holds one store's index in memory: the first `refresh` reads every institution,
achievement, demand, expert and IP number; later ones read only rows changed since (a higher server version:
pulled; an `updated_at` at or after the last refresh began: edited here), so it is cheap to call when an
editor opens. Rows removed from the store outright (an institution unassigned) are dropped when they would be shown;
a confirmed duplicate is not indexed (the hint offers the record it repeats, as the catalog search does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, literal_column, or_, select

from specialist_app.services.uow import Reads
from specialist_app.store.search_docs import unlisted
from specialist_app.store.tables import ENTITY_TABLES
from sync.duplicates import DuplicateIndex, Hit, Probe
from sync.duplicates.records import INDEXED, columns_read, index_row
from sync.fields import utc_now


@dataclass
class _Seen:
    rowid: int = 0  # the highest SQLite rowid read: rows added since have higher ones
    server_version: int = -1  # the highest read: pulled rows come with higher ones (mostly: see refresh)
    since: str = ""  # when the last refresh began: rows edited here since have an updated_at at or after it


@dataclass
class LocalDuplicates:
    index: DuplicateIndex = field(default_factory=DuplicateIndex)
    seen: dict[str, _Seen] = field(default_factory=dict)

    def refresh(self, uow: Reads) -> int:
        """Index the rows changed since the last refresh (all, the first time); returns how many were read.

        Not seen: an existing row changed by a pull of a bucket whose cursor lags the others (its version below
        the highest read) keeps its old name here until the app restarts; rare, and only a hint is missed.
        """
        read = 0
        started = utc_now()  # edits here stamp rows with this clock: later ones are at or after it
        for entity in INDEXED:
            table = ENTITY_TABLES[entity]
            seen = self.seen.setdefault(entity, _Seen())
            wanted = ["id", "deleted", "server_version", "updated_at", *columns_read(entity),
                      *(["duplicate_state"] if "duplicate_state" in table.c else [])]
            rowid: ColumnElement[int] = literal_column("rowid")
            query = select(rowid, *(table.c[c] for c in wanted)).where(
                or_(rowid > seen.rowid,  # new rows, pulled or typed
                    func.coalesce(table.c.server_version, -1) > seen.server_version,
                    table.c.updated_at >= seen.since)  # stamps are to the second: that second again
            )
            for found in uow.conn.execute(query).mappings():
                row = dict(found)
                read += 1
                row["deleted"] = unlisted(row)  # a confirmed duplicate is offered as the record it repeats
                index_row(self.index, entity, row)
                seen.server_version = max(seen.server_version, row["server_version"] or -1)
                seen.rowid = max(seen.rowid, int(row["rowid"]))
            seen.since = started
        return read

    def find(self, uow: Reads, probe: Probe, limit: int = 3) -> list[Hit]:
        """The likely duplicates of `probe` still in the store (not deleted), best first."""
        hits = self.index.find(probe, limit + 2)
        if not hits:
            return []
        table = ENTITY_TABLES[probe.entity]
        ids = [h.id for h in hits]
        present = set(uow.conn.execute(
            select(table.c.id).where(table.c.id.in_(ids), table.c.deleted.is_(False))).scalars())
        for hit in hits:
            if hit.id not in present:
                self.index.remove(hit.entity, hit.id)
        return [h for h in hits if h.id in present][:limit]
