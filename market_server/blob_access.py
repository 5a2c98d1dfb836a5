"""Who may read an attachment's bytes: a readable row, made by someone who held the bytes, of the checked type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from market_server.blobs import BlobStore
from market_server.scope import UserScope
from market_server.tables import ENTITY_TABLES, blob_holder
from sync.fields import utc_now
from sync.file_types import file_fits, name_refusal

UNKNOWN = ""  # holders carried over from before revision 0004: the type is detected at the first download


@dataclass(frozen=True)
class Readable:
    """The attachment row that lets this user read the bytes: its declared (and checked) type and file name."""

    mime_type: str
    filename: str


def holders(conn: Connection, sha: str) -> dict[str, str]:
    """username -> detected type, of everyone who proved they hold `sha`."""
    rows = conn.execute(select(blob_holder.c.username, blob_holder.c.mime_type).where(blob_holder.c.sha256 == sha))
    return {str(r.username): str(r.mime_type) for r in rows}


def is_holder(conn: Connection, sha: str, username: str) -> bool:
    found = conn.execute(select(blob_holder.c.sha256).where(
        blob_holder.c.sha256 == sha, blob_holder.c.username == username)).first()
    return found is not None


def add_holder(conn: Connection, sha: str, username: str, mime_type: str, size: int) -> None:
    if not is_holder(conn, sha, username):
        conn.execute(insert(blob_holder).values(sha256=sha, username=username, mime_type=mime_type, size=size,
                                                held_at=utc_now()))


def forget(conn: Connection, sha: str) -> None:
    conn.execute(delete(blob_holder).where(blob_holder.c.sha256 == sha))


def detected_type(conn: Connection, store: BlobStore, sha: str, known: dict[str, str]) -> str | None:
    """The checked type of a complete file (detected once more for holders carried over without one)."""
    types = {t for t in known.values() if t != UNKNOWN}
    if types:
        return types.pop()
    if not known or not store.has(sha):
        return None
    found = store.detect(sha)
    if found is not None:
        conn.execute(update(blob_holder).where(blob_holder.c.sha256 == sha).values(mime_type=found))
    return found


def readable(conn: Connection, store: BlobStore, scope: UserScope, sha: str) -> Readable | None:
    """The first live attachment row naming `sha` that grants this user the bytes now, or None.

    It must be readable by the user at this moment (scope loaded for this request), its author must have held the
    bytes (uploaded them, or could read them), its name must not be a program's, and its declared type must fit
    what the bytes were found to be.
    """
    table = ENTITY_TABLES["attachment"]
    refs = conn.execute(select(table.c.scope_id, table.c.created_by, table.c.mime_type, table.c.filename).where(
        table.c.sha256 == sha, table.c.deleted.is_(False)).order_by(table.c.id)).all()
    refs = [r for r in refs if scope.can_read_full(r.scope_id, r.created_by)]
    if not refs:
        return None
    known = holders(conn, sha)
    detected = detected_type(conn, store, sha, known)
    for r in refs:
        if (r.created_by in known and name_refusal(str(r.filename or "")) is None
                and file_fits(str(r.mime_type), detected)):
            return Readable(str(r.mime_type), str(r.filename))
    return None


def claim_if_readable(conn: Connection, store: BlobStore, scope: UserScope, sha: str) -> bool:
    """Whether the user holds `sha`: they uploaded it, or may read it now (then they become a holder).

    Lets a user attach a file they already downloaded without sending it again, and nothing more: rows they make
    grant the bytes to readers of those rows, who could already be given the file by them.
    """
    if not store.has(sha):
        return False
    if is_holder(conn, sha, scope.username):
        return True
    if readable(conn, store, scope, sha) is None:
        return False
    known = holders(conn, sha)
    add_holder(conn, sha, scope.username, detected_type(conn, store, sha, known) or UNKNOWN, store.size(sha))
    return True
