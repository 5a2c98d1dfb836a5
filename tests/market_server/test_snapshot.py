"""Snapshot storage: hashed temp uploads, stale upload sweeping, retention across formats, a missing file."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine

from market_server import accounts, snapshot
from market_server.snapshot import SnapshotError, SnapshotStore
from tests.market_server.conftest import add_user


def _admin(engine: Engine) -> accounts.User:
    with engine.connect() as conn:
        user = accounts.find_user(conn, add_user(engine, role="admin"))
    assert user is not None
    return user


def _specialist(engine: Engine) -> accounts.User:
    with engine.connect() as conn:
        user = accounts.find_user(conn, add_user(engine))
    assert user is not None
    return user


def _publish(store: SnapshotStore, engine: Engine, user: accounts.User, fmt: str, data: bytes) -> str:
    upload = store.begin()
    upload.write(data[:3])
    upload.write(data[3:])
    sha = upload.finish()
    store.keep(upload, sha)
    snapshot.record(engine, store, user, fmt, 0, sha, upload.size)
    return sha


def test_an_upload_is_hashed_as_written_and_discarded_without_a_trace(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    upload = store.begin()
    upload.write(b"abc")
    upload.write(b"def")
    assert upload.size == 6 and upload.finish() == hashlib.sha256(b"abcdef").hexdigest()
    upload.discard()
    assert list(store.root.iterdir()) == []


def test_uploads_left_by_dead_requests_are_swept_after_a_day(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    stale, fresh = store.root / "upload-old.part", store.root / "upload-new.part"
    kept = store.path("a" * 64)
    for path in (stale, fresh, kept):
        path.write_bytes(b"x")
    old = time.time() - snapshot.STALE_UPLOAD_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(kept, (old, old))
    store.begin().discard()
    assert stale.exists() is False and fresh.exists() and kept.exists()


def test_a_file_shared_by_two_formats_outlives_one_formats_retention(tmp_path: Path, engine: Engine) -> None:
    store = SnapshotStore(tmp_path)
    admin = _admin(engine)
    fmt, other = f"a-{uuid.uuid4().hex[:6]}", f"b-{uuid.uuid4().hex[:6]}"
    shared = _publish(store, engine, admin, fmt, b"shared bytes")
    _publish(store, engine, admin, other, b"shared bytes")
    _publish(store, engine, admin, fmt, b"second")
    third = _publish(store, engine, admin, fmt, b"third")
    assert store.has(shared)  # dropped from `fmt`, still `other`'s newest
    assert snapshot.offered(engine, store, _specialist(engine), other).sha256 == shared
    assert snapshot.offered(engine, store, _specialist(engine), fmt).sha256 == third


def test_a_row_whose_file_is_gone_is_not_offered(tmp_path: Path, engine: Engine) -> None:
    store = SnapshotStore(tmp_path)
    fmt = f"c-{uuid.uuid4().hex[:6]}"
    sha = _publish(store, engine, _admin(engine), fmt, b"bytes")
    store.remove(sha)
    with pytest.raises(SnapshotError) as refused:
        snapshot.offered(engine, store, _specialist(engine), fmt)
    assert refused.value.status == 404 and refused.value.code == "snapshot_unavailable"
    assert refused.value.reason == "file_missing"
    with pytest.raises(SnapshotError):
        snapshot.file_for(engine, store, sha)
