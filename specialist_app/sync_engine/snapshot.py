"""Installing the market's catalog snapshot on a first sync (publishing one: `snapshot_publish`).

A first sync of a store that holds no catalog asks the server for a snapshot of this app's format; when one is
offered it is downloaded (resumable; each chunk hashed and decompressed as it arrives, `unpack`), verified by
SHA-256 once the last byte is in, and installed in one transaction, searchable from its commit on (the "install"
phase reports done there); its pages are then copied from the WAL into the store file ("checkpoint" phase,
`catalog_snapshot.checkpoint`), and the pull goes on from the snapshot's catalog cursor. Anything unusable (none
offered, a corrupt or foreign file) only means the catalog is pulled page by page as before: a snapshot never fails
a sync.

A store whose user has a home province asks for that province's digest snapshot instead (its catalog in full, the
rest of the nation as digests, both cursors: docs/sync-protocol.md, "Digest snapshot").
"""

from __future__ import annotations

import errno
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specialist_app.store import catalog_snapshot
from specialist_app.store.db import Store
from specialist_app.sync_engine import download, endpoints, unpack
from specialist_app.sync_engine.errors import DiskFull, ServerError, SyncCancelled
from specialist_app.sync_engine.transport import Transport

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int | None], None]
# The "auto" catalog mode (catalog_mode.py) measures the link on the snapshot's first bytes and pages instead when
# that is sooner done. Figures from docs/performance.md (province and 100,000 catalogs): the page pull is ~0.4x the
# snapshot's bytes, and indexing pulled pages costs ~0.8 s of CPU per MB of snapshot where installing the snapshot
# costs ~0.05 s.
PAGES_PER_SNAPSHOT_BYTE = 0.4
INDEX_S_PER_MB, INSTALL_S_PER_MB = 0.8, 0.05
PROBE_S, PROBE_BYTES = 2.0, 1 << 16  # measure this long (and at least this much) before deciding
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PART_SUFFIX, _FILE_SUFFIX = ".snapshot.part", ".snapshot.sqlite3"


@dataclass(frozen=True)
class SnapshotInfo:
    """What the server says about its newest snapshot of this app's format (`CatalogSnapshotInfo`)."""

    format: str
    cursor: int
    sha256: str
    size: int
    province: str | None = None  # a digest snapshot's home province

    @classmethod
    def parse(cls, answer: Any) -> SnapshotInfo | None:
        if not isinstance(answer, dict):
            return None
        sha, cursor, size = answer.get("sha256"), answer.get("cursor"), answer.get("size")
        if not (isinstance(sha, str) and _SHA256.match(sha) and isinstance(cursor, int) and isinstance(size, int)):
            return None
        province = answer.get("province")
        return cls(str(answer.get("format")), cursor, sha, size, province if isinstance(province, str) else None)


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


class _Unusable(Exception):
    """The offered snapshot cannot be used; the pull goes on without it."""


class _PagesSooner(_Unusable):
    """The link is slow enough that paging the catalog ends sooner than downloading the snapshot."""


def pages_sooner(size: int, bytes_per_s: float) -> bool:
    """Whether paging a catalog whose snapshot has `size` bytes ends before downloading and installing it."""
    mb = size / 1e6
    snapshot_s = size / bytes_per_s + mb * INSTALL_S_PER_MB
    pages_s = size * PAGES_PER_SNAPSHOT_BYTE / bytes_per_s + mb * INDEX_S_PER_MB
    return pages_s < snapshot_s


def probing(progress: ProgressFn, size: int, clock: Callable[[], float]) -> ProgressFn:
    """`progress`, which also gives the download up (`_PagesSooner`) once the measured speed says pages win."""
    start: list[float | int] = []

    def report(phase: str, done: int, total: int | None) -> None:
        progress(phase, done, total)
        if not start:
            start.extend((clock(), done))
            return
        elapsed, moved = clock() - start[0], done - start[1]
        if elapsed >= PROBE_S and moved >= PROBE_BYTES and pages_sooner(size, moved / elapsed):
            raise _PagesSooner(f"{moved / elapsed / 1e3:.0f} kB/s: paging the catalog is sooner done")

    return report


def bootstrap(
    store: Store, transport: Transport, progress: ProgressFn | None = None, cancel: threading.Event | None = None,
    *, mode: str = "snapshot", keep_rows: bool = False, clock: Callable[[], float] = time.monotonic,
    province: str | None = None,
) -> int | None:
    """Install the server's catalog snapshot if this store holds no catalog yet; the catalog cursor set, or None.

    Network and login errors propagate as in any sync step (a cut-off download resumes next time); a refused
    or unusable snapshot returns None and leaves the store as it was. `mode` "auto": a new download is given up
    after its first seconds when the measured speed says paging the catalog ends sooner (`pages_sooner`).
    `keep_rows`: the store already holds its own institutions' rows (pulled first); they stay over the
    snapshot's copies (`catalog_snapshot.install`). `province`: the user's home province; its digest snapshot is
    asked for, and only a file of that province is installed. (`snapshot_early` downloads it while the own
    institutions are pulled.)
    """
    found = offer(store, transport, keep_rows=keep_rows, province=province)
    if found is None:
        return None
    progress = progress or _no_progress
    if mode == "auto" and found.fresh:  # a download already begun was chosen before: it goes on
        progress = probing(progress, found.info.size, clock)
    return install_offered(store, found, lambda plain: fetch(transport, found, plain, progress, cancel), progress,
                           cancel, keep_rows=keep_rows)


@dataclass(frozen=True)
class Offer:
    """A usable snapshot the server offers, and the part file its download goes into."""

    info: SnapshotInfo
    partial: Path
    fresh: bool  # nothing of it downloaded yet (a download already begun goes on whatever the link's speed)


def offer(store: Store, transport: Transport, *, keep_rows: bool, province: str | None) -> Offer | None:
    """The snapshot to download, if this store is to take one (see `bootstrap`) and the server offers a usable one."""
    plain_file(store).unlink(missing_ok=True)  # left by a run that was killed mid-install
    if not (catalog_snapshot.no_catalog_cursor(store) if keep_rows else catalog_snapshot.is_empty(store)):
        drop_parts(store)  # the catalog came some other way: no download will be resumed
        return None
    try:
        params = {"format": catalog_snapshot.FORMAT, **({"province": province} if province is not None else {})}
        answer = transport.get_json(endpoints.CATALOG_SNAPSHOT, params=params)
    except ServerError as exc:  # 404: none offered; anything else: the catalog still comes page by page
        log.info("no catalog snapshot: %s", exc)
        return None
    info = SnapshotInfo.parse(answer)
    if info is None or info.format != catalog_snapshot.FORMAT or info.province != province:
        return None
    partial = _work_file(store, info.sha256, _PART_SUFFIX)
    drop_parts(store, keep=partial)
    return Offer(info, partial, fresh=not partial.exists())


def fetch(transport: Transport, found: Offer, plain: Path, progress: ProgressFn,
          cancel: threading.Event | None) -> None:
    """Download the offered file (or read back a part that holds it all), each chunk hashed and decompressed into
    `plain` as it arrives (`unpack`); the hash checked once the last byte is in. Touches no store: it may run on
    a thread of its own while the store takes other writes (`snapshot_early`)."""
    info, partial = found.info, found.partial
    with unpack.Unpacker(partial, plain, cancel) as unpacker:
        if partial.exists() and partial.stat().st_size == info.size:  # a cancelled run fetched it all
            if unpacker.resume(info.size) != info.size:  # read back from the part
                raise _Unusable("the downloaded file is not zstd data")
        else:
            download.download(
                transport, f"{endpoints.CATALOG_SNAPSHOT}/{info.sha256}", partial, progress, phase="snapshot",
                missing=lambda: _Unusable("the snapshot is gone"),
                unusable_part=lambda: _Unusable("bad partial file"), sink=unpacker,
            )
        if cancel is not None and cancel.is_set():
            raise SyncCancelled()
        progress("install", 0, 1)
        unpacker.finish(info.sha256)


def install_offered(store: Store, found: Offer, fetched: Callable[[Path], None], progress: ProgressFn,
                    cancel: threading.Event | None, *, keep_rows: bool) -> int | None:
    """`fetched(plain)` (`fetch`, or waiting for it on its thread) then the install; the catalog cursor, or None
    when the file is unusable (dropped: the catalog comes page by page). A cancel stops any step within a moment
    (the downloaded part is kept, so the next sync goes on from it)."""
    info, partial = found.info, found.partial
    plain = plain_file(store)
    try:
        try:
            fetched(plain)
            started = time.perf_counter()
            cursor = _install(store, plain, info, keep_rows, cancel)
            copied = time.perf_counter()
        finally:
            plain.unlink(missing_ok=True)
    except (_Unusable, unpack.UnpackError, catalog_snapshot.SnapshotUnusable) as exc:
        log.warning("catalog snapshot %s not used: %s", info.sha256[:12], exc)
        partial.unlink(missing_ok=True)
        return None
    except OSError as exc:  # writing the download or the decompressed file
        if exc.errno == errno.ENOSPC:
            raise DiskFull(str(exc)[:200]) from exc  # the part is kept: the download resumes once there is room
        log.warning("catalog snapshot %s not used: %s", info.sha256[:12], exc)
        partial.unlink(missing_ok=True)
        return None
    partial.unlink(missing_ok=True)
    kept = catalog_snapshot.reindex_kept(store)  # the kept rows join the installed index (also done by every sync)
    indexed = time.perf_counter()
    progress("install", 1, 1)  # searchable: other connections read the committed pages in the WAL
    # The install committed without copying its pages from the WAL into the store file; copied now, and the WAL
    # emptied, before the pull goes on (searches go on meanwhile: the checkpoint blocks no reader).
    progress("checkpoint", 0, 1)
    try:
        catalog_snapshot.checkpoint(store)
    except sqlite3.Error as exc:  # the install is in all the same; a later checkpoint copies the pages
        log.warning("checkpoint after the catalog snapshot's install: %s", exc)
    progress("checkpoint", 1, 1)
    log.info("catalog snapshot %s installed: copied and committed in %.1f s, %d kept rows indexed in %.1f s,"
             " checkpoint %.1f s", info.sha256[:12], copied - started, kept, indexed - copied,
             time.perf_counter() - indexed)
    return cursor


def _install(store: Store, plain: Path, info: SnapshotInfo, keep_rows: bool, cancel: threading.Event | None) -> int:
    """Install the decompressed, verified file; a cancel stops the copy within a moment (InstallCancelled)."""
    try:
        return catalog_snapshot.install(store, plain, keep_rows=keep_rows, cancel=cancel, province=info.province)
    except catalog_snapshot.InstallCancelled as exc:
        raise SyncCancelled() from exc


def plain_file(store: Store) -> Path:
    """Where the download is decompressed to, beside the store (removed once installed or given up)."""
    return _work_file(store, "", _FILE_SUFFIX)


def _work_file(store: Store, sha: str, suffix: str) -> Path:
    tag = f".{sha[:16]}" if sha else ""
    return store.path.with_name(f"{store.path.name}{tag}{suffix}")


def drop_parts(store: Store, keep: Path | None = None) -> None:
    """A part of an older snapshot (the server published a newer one meanwhile) will never be resumed."""
    for found in store.path.parent.glob(f"{store.path.name}.*{_PART_SUFFIX}"):
        if found != keep:
            found.unlink(missing_ok=True)
