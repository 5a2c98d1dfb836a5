"""Catalog snapshot endpoints: an administrator publishes a snapshot file, fresh clients fetch it (resumable)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from market_server import snapshot
from market_server.blobs import is_sha256
from market_server.deps import CurrentUser, EngineDep, ProtocolDep, SettingsDep
from market_server.errors import ApiError
from market_server.snapshot import SnapshotError, SnapshotStore
from sync.digests import home_province
from sync.protocol import CATALOG_SNAPSHOT_FORMAT_PATTERN, PROVINCE_PATTERN, CatalogSnapshotInfo, ErrorBody

router = APIRouter(prefix="/catalog-snapshot", tags=["catalog snapshot"])
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 411, 413, 416, 422, 426)
}
_SHA256 = r"^[0-9a-f]{64}$"
_RANGE = re.compile(r"bytes=(\d{1,19})-(\d{0,19})")
_WRITE_BYTES = 1 << 20  # body chunks are gathered to this size before each write to disk
_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}

FormatQuery = Annotated[str, Query(alias="format", pattern=CATALOG_SNAPSHOT_FORMAT_PATTERN,
                                   description="The client store format the snapshot was built with")]
ProvinceQuery = Annotated[str | None, Query(pattern=PROVINCE_PATTERN, description=(
    "A digest snapshot's home province: its catalog in full, the rest of the nation as digests (none: the public"
    " catalog's snapshot)"))]


def _store(request: Request) -> SnapshotStore:
    store: SnapshotStore = request.app.state.snapshots
    return store


def _refused(err: SnapshotError) -> ApiError:
    return ApiError(err.status, err.code, {"reason": err.reason} if err.reason else None, detail=err.detail)


def _declared_length(request: Request, limit: int) -> int:
    raw = request.headers.get("content-length")
    if raw is None:
        raise ApiError(411, "bad_request", detail="Content-Length is required")
    if not raw.isdigit():
        raise ApiError(400, "bad_request", detail="Content-Length must be a whole number of bytes")
    length = int(raw)
    if length > limit:
        raise ApiError(413, "blob_too_large", {"max_bytes": limit}, max_mb=limit // (1024 * 1024))
    return length


# A snapshot without a province is answered without the key, exactly as before it existed.
@router.put("", status_code=201, responses=_ERRORS, openapi_extra=_BODY, response_model_exclude_none=True)
async def publish(
    request: Request, user: CurrentUser, engine: EngineDep, settings: SettingsDep, _protocol: ProtocolDep,
    fmt: FormatQuery,
    cursor: Annotated[int, Query(ge=0, description="The catalog cursor the snapshot holds every change up to")],
    sha256: Annotated[str, Query(pattern=_SHA256, description="SHA-256 of the body, lowercase hex")],
    province: ProvinceQuery = None,
) -> CatalogSnapshotInfo:
    """Store the body (the snapshot file, opaque to the server) and keep the format's newest two (administrators)."""
    if not user.is_admin:
        raise ApiError(403, "forbidden")
    declared = _declared_length(request, settings.snapshot_max_bytes)
    store = _store(request)
    try:
        await run_in_threadpool(snapshot.check_cursor, engine, cursor)
    except SnapshotError as err:
        raise _refused(err) from None
    upload = await run_in_threadpool(store.begin)
    try:
        pending = bytearray()
        async for chunk in request.stream():
            pending += chunk
            if upload.size + len(pending) > declared:
                raise ApiError(400, "bad_request", detail="the body is longer than its Content-Length")
            if len(pending) >= _WRITE_BYTES:
                await run_in_threadpool(upload.write, bytes(pending))
                pending.clear()
        if pending:
            await run_in_threadpool(upload.write, bytes(pending))
        if upload.size != declared:
            raise ApiError(400, "bad_request", detail="the body is shorter than its Content-Length")
        if await run_in_threadpool(upload.finish) != sha256:
            raise ApiError(422, "bad_request", detail="the body's SHA-256 does not match the sha256 given")
        await run_in_threadpool(store.keep, upload, sha256)
    except BaseException:
        upload.discard()  # also on a client that went away mid-body; not awaited, so it runs when cancelled
        raise
    return await run_in_threadpool(snapshot.record, engine, store, user, fmt, cursor, sha256, declared, province)


@router.get("", responses=_ERRORS, response_model_exclude_none=True)
def newest(request: Request, user: CurrentUser, engine: EngineDep, settings: SettingsDep, _protocol: ProtocolDep,
           fmt: FormatQuery, province: ProvinceQuery = None) -> CatalogSnapshotInfo:
    """The newest snapshot of this format (and home province), when it is offered to this user (see
    docs/sync-protocol.md)."""
    home = home_province(settings.home_province, user.province, user.is_admin)
    try:
        return snapshot.offered(engine, _store(request), user, fmt, province, home)
    except SnapshotError as err:
        raise _refused(err) from None


@router.get("/{sha}", responses=_ERRORS, response_class=FileResponse)
def download(
    sha: str, request: Request, _user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep,
    range_: Annotated[str | None, Header(alias="range", description="bytes=START- to resume")] = None,
) -> Response:
    """The snapshot file as stored (no Content-Encoding); `Range: bytes=START-` answers 206 with the rest."""
    if not is_sha256(sha):
        raise ApiError(400, "bad_request", detail="sha256 must be 64 lowercase hex digits")
    try:
        path = snapshot.file_for(engine, _store(request), sha)
    except SnapshotError as err:
        raise _refused(err) from None
    if range_ is not None:
        # Checked here so a bad range gets an ErrorBody; FileResponse then serves the (single) range itself.
        found = _RANGE.fullmatch(range_.strip())
        if found is None or (found[2] and int(found[2]) < int(found[1])):
            raise ApiError(400, "bad_request", detail="Range must be one range: bytes=START- or bytes=START-END")
        size = path.stat().st_size
        if int(found[1]) >= size:
            raise ApiError(416, "bad_request", {"size": size}, {"Content-Range": f"bytes */{size}"},
                           detail=f"the range starts at or beyond the end of the file ({size} bytes)")
    return FileResponse(path, media_type="application/octet-stream")
