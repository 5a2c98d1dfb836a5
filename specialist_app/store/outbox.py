"""The outbox table's gateway: entries as typed rows (OutboxEntry), written and read only here (raw SQL on the push
and bulk-create paths); the coalescing rules live in services/outbox.py."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update

from specialist_app.store.rows import dump_json
from specialist_app.store.tables import outbox

PER_ENTRY_BYTES = 200  # what an entry adds to a push body besides its field texts (the envelope)


@dataclass(frozen=True)
class OutboxEntry:
    """One queued change; `sent` entries were included in a push and are never coalesced again."""

    seq: int
    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    base: dict[str, Any]
    base_version: int | None
    resolves: str | None
    sent: bool = False

    def as_mutation(self) -> dict[str, Any]:
        """The wire form (sync.protocol.Mutation)."""
        mutation: dict[str, Any] = {
            "seq": self.seq,
            "entity": self.entity,
            "id": self.row_id,
            "op": self.op,
            "fields": self.fields,
            "base": self.base,
            "base_version": self.base_version,
        }
        if self.resolves:
            mutation["resolves"] = self.resolves
        return mutation


def _decode(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value or {})


def add(conn: Connection, entity: str, row_id: str, op: str, fields: Mapping[str, Any], base: Mapping[str, Any],
        base_version: int | None, at: str, *, resolves: str | None = None) -> None:
    """A new entry (`resolves`: the conflict id it settles)."""
    conn.exec_driver_sql(
        "INSERT INTO outbox (entity, row_id, op, fields, base, base_version, resolves, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entity, row_id, op, dump_json(dict(fields)), dump_json(dict(base)), base_version, resolves, at),
    )


def add_creates(conn: Connection, entity: str, created: Iterable[tuple[str, str | None]], at: str) -> None:
    """A create entry per (row id, its fields already as JSON text): plain executemany, the bulk-create path."""
    conn.exec_driver_sql(
        "INSERT INTO outbox (entity, row_id, op, fields, base, base_version, resolves, created_at, sent_at)"
        " VALUES (?, ?, 'create', ?, '{}', NULL, NULL, ?, NULL)",
        [(entity, row_id, fields, at) for row_id, fields in created],
    )


def latest(conn: Connection, entity: str, row_id: str) -> OutboxEntry | None:
    """The row's newest entry, or None."""
    query = (select(outbox).where(outbox.c.entity == entity, outbox.c.row_id == row_id)
             .order_by(outbox.c.seq.desc()).limit(1))
    found = conn.execute(query).mappings().first()
    if found is None:
        return None
    return OutboxEntry(int(found["seq"]), entity, row_id, str(found["op"]), _decode(found["fields"]),
                       _decode(found["base"]), found["base_version"], found["resolves"], found["sent_at"] is not None)


def has_entries(conn: Connection, entity: str, row_id: str) -> bool:
    query = select(func.count()).where(outbox.c.entity == entity, outbox.c.row_id == row_id)
    return bool(conn.execute(query).scalar_one())


def rewrite(conn: Connection, seq: int, **values: Any) -> None:
    """Change an unsent entry in place (op, fields, base): coalescing."""
    conn.execute(update(outbox).where(outbox.c.seq == seq).values(**values))


def drop(conn: Connection, seqs: Iterable[int]) -> None:
    """Entries gone: answered by the server, or coalesced away."""
    rows = [(seq,) for seq in seqs]
    if rows:
        conn.exec_driver_sql("DELETE FROM outbox WHERE seq = ?", rows)


def count(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())


def counts_by_entity(conn: Connection) -> dict[str, int]:
    query = select(outbox.c.entity, func.count()).group_by(outbox.c.entity)
    return {str(name): int(n) for name, n in conn.execute(query)}


def next_batch(conn: Connection, limit: int, after_seq: int, max_bytes: int) -> list[OutboxEntry]:
    """Entries after seq `after_seq` in seq order, at most `limit`, stopping before their stored texts pass
    `max_bytes` (UTF-8 bytes; at least one entry)."""
    rows = conn.exec_driver_sql(
        "SELECT seq, entity, row_id, op, fields, base, base_version, resolves, sent_at,"
        " length(CAST(coalesce(fields, '') AS BLOB)) + length(CAST(coalesce(base, '') AS BLOB)) FROM outbox"
        " WHERE seq > ? ORDER BY seq LIMIT ?",
        (after_seq, limit),
    )
    batch: list[OutboxEntry] = []
    size = 0
    for r in rows:
        size += int(r[9] or 0) + PER_ENTRY_BYTES
        if batch and size > max_bytes:
            break
        batch.append(OutboxEntry(int(r[0]), str(r[1]), str(r[2]), str(r[3]), _decode(r[4]), _decode(r[5]), r[6], r[7],
                                 r[8] is not None))
    return batch


def mark_sent(conn: Connection, entries: Sequence[OutboxEntry], at: str) -> None:
    """Freeze these entries: once sent they are never coalesced with later edits."""
    conn.exec_driver_sql(
        "UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL", [(at, e.seq) for e in entries]
    )
