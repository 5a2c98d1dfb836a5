"""Sync endpoints: push mutations, pull pages, list open conflicts."""

from __future__ import annotations

import itertools
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from sqlalchemy import select

from market_server import pull as pull_service
from market_server import push as push_service
from market_server.body_encoding import compress_page
from market_server.deps import CurrentUser, EngineDep, ProtocolDep, PullUser, SettingsDep, require_own_device
from market_server.errors import ApiError
from market_server.pull_probe import probed
from market_server.tables import sync_conflict
from sync.digests import home_province
from sync.fields import utc_now
from sync.protocol import ErrorBody, PullRequest, PullResponse, PushRequest, PushResponse, ServerConflict

router = APIRouter(prefix="/sync", tags=["sync"])
_ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorBody} for code in (401, 403, 422, 426)}


@router.post("/push", responses=_ERRORS)
def push(body: PushRequest, user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep) -> PushResponse:
    """Apply each mutation exactly once; a retried batch gets the same answers."""
    require_own_device(user, body.device_id)
    seqs = [m.seq for m in body.mutations]
    if any(later <= earlier for earlier, later in itertools.pairwise(seqs)):
        raise ApiError(422, "bad_request", detail="mutation seq numbers must rise within a batch")
    return PushResponse(results=push_service.push(engine, user, body), server_time=utc_now())


@router.post("/pull", responses={200: {"model": PullResponse}, **_ERRORS})
def pull(
    body: PullRequest, request: Request, user: PullUser, engine: EngineDep, settings: SettingsDep,
    _protocol: ProtocolDep, accept_encoding: Annotated[str, Header()] = "",
) -> Response:
    """The next page of changes; its JSON is joined from the database's text (no per-row models or re-encoding)
    because pages are large. (A pull with nothing new was answered before routing: pull_fast_path.)

    Compressed here, in the worker thread, rather than by the middleware on the event loop."""
    require_own_device(user, body.device_id)
    if body.view == "public" and not user.is_admin:
        raise ApiError(403, "forbidden")
    if body.province is not None and body.view != "public":
        raise ApiError(422, "bad_request", detail="province is for the public view only")
    province = home_province(settings.home_province, user.province, user.is_admin) if body.digests else None
    found = probed(request.scope)  # the fast path's read of the user's scope, when it made one
    content = pull_service.pull_body(engine, user, body, province, None if found is None else found.scope)
    content, headers = compress_page(content, accept_encoding)  # zstd -3 when asked, else gzip -1
    return Response(content, media_type="application/json", headers=headers)


@router.get("/conflicts", responses=_ERRORS)
def conflicts(user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep) -> list[ServerConflict]:
    """The user's open conflicts, oldest first."""
    with engine.connect() as conn:
        found = conn.execute(select(sync_conflict).where(
            sync_conflict.c.mine_by == user.username, sync_conflict.c.resolved.is_(False),
        ).order_by(sync_conflict.c.mine_at, sync_conflict.c.id)).all()
    return [ServerConflict(row_id=r.row_id, **{k: v for k, v in r._mapping.items() if k != "row_id"}) for r in found]
