"""Operations on conflicts and rejections: listing them, resolving conflicts (mine, theirs or merged), dismissing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import conflicts as conflict_rows
from specialist_app.store import outbox, search_index
from specialist_app.store.conflicts import ConflictRow
from specialist_app.store.conflicts import list_conflicts as list_conflicts  # the dialogs and the CLI list here
from specialist_app.store.conflicts import list_rejections as list_rejections
from specialist_app.store.db import Store
from specialist_app.store.rows import field_names, load_rows, upsert_rows
from sync.entities import ENTITIES
from sync.fields import normalize, utc_now
from sync.merge import DELETED

Keep = Literal["mine", "theirs"]


class ConflictNotFound(LookupError):
    """No open conflict has this id; `code` keys sync.messages."""

    code = "conflict_not_found"

    def __init__(self, conflict_id: str) -> None:
        super().__init__(conflict_id)
        self.params = {"id": conflict_id}


def _enqueue(
    conn: Connection, entity: str, row_id: str, op: str, fields: dict[str, Any], base: dict[str, Any],
    base_version: int | None, resolves: str,
) -> None:
    outbox.add(conn, entity, row_id, op, fields, base, base_version, utc_now(), resolves=resolves)


def resolve(store: Store, conflict_id: str, keep: Keep) -> dict[str, Any]:
    """Resolve an open conflict; the choice reaches the server through the outbox (with `resolves`)."""
    with UnitOfWork(store) as uow:
        item = _settle(uow.conn, conflict_id, keep)
        uow.commit()
    return {**item, "kept": keep}


@dataclass(frozen=True)
class Settle:
    """One conflict's choice: keep "mine" or "theirs", or "merged" with `value` (a canonical field value)."""

    conflict_id: str
    keep: Literal["mine", "theirs", "merged"]
    value: Any = None


def resolve_all(store: Store, choices: Sequence[Settle]) -> int:
    """Settle these conflicts in one transaction; a merged value is "theirs" plus an ordinary edit of the field
    (both sync). Anything refused (a record rule, a conflict gone) raises and leaves every conflict open."""
    with UnitOfWork(store) as uow:
        _settle_all(uow, choices)
        uow.commit()
    return len(choices)


@dataclass(frozen=True)
class Typed:
    """A dialog's choice for one conflict: "mine", "theirs", or "merged" with `merged_text` as the user typed it."""

    conflict_id: str
    keep: str
    merged_text: str = ""


def merged_value(entity_name: str, field_name: str, text: str) -> Any:
    """The canonical value of a typed merged value; raises sync.fields.Invalid when it cannot be read."""
    return normalize(ENTITIES[entity_name].field(field_name), text)


def resolve_typed(store: Store, choices: Sequence[Typed]) -> int:
    """The conflicts dialog's choices for the conflicts still open, read, checked and settled in one transaction:
    a merged text that cannot be read (sync.fields.Invalid) or an edit a record rule refuses leaves every conflict
    open. Returns how many were settled."""
    with UnitOfWork(store) as uow:
        open_by_id = {str(c["id"]): c for c in conflict_rows.list_conflicts(uow.conn)}
        settle = [
            Settle(c.conflict_id, "merged", merged_value(str(item["entity"]), str(item["field"]), c.merged_text))
            if c.keep == "merged" else Settle(c.conflict_id, "mine" if c.keep == "mine" else "theirs")
            for c in choices if (item := open_by_id.get(c.conflict_id)) is not None
        ]
        _settle_all(uow, settle)
        uow.commit()
    return len(settle)


def _settle_all(uow: UnitOfWork, choices: Sequence[Settle]) -> None:
    for choice in choices:
        if choice.keep == "merged":
            item = _settle(uow.conn, choice.conflict_id, "theirs")
            records.update(uow, str(item["entity"]), str(item["row_id"]), {str(item["field"]): choice.value})
        else:
            _settle(uow.conn, choice.conflict_id, choice.keep)


def _settle(conn: Connection, conflict_id: str, keep: Keep) -> ConflictRow:
    if keep not in ("mine", "theirs"):
        raise ValueError(f"keep must be 'mine' or 'theirs', not {keep!r}")
    found = [c for c in conflict_rows.list_conflicts(conn) if c["id"] == conflict_id]
    if not found:
        raise ConflictNotFound(conflict_id)
    item = found[0]
    entity, row_id = str(item["entity"]), str(item["row_id"])
    row = load_rows(conn, entity, [row_id]).get(row_id)
    if row is None:
        row = {"id": row_id, "server_version": None, "base_version": None, "deleted": True}
    version = row.get("server_version")
    if item["field"] == DELETED:
        _resolve_delete(conn, item, row, keep)
    elif keep == "mine":
        row[item["field"]] = item["mine"]
        _write_row(conn, entity, row)
        _enqueue(conn, entity, row_id, "update", {item["field"]: item["mine"]}, {item["field"]: item["theirs"]},
                 version, conflict_id)
    else:
        row[item["field"]] = item["theirs"]
        _write_row(conn, entity, row)
        _enqueue(conn, entity, row_id, "update", {}, {}, version, conflict_id)
    conflict_rows.mark_resolved(conn, conflict_id, utc_now())
    return item


def _resolve_delete(conn: Connection, item: ConflictRow, row: dict[str, Any], keep: Keep) -> None:
    entity, row_id, cid = str(item["entity"]), str(item["row_id"]), str(item["id"])
    version = row.get("server_version")
    names = field_names(entity)
    server_deleted = item["theirs"] is True
    if server_deleted:
        if keep == "theirs":  # the server's delete wins: drop the local row too
            row["deleted"] = True
            _write_row(conn, entity, row)
            _enqueue(conn, entity, row_id, "delete", {}, {}, version, cid)
        else:  # restore the row on the server with the local values
            row["deleted"] = False
            _write_row(conn, entity, row)
            values = {n: row.get(n) for n in names if row.get(n) is not None}
            _enqueue(conn, entity, row_id, "create", values, {}, version, cid)
        return
    theirs = item["theirs"] if isinstance(item["theirs"], dict) else {}
    current = {n: row.get(n) for n in names}
    current.update(theirs)
    if keep == "mine":  # delete it after all, knowing the server's current values
        row["deleted"] = True
        _write_row(conn, entity, row)
        _enqueue(conn, entity, row_id, "delete", {}, current, version, cid)
    else:  # the other side's edit wins: bring the row back with their values
        row.update(theirs)
        row["deleted"] = False
        _write_row(conn, entity, row)
        _enqueue(conn, entity, row_id, "update", {}, {}, version, cid)


def _write_row(conn: Connection, entity: str, row: dict[str, Any]) -> None:
    row["updated_at"] = utc_now()
    upsert_rows(conn, entity, [row])
    search_index.reindex_rows(conn, entity, [str(row["id"])])


def dismiss_rejection(store: Store, seq: int) -> bool:
    """Hide a rejected change from the list (the refused edit stays undone on the server); False if already hidden."""
    with UnitOfWork(store) as uow:
        hidden = conflict_rows.dismiss(uow.conn, seq, utc_now())
        uow.commit()
    return hidden
