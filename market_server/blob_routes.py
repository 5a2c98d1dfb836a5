"""Attachment byte endpoints: resumable content-addressed upload, authorised download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from market_server.blobs import BlobError, BlobStore, is_sha256
from market_server.deps import CurrentUser, EngineDep, ProtocolDep
from market_server.errors import ApiError
from market_server.scope import load_scope
from market_server.tables import ENTITY_TABLES
from sync.entities import ATTACHMENT_MAX_BYTES
from sync.protocol import BlobStatus, ErrorBody

router = APIRouter(prefix="/blobs", tags=["attachments"])
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422, 426)
}


def _store(request: Request) -> BlobStore:
    store: BlobStore = request.app.state.blobs
    return store


def _checked(sha: str) -> str:
    if not is_sha256(sha):
        raise ApiError(400, "bad_request", detail="sha256 must be 64 lowercase hex digits")
    return sha


@router.head("/{sha}", responses=_ERRORS)
def blob_head(sha: str, request: Request, _user: CurrentUser, _protocol: ProtocolDep) -> Response:
    """Upload-Offset: bytes the server holds so far; X-Blob-Complete: 1 when the file is whole."""
    store = _store(request)
    received = store.received(_checked(sha))
    return Response(status_code=200, headers={
        "Upload-Offset": str(received), "X-Blob-Complete": "1" if store.has(sha) else "0",
    })


@router.get("/{sha}/status", responses=_ERRORS)
def blob_status(sha: str, request: Request, _user: CurrentUser, _protocol: ProtocolDep) -> BlobStatus:
    store = _store(request)
    return BlobStatus(sha256=_checked(sha), received=store.received(sha), complete=store.has(sha))


@router.patch("/{sha}", responses=_ERRORS)
async def blob_append(
    sha: str, request: Request, _user: CurrentUser, _protocol: ProtocolDep,
    offset: Annotated[int, Query(ge=0)],
    upload_length: Annotated[int, Header(gt=0, description="Total size of the file in bytes")],
) -> BlobStatus:
    """Append the request body at `offset`; when the last byte arrives, the hash and type are checked."""
    return await _append(request, _checked(sha), offset, upload_length)


@router.put("/{sha}", responses=_ERRORS)
async def blob_put(sha: str, request: Request, _user: CurrentUser, _protocol: ProtocolDep) -> BlobStatus:
    """Upload a whole file in one request (small files)."""
    length = int(request.headers.get("content-length") or 0)
    return await _append(request, _checked(sha), 0, length)


async def _append(request: Request, sha: str, offset: int, total: int) -> BlobStatus:
    store = _store(request)
    declared = int(request.headers.get("content-length") or 0)
    if total > ATTACHMENT_MAX_BYTES or declared > ATTACHMENT_MAX_BYTES:
        raise ApiError(413, "blob_too_large", max_mb=ATTACHMENT_MAX_BYTES // (1024 * 1024))
    data = await request.body()
    try:
        received = await run_in_threadpool(store.append, sha, offset, data, total)
    except BlobError as err:
        headers = {"Upload-Offset": str(err.params["offset"])} if "offset" in err.params else None
        raise ApiError(err.status, err.code, dict(err.params) or None, headers, **err.params) from None
    return BlobStatus(sha256=sha, received=received, complete=store.has(sha))


@router.get("/{sha}", responses=_ERRORS, response_class=FileResponse)
def blob_download(sha: str, request: Request, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep) -> Response:
    """The file, if the user may read an attachment row that references it."""
    store = _store(request)
    table = ENTITY_TABLES["attachment"]
    with engine.connect() as conn:
        scope = load_scope(conn, user)
        refs = conn.execute(select(table.c.scope_id, table.c.created_by, table.c.mime_type).where(
            table.c.sha256 == _checked(sha), table.c.deleted.is_(False))).all()
    readable = [r for r in refs if scope.can_read_full(r.scope_id, r.created_by)]
    if not readable or not store.has(sha):
        raise ApiError(404, "blob_not_found")
    return FileResponse(store.path(sha), media_type=str(readable[0].mime_type or "application/octet-stream"))
