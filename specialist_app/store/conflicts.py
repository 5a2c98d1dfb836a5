"""The conflict and rejection tables' gateway: what the server answered "conflict" or refused, until the user
settles or dismisses it. Rows come back as dicts of the columns, JSON columns decoded."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NotRequired, TypedDict

from sqlalchemy import Connection

from specialist_app.store.rows import dump_json
from sync.merge import DELETED

CONFLICT_COLUMNS = ("id", "entity", "row_id", "field", "base", "theirs", "mine", "theirs_by", "theirs_at",
                    "created_at", "resolved_at")
REJECTION_COLUMNS = ("seq", "entity", "row_id", "op", "fields", "reason", "problems", "message", "created_at")


class ConflictRow(TypedDict):
    """One field in conflict: the server's and this device's values over their common base."""

    id: str
    entity: str
    row_id: str
    field: str
    base: Any
    theirs: Any
    mine: Any
    theirs_by: str | None
    theirs_at: str | None
    created_at: str
    resolved_at: str | None
    title: NotRequired[str]  # the record's title, added by the lists that show it


class RejectionRow(TypedDict):
    """A change the server refused (or an attachment file's bytes, under a negative seq)."""

    seq: int
    entity: str
    row_id: str
    op: str
    fields: Any
    reason: str
    problems: Any
    message: str | None
    created_at: str
    title: NotRequired[str]


def _load(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def list_conflicts(conn: Connection, *, include_resolved: bool = False) -> list[ConflictRow]:
    """Conflicts, oldest first (base, theirs, mine decoded)."""
    where = "" if include_resolved else " WHERE resolved_at IS NULL"
    query = f"SELECT {', '.join(CONFLICT_COLUMNS)} FROM conflict{where} ORDER BY created_at, id"
    return [ConflictRow(id=str(r[0]), entity=str(r[1]), row_id=str(r[2]), field=str(r[3]), base=_load(r[4]),
                        theirs=_load(r[5]), mine=_load(r[6]), theirs_by=r[7], theirs_at=r[8], created_at=str(r[9]),
                        resolved_at=r[10])
            for r in conn.exec_driver_sql(query)]


def count_open(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM conflict WHERE resolved_at IS NULL").scalar_one())


def add_conflicts(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """(id, entity, row_id, field, base, theirs, mine, theirs_by, theirs_at, created_at) per field; base, theirs
    and mine as values (stored as JSON). A conflict the server reports again is opened again with its values."""
    conn.exec_driver_sql(
        "INSERT INTO conflict (id, entity, row_id, field, base, theirs, mine, theirs_by, theirs_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET base = excluded.base,"
        " theirs = excluded.theirs, mine = excluded.mine, resolved_at = NULL",
        [(*r[:4], dump_json(r[4]), dump_json(r[5]), dump_json(r[6]), *r[7:]) for r in rows],
    )


def refresh_theirs(conn: Connection, updates: Iterable[tuple[Any, str]]) -> None:
    """(the server's current value, conflict id): keep "theirs" current as pulls bring newer values (a server
    delete stays one)."""
    rows = [(dump_json(value), cid) for value, cid in updates]
    if rows:
        conn.exec_driver_sql("UPDATE conflict SET theirs = ? WHERE id = ?"
                             f" AND NOT (field = '{DELETED}' AND theirs = 'true')", rows)


def mark_resolved(conn: Connection, conflict_id: str, at: str) -> None:
    conn.exec_driver_sql("UPDATE conflict SET resolved_at = ? WHERE id = ?", (at, conflict_id))


def list_rejections(conn: Connection, *, include_dismissed: bool = False) -> list[RejectionRow]:
    """Refused changes by seq (fields, problems decoded)."""
    where = "" if include_dismissed else " WHERE dismissed_at IS NULL"
    query = f"SELECT {', '.join(REJECTION_COLUMNS)} FROM rejection{where} ORDER BY seq"
    return [RejectionRow(seq=int(r[0]), entity=str(r[1]), row_id=str(r[2]), op=str(r[3]), fields=_load(r[4]),
                         reason=str(r[5]), problems=_load(r[6]), message=r[7], created_at=str(r[8]))
            for r in conn.exec_driver_sql(query)]


def count_rejections(conn: Connection) -> int:
    """Refused changes not dismissed."""
    return int(conn.exec_driver_sql("SELECT count(*) FROM rejection WHERE dismissed_at IS NULL").scalar_one())


def open_rejection_rows(conn: Connection) -> list[tuple[str, str]]:
    """(entity, row id) of every refused change not dismissed."""
    rows = conn.exec_driver_sql("SELECT entity, row_id FROM rejection WHERE dismissed_at IS NULL")
    return [(str(entity), str(row_id)) for entity, row_id in rows]


def add_rejection(conn: Connection, seq: int, entity: str, row_id: str, op: str, fields: Any, reason: str,
                  problems: Any, message: str | None, at: str) -> None:
    """A refused change, under its outbox seq (a later refusal of the same seq replaces it)."""
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO rejection (seq, entity, row_id, op, fields, reason, problems, message, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, entity, row_id, op, dump_json(fields) or "{}", reason, dump_json(problems), message, at),
    )


def settle_rejections(conn: Connection, accepted: Sequence[tuple[str, str, int, str, Iterable[str]]],
                      at: str) -> int:
    """Changes the server accepted, (entity, row id, seq, op, field names): an earlier refusal of the same record is
    fixed when the accepted change carried every field the refused one did (a delete settles everything).
    Returns how many were fixed."""
    fixed = 0
    for entity, row_id, seq, op, names in accepted:
        found = conn.exec_driver_sql(
            "SELECT seq, op, fields FROM rejection WHERE entity = ? AND row_id = ? AND seq < ?"
            " AND dismissed_at IS NULL", (entity, row_id, seq)).fetchall()
        carried = set(names)
        for refused_seq, refused_op, fields in found:
            refused = set(_load(fields) or {}) if refused_op != "delete" else {"*"}
            if op == "delete" or (refused_op in (op, "update") and refused <= carried):
                conn.exec_driver_sql("UPDATE rejection SET dismissed_at = ? WHERE seq = ?", (at, refused_seq))
                fixed += 1
    return fixed


def lowest_rejection_seq(conn: Connection) -> int:
    """The smallest seq in use, 0 if none is below 0 (refusals of file bytes count down from -1)."""
    return min(int(conn.exec_driver_sql("SELECT min(seq) FROM rejection").scalar() or 0), 0)


def dismiss(conn: Connection, seq: int, at: str) -> bool:
    """Hide a refused change; False if it was already hidden."""
    result = conn.exec_driver_sql(
        "UPDATE rejection SET dismissed_at = ? WHERE seq = ? AND dismissed_at IS NULL", (at, seq))
    return bool(result.rowcount)
