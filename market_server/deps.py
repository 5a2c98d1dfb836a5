"""Request dependencies: the database engine, the signed-in user, and the sync protocol check."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, select

from market_server.accounts import User
from market_server.errors import ApiError
from market_server.pull_probe import probed
from market_server.refresh_tokens import confirm_rotation
from market_server.security import token_hash
from market_server.settings import Settings
from market_server.tables import access_token, app_user, device
from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION


# Dependencies that only read memory are async: FastAPI runs a plain `def` dependency on a worker thread (a hop
# each, per request), an `async def` one on the event loop.
async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def current_user(
    engine: EngineDep, settings: SettingsDep, authorization: Annotated[str | None, Header()] = None
) -> User:
    """The user holding a valid access token; a disabled account is refused even with a valid token."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "login_required", headers={"WWW-Authenticate": "Bearer"})
    with engine.connect() as conn:
        row = conn.execute(
            select(app_user, access_token.c.expires_at, device.c.device_id.label("token_device"),
                   device.c.revoked.label("device_revoked"), device.c.id.label("device_pk"),
                   device.c.rotation_confirmed, device.c.refreshed_at)
            .join(access_token, access_token.c.user_id == app_user.c.id)
            .join(device, device.c.id == access_token.c.device_pk)
            .where(access_token.c.token_hash == token_hash(token.strip()))
        ).first()
    if row is None or row.expires_at < time.time() or row.device_revoked:
        raise ApiError(401, "login_required", headers={"WWW-Authenticate": "Bearer"})
    if row.disabled:
        raise ApiError(403, "account_disabled")
    if not row.rotation_confirmed and row.expires_at - settings.access_token_seconds >= (row.refreshed_at or 0):
        with engine.begin() as conn:  # once per rotation: the client holds the refresh token it was last given
            confirm_rotation(conn, row.device_pk)
    return User(row.id, row.username, row.role, row.display_name, bool(row.disabled), row.token_device,
                row.home_province)


def require_own_device(user: User, device_id: str) -> None:
    """A token acts only for the device it was issued to: another device's id in a sync body is refused.

    Otherwise one device's token could move another device's push sequence, and that device's later
    mutations would be answered as already applied without being applied.
    """
    if user.device_id is not None and device_id != user.device_id:
        raise ApiError(403, "wrong_device")


CurrentUser = Annotated[User, Depends(current_user)]


async def pull_user(
    request: Request, engine: EngineDep, settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> User:
    """`current_user` for /sync/pull: the user pull_fast_path already read for this request's token when it passed
    the pull on (no statement, no worker thread), else `current_user` on a worker thread."""
    found = probed(request.scope)
    if found is not None:
        return found.user
    return await run_in_threadpool(current_user, engine, settings, authorization)


PullUser = Annotated[User, Depends(pull_user)]


async def require_protocol(
    settings: SettingsDep, x_sync_protocol: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None
) -> int:
    """The client's protocol version; outdated or missing -> 426 naming the version to install."""
    try:
        version = int(x_sync_protocol or 0)
    except ValueError:
        version = 0
    details = {"protocol": PROTOCOL_VERSION, "min_protocol": MIN_PROTOCOL_VERSION,
               "min_client_version": settings.min_client_version}
    if version < MIN_PROTOCOL_VERSION:
        raise ApiError(426, "protocol_outdated", details, version=settings.min_client_version)
    if version > PROTOCOL_VERSION:
        raise ApiError(426, "server_outdated", details, version=version)
    return version


ProtocolDep = Annotated[int, Depends(require_protocol)]
