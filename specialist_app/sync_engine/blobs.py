"""Attachment bytes: resumable upload of every local blob the server lacks, and on-demand verified download."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specialist_app.services import sync_ops
from specialist_app.services.attachments import blob_folder, blob_path
from specialist_app.store.db import Store
from specialist_app.sync_engine import endpoints
from specialist_app.sync_engine.errors import NetworkUnavailable, ServerError, SyncCancelled, SyncError
from sync.entities import ATTACHMENT_MAX_BYTES
from sync.file_types import ALLOWED, detect_file, file_fits
from sync.messages import MESSAGES, render

if TYPE_CHECKING:  # the HTTP client loads with the first transfer, not when the app counts pending files
    from specialist_app.sync_engine.transport import Transport

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int | None], None]
UPLOAD_CHUNK = 256 * 1024  # before the link's speed is known; then about CHUNK_SECONDS of it
CHUNK_SECONDS = 8.0
CHUNK_MIN, CHUNK_MAX = 64 * 1024, 4 << 20
# Answers that refuse the bytes themselves: asking again will not change them, so they become a rejection.
REFUSED_STATUSES = frozenset({413, 415, 422})
_REFUSAL_FIELD = {"blob_too_large": "size", "blob_type_not_allowed": "mime_type", "blob_hash_mismatch": "sha256"}
_MAX_OFFSET_RESYNCS = 3


class BlobUnavailable(SyncError):
    """The server has no such file for this user (never uploaded, or no readable attachment references it)."""

    code = "blob_not_found"


class BlobTypeMismatch(SyncError):
    """The server's checked type (its Content-Type) is not what the downloaded bytes are: the file is not kept."""

    code = "blob_type_mismatch"


class BlobCorrupt(SyncError):
    """The downloaded bytes do not have the sha256 they were asked for."""

    code = "blob_hash_mismatch"


@dataclass
class UploadTally:
    """What one upload pass did."""

    uploaded: int = 0  # files completed by bytes sent in this pass
    already_there: int = 0  # the server held them already (dedupe): nothing sent
    refused: int = 0  # refused for good (size, type, hash): stored as rejections
    bytes_sent: int = 0
    errors: list[str] = field(default_factory=list)  # codes of failures left for the next sync
    failed: int = 0  # files left for the next sync (network, server error)


@dataclass(frozen=True)
class PendingBlob:
    sha256: str
    path: Path
    size: int
    rows: tuple[tuple[str, str], ...]  # (attachment id, file name) of the live rows that reference it
    state: str = "queued"  # queued | partial (`reason`: bytes the server held, at `since`) | failed (an earlier
    # try failed: `reason`, at `since`); partial and failed files go on at the next sync from the server's offset
    reason: str | None = None
    since: str | None = None


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


def blob_url(sha256: str) -> str:
    return f"{endpoints.BLOBS}/{sha256}"


def is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def pending_uploads(store: Store) -> list[PendingBlob]:
    """Blobs of live attachment rows that are in the local blob folder and not yet known to the server (queued, or
    failed before: those are retried)."""
    by_sha: dict[str, list[tuple[str, str]]] = {}
    states: dict[str, tuple[str, str | None, str | None]] = {}
    for row in sync_ops.waiting_blobs(store):
        by_sha.setdefault(row.sha256, []).append((row.row_id, row.filename))
        states[row.sha256] = (row.state or "queued", row.reason, row.since)
    found = []
    for sha, refs in by_sha.items():
        path = blob_path(store, sha)
        # Rows pulled from the server have no local bytes until fetched: nothing to offer then.
        if is_sha256(sha) and path.is_file():
            found.append(PendingBlob(sha, path, path.stat().st_size, tuple(refs), *states[sha]))
    return found


def failure_text(reason: str | None, lang: str) -> str:
    """Why a file's last upload failed, short (network, server error), in `lang`."""
    code = f"file_{reason}"
    return render(code if code in MESSAGES else (reason or "sync_failed"), lang)


def pending_summary(store: Store) -> dict[str, Any]:
    """pending_files, pending_file_bytes, and per file: name, size, state (queued | partial | failed), reason (the
    failure's code), sent (bytes the server held at the last report, for a partial file), since."""
    queue = pending_uploads(store)
    return {
        "pending_files": len(queue),
        "pending_file_bytes": sum(b.size for b in queue),
        "files": [{"sha256": b.sha256, "name": b.rows[0][1] if b.rows else "", "size": b.size, "state": b.state,
                   "reason": None if b.state == "partial" else b.reason,
                   "sent": int(b.reason or 0) if b.state == "partial" else 0, "since": b.since} for b in queue],
    }


def upload_pending(
    store: Store,
    transport: Transport,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> UploadTally:
    """Offer every pending blob to the server, one after the other; a refused or failing blob never stops the rest.

    A file that fails is marked failed (its reason kept; retried next sync). Network loss ends the pass without
    raising (the rest stay queued); a needed login and cancellation are raised. The server keeps what it received,
    so the next pass resumes each file at the server's offset.
    """
    progress = progress or _no_progress
    cancel = cancel or threading.Event()
    tally = UploadTally()
    queue = pending_uploads(store)
    total = sum(b.size for b in queue)
    done = 0
    for blob in queue:
        if cancel.is_set():
            raise SyncCancelled()
        try:
            sent = upload_blob(transport, blob.sha256, blob.path,
                               progress=_offset_progress(store, blob.sha256, progress, done, total),
                               cancel=cancel, chunk_size=chunk_size(transport))
        except NetworkUnavailable as exc:
            log.info("upload of %s stopped: %s", blob.sha256, exc.code)
            sync_ops.mark_blob(store, blob.sha256, "failed", exc.code)
            tally.errors.append(exc.code)
            tally.failed += 1
            return tally
        except ServerError as exc:
            if exc.status in REFUSED_STATUSES:
                _refuse(store, blob, exc)
                tally.refused += 1
            else:
                log.info("upload of %s failed: %s", blob.sha256, exc.code)
                sync_ops.mark_blob(store, blob.sha256, "failed", exc.code)
                tally.errors.append(exc.code)
                tally.failed += 1
        else:
            sync_ops.mark_blob(store, blob.sha256, "done")
            if sent is None:
                tally.already_there += 1
            else:
                tally.uploaded += 1
                tally.bytes_sent += sent
        done += blob.size
        progress("upload", done, total)
    return tally


def chunk_size(transport: Transport) -> int:
    """About CHUNK_SECONDS of the measured upload speed: small on a slow link (a cut chunk is sent again whole),
    large on a fast one (fewer round trips)."""
    return transport.throughput.body_bytes(seconds=CHUNK_SECONDS, floor=CHUNK_MIN, ceiling=CHUNK_MAX,
                                           unknown=UPLOAD_CHUNK)


def _offset_progress(store: Store, sha256: str, progress: ProgressFn, before: int,
                     total: int) -> Callable[[int], None]:
    """Reports one file's server offset as progress over the whole queue, and keeps it as the file's state (so
    `status` can say how far a file got, also after the run)."""

    def report(offset: int) -> None:
        sync_ops.mark_blob(store, sha256, "partial", str(offset))
        progress("upload", before + offset, total)

    return report


def server_offset(transport: Transport, sha256: str) -> tuple[int, bool]:
    """(bytes the server holds, whether the file is complete), from HEAD /blobs/{sha}."""
    response = transport.request("HEAD", blob_url(sha256))
    try:
        offset = int(response.headers.get("Upload-Offset") or 0)
    except ValueError:
        raise ServerError("HEAD answer has no Upload-Offset", status=response.status_code) from None
    return offset, response.headers.get("X-Blob-Complete") == "1"


def upload_blob(
    transport: Transport,
    sha256: str,
    path: Path,
    *,
    chunk_size: int = UPLOAD_CHUNK,
    progress: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int | None:
    """Send the bytes of `path` the server lacks; None when it had them all, else the bytes sent in this call.

    Starts at the server's offset (HEAD), PATCHes chunks; an answer lost after the server appended a chunk comes
    back as 409 with the true offset, so the upload re-reads it and goes on from there.
    """
    size = path.stat().st_size
    offset, complete = server_offset(transport, sha256)
    if complete:
        return None
    if size > ATTACHMENT_MAX_BYTES:  # the server would refuse it: say so without sending anything
        raise ServerError("file too large", status=413, error_code="blob_too_large")
    sent = resyncs = 0
    with path.open("rb") as source:
        while True:
            if cancel is not None and cancel.is_set():
                raise SyncCancelled()
            source.seek(offset)
            chunk = source.read(chunk_size)
            try:
                answer = _patch(transport, sha256, offset, size, chunk)
            except ServerError as exc:
                if exc.status != 409 or resyncs >= _MAX_OFFSET_RESYNCS:
                    raise
                resyncs += 1
                offset, complete = server_offset(transport, sha256)
                if complete:
                    return sent
                continue
            sent += len(chunk)
            offset = int(answer.get("received") or 0)
            if progress is not None:
                progress(offset)
            if answer.get("complete"):
                return sent
            if offset >= size:
                raise ServerError("the server holds the whole file but did not complete it", status=409)


def _patch(transport: Transport, sha256: str, offset: int, size: int, chunk: bytes) -> dict[str, Any]:
    response = transport.request(
        "PATCH", blob_url(sha256), params={"offset": offset}, data=chunk,
        headers={"Upload-Length": str(size), "Content-Type": "application/octet-stream"},
    )
    try:
        answer = response.json()
    except ValueError:
        raise ServerError("upload answer is not JSON", status=response.status_code) from None
    if not isinstance(answer, dict):
        raise ServerError("upload answer is not an object", status=response.status_code)
    return answer


def _refuse(store: Store, blob: PendingBlob, exc: ServerError) -> None:
    """Remember the refusal (no retry each sync) and list it with the refused changes, once per attachment row."""
    code = exc.error_code or "blob_type_not_allowed"
    params = {"max_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)} if code == "blob_too_large" else {}
    problem = {"field": _REFUSAL_FIELD.get(code, "sha256"), "code": code, "params": params}
    message = exc.server_text.get("zh") or render(code, "zh_CN", **params)
    sync_ops.refuse_blob(store, blob.sha256, blob.rows, code, problem, message)


def fetch_blob(
    store: Store, transport: Transport, sha256: str, *, progress: ProgressFn | None = None
) -> Path:
    """The local file of `sha256`, downloaded into the blob folder when missing (verified; resumes a partial file).

    Raises BlobUnavailable (404: unknown, or no readable attachment references it), BlobCorrupt, or the
    transport's errors (NetworkUnavailable, LoginRequired).
    """
    from specialist_app.sync_engine import download  # requests: see the TYPE_CHECKING import above

    if not is_sha256(sha256):
        raise BlobUnavailable("not a sha256")
    target = blob_path(store, sha256)
    if target.is_file():
        return target
    folder = blob_folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".download-{sha256}.part"
    restarted = False
    while True:
        resumed = partial.exists() and partial.stat().st_size > 0
        served = download.download(transport, blob_url(sha256), partial, progress or _no_progress,
                                   missing=lambda: BlobUnavailable(sha256), unusable_part=lambda: BlobCorrupt(sha256))
        if download.sha256_of(partial) == sha256:
            if served in ALLOWED and not file_fits(served, detect_file(partial)):  # defence in depth
                partial.unlink(missing_ok=True)
                raise BlobTypeMismatch(sha256, mime_type=served)
            break
        partial.unlink(missing_ok=True)
        if not resumed or restarted:
            raise BlobCorrupt(sha256)
        restarted = True  # the kept part may be stale: one fresh download from byte 0
    os.replace(partial, target)
    sync_ops.mark_blob(store, sha256, "done")  # the server has these bytes: never offer them back
    return target
