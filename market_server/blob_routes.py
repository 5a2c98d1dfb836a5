"""Attachment byte endpoints: resumable content-addressed upload, authorised download."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from market_server import blob_access
from market_server.accounts import User
from market_server.blobs import BlobError, BlobStore, is_sha256
from market_server.deps import CurrentUser, EngineDep, ProtocolDep
from market_server.errors import ApiError
from market_server.scope import load_scope
from sync.entities import ATTACHMENT_MAX_BYTES
from sync.file_types import local_name
from sync.protocol import BlobStatus, ErrorBody

router = APIRouter(prefix="/blobs", tags=["attachments"])
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422, 426, 507)
}


def _store(request: Request) -> BlobStore:
    store: BlobStore = request.app.state.blobs
    return store


def _checked(sha: str) -> str:
    if not is_sha256(sha):
        raise ApiError(400, "bad_request", detail="sha256 must be 64 lowercase hex digits")
    return sha


def _holds(request: Request, engine: Engine, user: User, sha: str) -> bool:
    """Whether the caller holds `sha`; if so the file is fresh again for the collector (it is about to be used)."""
    store = _store(request)
    with engine.begin() as conn:
        held = blob_access.claim_if_readable(conn, store, load_scope(conn, user), sha)
    if held:
        store.touch(sha)
    return held


@router.head("/{sha}", responses=_ERRORS)
def blob_head(sha: str, request: Request, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep) -> Response:
    """Upload-Offset: bytes of the caller's upload so far; X-Blob-Complete: 1 when the caller holds the file.

    Only the caller's own uploads count (or a file they may already read): whether someone else sent a file is
    not told.
    """
    status = blob_status(sha, request, user, engine, _protocol)
    return Response(status_code=200, headers={
        "Upload-Offset": str(status.received), "X-Blob-Complete": "1" if status.complete else "0",
    })


@router.get("/{sha}/status", responses=_ERRORS)
def blob_status(sha: str, request: Request, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep
                ) -> BlobStatus:
    store = _store(request)
    if _holds(request, engine, user, _checked(sha)):
        with contextlib.suppress(FileNotFoundError):  # collected this very moment: then it is not held
            return BlobStatus(sha256=sha, received=store.size(sha), complete=True)
    return BlobStatus(sha256=sha, received=store.received(user.id, sha), complete=False)


@router.patch("/{sha}", responses=_ERRORS)
async def blob_append(
    sha: str, request: Request, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep,
    offset: Annotated[int, Query(ge=0)],
    upload_length: Annotated[int, Header(gt=0, description="Total size of the file in bytes")],
) -> BlobStatus:
    """Append the request body at `offset`; when the last byte arrives, the hash and type are checked."""
    return await _append(request, engine, user, _checked(sha), offset, upload_length)


@router.put("/{sha}", responses=_ERRORS)
async def blob_put(sha: str, request: Request, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep
                   ) -> BlobStatus:
    """Upload a whole file in one request (small files)."""
    length = int(request.headers.get("content-length") or 0)
    return await _append(request, engine, user, _checked(sha), 0, length)


async def _append(request: Request, engine: Engine, user: User, sha: str, offset: int, total: int) -> BlobStatus:
    store = _store(request)
    declared = int(request.headers.get("content-length") or 0)
    if total > ATTACHMENT_MAX_BYTES or declared > ATTACHMENT_MAX_BYTES:
        raise ApiError(413, "blob_too_large", max_mb=ATTACHMENT_MAX_BYTES // (1024 * 1024))
    if await run_in_threadpool(_holds, request, engine, user, sha):
        return BlobStatus(sha256=sha, received=store.size(sha), complete=True)
    data = await request.body()
    try:
        done = await run_in_threadpool(store.append, user.id, sha, offset, data, total)
    except BlobError as err:
        headers = {"Upload-Offset": str(err.params["offset"])} if "offset" in err.params else None
        raise ApiError(err.status, err.code, dict(err.params) or None, headers, **err.params) from None
    if done.detected is None:
        return BlobStatus(sha256=sha, received=done.received, complete=False)
    with engine.begin() as conn:
        blob_access.add_holder(conn, sha, user.username, done.detected, done.received)
    return BlobStatus(sha256=sha, received=done.received, complete=True)


@router.get("/{sha}", responses=_ERRORS, response_class=FileResponse)
def blob_download(sha: str, request: Request, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep) -> Response:
    """The file, if the user may read now an attachment row that grants it (blob_access.readable).

    Sent as a download (never shown inline by a browser), typed with the checked type, named with its extension.
    """
    store = _store(request)
    with engine.begin() as conn:
        found = blob_access.readable(conn, store, load_scope(conn, user), _checked(sha))
    if found is None or not store.has(sha):
        raise ApiError(404, "blob_not_found")
    return FileResponse(store.path(sha), media_type=found.mime_type,
                        filename=local_name(found.filename, found.mime_type), content_disposition_type="attachment",
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})
