"""Publishing a catalog snapshot (administrators): pull the public catalog, index, export, compress, upload."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import zstandard

from specialist_app.services import sync_ops
from specialist_app.store import catalog_snapshot
from specialist_app.store.db import open_store
from specialist_app.sync_engine import download, endpoints
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.errors import ServerError, SyncError
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from sync.protocol import CATALOG_BUCKET

ProgressFn = Callable[[str, int, int | None], None]
# Every client downloads what one publisher compresses, so the publisher spends its minutes: level 17 (an 8 MiB
# window) makes a 1,000,000-achievement digest snapshot ~11 % smaller than level 9 (~5 s less at 100 Mbit/s; ~8 min
# of compressing on 2 cores instead of ~30 s), and decompressing, done while downloading, costs ~1.5x level 9's.
# Raising it past 19, or long-distance matching, needs a window above `unpack.MAX_WINDOW`: clients would refuse it.
ZSTD_LEVEL = 17


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


def publish(
    transport: Transport, device_id: str, work_dir: Path, progress: ProgressFn | None = None,
    province: str | None = None,
) -> dict[str, Any]:
    """Build a snapshot of the public catalog and upload it (administrators); the server's CatalogSnapshotInfo.

    The catalog is pulled as every specialist sees it (view "public": confidential fields masked everywhere)
    into a new store in `work_dir` under the caller's device, indexed, exported, compressed and sent. With
    `province`, that home province's digest snapshot: its public catalog and the digest feed of the rest of the
    nation, as a specialist of the province with no institutions gets them, with both cursors.
    """
    progress = progress or _no_progress
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="catalog-snapshot-") as tmp:
        store = open_store(Path(tmp) / "catalog.sqlite3")
        try:
            sync_ops.set_device(store, device_id)
            report = SyncEngine(store, transport, view="public", province=province).run(progress)
            if not report.ok:
                raise _failure(report)
            cursor = sync_ops.cursors(store).get(CATALOG_BUCKET, 0)
            digest_cursor = sync_ops.digest_cursor(store)
            plain = Path(tmp) / "snapshot.sqlite3"
            progress("export", 0, 1)
            catalog_snapshot.export(store, plain, cursor, province=province, digest_cursor=digest_cursor)
        finally:
            store.close()
        packed = Path(tmp) / "snapshot.sqlite3.zst"
        sha = _compress(plain, packed)
        progress("upload", 0, packed.stat().st_size)
        with packed.open("rb") as body:  # streamed from the file (requests sends its size as Content-Length)
            answer = transport.request(
                "PUT", endpoints.CATALOG_SNAPSHOT, data=body,
                params=_params(cursor, digest_cursor, sha, province),
                headers={"Content-Type": "application/octet-stream"},
            ).json()
        progress("upload", packed.stat().st_size, packed.stat().st_size)
    if not isinstance(answer, dict):
        raise ServerError("snapshot answer is not an object")
    return answer


def _params(cursor: int, digest_cursor: int, sha: str, province: str | None) -> dict[str, Any]:
    """The upload's query: a digest snapshot names its province, and its cursor is the higher of its two (the
    server's offer rule then errs on refusing: docs/sync-protocol.md, "Digest snapshot")."""
    if province is None:
        return {"format": catalog_snapshot.FORMAT, "cursor": cursor, "sha256": sha}
    return {"format": catalog_snapshot.FORMAT, "cursor": max(cursor, digest_cursor), "sha256": sha,
            "province": province}


def _failure(report: SyncReport) -> SyncError:
    """The pull's failure as the error it was (its code, its words in both languages)."""
    params = dict(report.error_params)
    failure = SyncError(str(params.pop("detail", "") or ""), **params)
    failure.code = report.error_code or SyncError.code
    failure.server_text = dict(report.error_text)
    return failure


def _compress(plain: Path, packed: Path) -> str:
    """zstd-compress `plain` into `packed`; the SHA-256 of the compressed bytes (what the server checks)."""
    with plain.open("rb") as src, packed.open("wb") as out:
        zstandard.ZstdCompressor(level=ZSTD_LEVEL, threads=-1).copy_stream(src, out)
    return download.sha256_of(packed)
