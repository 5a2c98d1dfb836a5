"""Catalog snapshots: opaque files at <blob dir>/snapshots/<sha256>.snapshot, their rows, retention, the offer rule."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Text, and_, cast, delete, exists, insert, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from market_server import versions
from market_server.accounts import User
from market_server.scope import load_scope
from market_server.tables import ENTITY_TABLES, catalog_snapshot
from sync.entities import ENTITIES
from sync.fields import utc_now
from sync.protocol import CatalogSnapshotInfo

KEEP_PER_FORMAT = 2
STALE_UPLOAD_SECONDS = 24 * 3600  # a temp file this old belongs to an upload that died (any instance)
_TEMP_SUFFIX = ".part"


class SnapshotError(ValueError):
    """A refused snapshot request: HTTP status, a sync.messages code, a reason (English, for `detail`) and, for
    the answer's `details`, a short machine-readable reason."""

    def __init__(self, status: int, code: str, detail: str, reason: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.reason = reason


class Upload:
    """A snapshot body being written to a temp file beside the final ones, hashed as it arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0
        self._digest = hashlib.sha256()
        self._file = path.open("xb")

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._digest.update(data)
        self.size += len(data)

    def finish(self) -> str:
        """Flush the file to disk and return its SHA-256 (lowercase hex)."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._digest.hexdigest()

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


class SnapshotStore:
    """The snapshot folder, shared by every server instance like the blob folder it lives in."""

    def __init__(self, blob_dir: Path) -> None:
        self.root = blob_dir / "snapshots"
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return self.root / f"{sha}.snapshot"

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def begin(self) -> Upload:
        self._sweep_stale_uploads()
        return Upload(self.root / f"upload-{uuid.uuid4().hex}{_TEMP_SUFFIX}")

    def keep(self, upload: Upload, sha: str) -> None:
        """Move a finished upload into place (atomic: another instance sees the whole file or none)."""
        os.replace(upload.path, self.path(sha))

    def remove(self, sha: str) -> None:
        self.path(sha).unlink(missing_ok=True)

    def _sweep_stale_uploads(self) -> None:
        cutoff = time.time() - STALE_UPLOAD_SECONDS
        for stale in self.root.glob(f"upload-*{_TEMP_SUFFIX}"):
            try:
                if stale.stat().st_mtime < cutoff:
                    stale.unlink()
            except FileNotFoundError:
                pass  # another instance swept it first


def info(row: Any) -> CatalogSnapshotInfo:
    return CatalogSnapshotInfo(format=row.format, cursor=int(row.cursor), sha256=row.sha256, size=int(row.size),
                               created_at=row.created_at, created_by=row.created_by, province=row.province)


def _of(fmt: str, province: str | None) -> ColumnElement[bool]:
    """Snapshots of this format and province (None: the public catalog's, which names none)."""
    named = catalog_snapshot.c.province
    return and_(catalog_snapshot.c.format == fmt, named.is_(None) if province is None else named == province)


def check_cursor(engine: Engine, cursor: int) -> None:
    """A snapshot cannot hold changes the server has not made yet."""
    with engine.connect() as conn:
        highest = versions.current(conn)
    if cursor > highest:
        raise SnapshotError(422, "bad_request", f"cursor {cursor} is beyond the server's highest version {highest}")


def record(engine: Engine, store: SnapshotStore, user: User, fmt: str, cursor: int, sha: str,
           size: int, province: str | None = None) -> CatalogSnapshotInfo:
    """Insert the snapshot's row, drop the rows of its format and province beyond the newest KEEP_PER_FORMAT,
    then remove the files no row references any more."""
    with engine.begin() as conn:
        values = {"format": fmt, "cursor": cursor, "sha256": sha, "size": size, "created_at": utc_now(),
                  "created_by": user.username, "province": province}
        new_id = conn.execute(insert(catalog_snapshot).values(**values).returning(catalog_snapshot.c.id)).scalar_one()
        old = conn.execute(select(catalog_snapshot.c.id, catalog_snapshot.c.sha256)
                           .where(_of(fmt, province))
                           .order_by(catalog_snapshot.c.id.desc()).offset(KEEP_PER_FORMAT)).all()
        if old:
            conn.execute(delete(catalog_snapshot).where(catalog_snapshot.c.id.in_([r.id for r in old])))
        row = conn.execute(select(catalog_snapshot).where(catalog_snapshot.c.id == new_id)).one()
    for gone in {r.sha256 for r in old}:
        with engine.connect() as conn:
            used = conn.execute(select(exists().where(catalog_snapshot.c.sha256 == gone))).scalar()
        if not used:
            store.remove(gone)
    return info(row)


def offered(engine: Engine, store: SnapshotStore, user: User, fmt: str, province: str | None = None,
            home: str | None = None) -> CatalogSnapshotInfo:
    """The newest snapshot of `fmt` (and of the home province `province`, a digest snapshot; None: the public
    catalog's) if it is offered to `user`, whose home province is `home`; else SnapshotError 404 saying why."""
    with engine.connect() as conn:
        row = conn.execute(select(catalog_snapshot).where(_of(fmt, province))
                           .order_by(catalog_snapshot.c.id.desc()).limit(1)).first()
        if row is None:
            raise SnapshotError(404, "snapshot_unavailable", f"no snapshot of format {fmt}", "none")
        if user.is_admin:
            raise SnapshotError(404, "snapshot_unavailable", "administrators pull the full, unmasked catalog",
                                "administrator")
        if province is not None and province != home:
            raise SnapshotError(404, "snapshot_unavailable", f"your home province is not {province}", "province")
        if has_own_confidential_rows(conn, user, int(row.cursor)):
            raise SnapshotError(404, "snapshot_unavailable", "you wrote confidential catalog records the snapshot"
                                " holds masked", "own_confidential_rows")
    if not store.has(row.sha256):  # removed by a concurrent publish between its row check and its unlink
        raise SnapshotError(404, "snapshot_unavailable", "the snapshot file is missing", "file_missing")
    return info(row)


def has_own_confidential_rows(conn: Connection, user: User, cursor: int) -> bool:
    """Whether `user` created a live catalog row naming confidential fields at or below `cursor` outside their
    institutions: their own catalog copy of it is unmasked, the snapshot's is masked. (Rows of their assigned or
    proposed institutions reach them in full through those buckets, replacing the masked copy; a tombstone
    carries no fields.)"""
    full = sorted(load_scope(conn, user).full_scopes())
    username = user.username
    for name, entity in ENTITIES.items():
        if not entity.in_catalog or not any(f.name == "confidential_fields" for f in entity.fields):
            continue
        table = ENTITY_TABLES[name]
        named = cast(table.c.confidential_fields, Text)
        found = conn.execute(select(exists().where(and_(
            table.c.created_by == username, table.c.version <= cursor, table.c.deleted.is_not(True),
            named.is_not(None), named.not_in(["null", "[]"]),
            or_(table.c.scope_id.is_(None), table.c.scope_id.not_in(full)) if full else true(),
        )))).scalar()
        if found:
            return True
    return False


def file_for(engine: Engine, store: SnapshotStore, sha: str) -> Path:
    """The file of a published snapshot; SnapshotError 404 for any other sha256."""
    with engine.connect() as conn:
        known = conn.execute(select(exists().where(catalog_snapshot.c.sha256 == sha))).scalar()
    if not known or not store.has(sha):
        raise SnapshotError(404, "snapshot_unavailable", "no snapshot file with this sha256", "none")
    return store.path(sha)
