"""Sign-in endpoints: login (password -> access + per-device refresh token), refresh, logout, me."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from sqlalchemy import Connection, Engine, delete, insert, select, update
from starlette.concurrency import run_in_threadpool

from market_server.accounts import User, assigned_institutions
from market_server.deps import CurrentUser, EngineDep, SettingsDep
from market_server.errors import ApiError
from market_server.refresh_tokens import rotate
from market_server.security import ACCESS_PREFIX, REFRESH_PREFIX, new_token, token_hash
from market_server.settings import Settings
from market_server.tables import access_token, app_user, device
from market_server.throttle import HashingPool, check_password
from sync.digests import home_province
from sync.fields import utc_now
from sync.protocol import ErrorBody, LoginRequest, RefreshRequest, TokenResponse, UserInfo

router = APIRouter(prefix="/auth", tags=["auth"])
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (401, 403, 422, 429)
}


def hashing_pool(request: Request) -> HashingPool:
    pool: HashingPool = request.app.state.hashing_pool
    return pool


@router.post("/login", responses=_ERRORS)
async def login(body: LoginRequest, request: Request, engine: EngineDep, settings: SettingsDep) -> TokenResponse:
    """Async so that a busy hashing pool is answered 429 from the event loop, never from a worker thread that
    signed-in users' requests wait for; the password check and the writes run on a worker thread."""
    client_ip = request.client.host if request.client else "unknown"
    pool = hashing_pool(request)
    with pool.slot():
        return await run_in_threadpool(_login, body, client_ip, engine, settings, pool)


def _login(body: LoginRequest, client_ip: str, engine: Engine, settings: Settings, pool: HashingPool) -> TokenResponse:
    row = check_password(engine, settings, pool, body.username, body.password, client_ip, holding_slot=True)
    if row.disabled:
        raise ApiError(403, "account_disabled")
    with engine.begin() as conn:
        refresh = new_token(REFRESH_PREFIX)
        device_pk = _register_device(conn, row.id, body, token_hash(refresh))
        user = User(row.id, row.username, row.role, row.display_name, False)
        answer = _issue_access(conn, settings, user, device_pk)
    answer.refresh_token = refresh
    return answer


def _register_device(conn: Connection, user_id: int, body: LoginRequest, refresh_hash: str) -> int:
    """One row per user and device: signing in again replaces that device's refresh token."""
    found = conn.execute(select(device.c.id).where(
        device.c.user_id == user_id, device.c.device_id == body.device_id)).scalar()
    values = {"name": body.device_name, "refresh_hash": refresh_hash, "revoked": False, "last_seen_at": utc_now(),
              "prev_refresh_hash": None, "refreshed_at": int(time.time()), "rotation_confirmed": True}
    if found is not None:
        conn.execute(update(device).where(device.c.id == found).values(**values))
        conn.execute(delete(access_token).where(access_token.c.device_pk == found))
        return int(found)
    return int(conn.execute(insert(device).values(
        user_id=user_id, device_id=body.device_id, created_at=utc_now(), **values
    ).returning(device.c.id)).scalar_one())


def _issue_access(conn: Connection, settings: Settings, user: User, device_pk: int) -> TokenResponse:
    token = new_token(ACCESS_PREFIX)
    now = int(time.time())
    conn.execute(delete(access_token).where(access_token.c.device_pk == device_pk, access_token.c.expires_at < now))
    conn.execute(insert(access_token).values(
        token_hash=token_hash(token), user_id=user.id, device_pk=device_pk,
        expires_at=now + settings.access_token_seconds,
    ))
    return TokenResponse(access_token=token, expires_in=settings.access_token_seconds,
                         user=_user_info(conn, settings, user))


def _user_info(conn: Connection, settings: Settings, user: User) -> UserInfo:
    override = conn.execute(select(app_user.c.home_province).where(app_user.c.id == user.id)).scalar()
    return UserInfo(username=user.username, display_name=user.display_name, role=user.role,
                    institutions=assigned_institutions(conn, user.id),
                    home_province=home_province(settings.home_province, override, user.is_admin))


@router.post("/refresh", responses=_ERRORS)
def refresh(body: RefreshRequest, engine: EngineDep, settings: SettingsDep) -> TokenResponse:
    """A new access token and a new refresh token (the presented one is retired; see refresh_tokens.rotate)."""
    with engine.connect() as conn:
        row, fresh = rotate(conn, settings, body.refresh_token, body.device_id)
        user = User(row.id, row.username, row.role, row.display_name, False)
        answer = _issue_access(conn, settings, user, row.device_pk)
        conn.commit()
    answer.refresh_token = fresh
    return answer


@router.post("/logout", status_code=204, responses=_ERRORS)
def logout(body: RefreshRequest, engine: EngineDep) -> None:
    """Revoke this device's refresh token and its access tokens (idempotent)."""
    with engine.begin() as conn:
        pk = conn.execute(select(device.c.id).where(device.c.refresh_hash == token_hash(body.refresh_token))).scalar()
        if pk is not None:
            conn.execute(update(device).where(device.c.id == pk).values(revoked=True))
            conn.execute(delete(access_token).where(access_token.c.device_pk == pk))


@router.get("/me", responses=_ERRORS)
def me(user: CurrentUser, engine: EngineDep, settings: SettingsDep) -> UserInfo:
    with engine.connect() as conn:
        return _user_info(conn, settings, user)


