"""Sign-in endpoints: login (password -> access + per-device refresh token), refresh, logout, me."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from sqlalchemy import Connection, delete, func, insert, select, update

from market_server.accounts import User, assigned_institutions
from market_server.deps import CurrentUser, EngineDep, SettingsDep
from market_server.errors import ApiError
from market_server.security import ACCESS_PREFIX, REFRESH_PREFIX, new_token, token_hash, verify_password
from market_server.settings import Settings
from market_server.tables import access_token, app_user, device, login_failure
from sync.fields import utc_now
from sync.protocol import ErrorBody, LoginRequest, RefreshRequest, TokenResponse, UserInfo

router = APIRouter(prefix="/auth", tags=["auth"])
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (401, 403, 422, 429)
}


@router.post("/login", responses=_ERRORS)
def login(body: LoginRequest, request: Request, engine: EngineDep, settings: SettingsDep) -> TokenResponse:
    client_ip = request.client.host if request.client else "unknown"
    now = int(time.time())
    with engine.connect() as conn:
        since = now - settings.login_window_seconds
        failures = conn.execute(select(func.count()).select_from(login_failure).where(
            login_failure.c.username == body.username, login_failure.c.client_ip == client_ip,
            login_failure.c.at >= since,
        )).scalar_one()
        if failures >= settings.login_max_failures:
            minutes = max(1, settings.login_window_seconds // 60)
            raise ApiError(429, "login_rate_limited", headers={"Retry-After": str(settings.login_window_seconds)},
                           minutes=minutes)
        row = conn.execute(select(app_user).where(app_user.c.username == body.username)).first()
        if not verify_password(row.password_hash if row else None, body.password) or row is None:
            conn.execute(insert(login_failure).values(username=body.username, client_ip=client_ip, at=now))
            conn.commit()
            raise ApiError(401, "login_failed")
        if row.disabled:
            raise ApiError(403, "account_disabled")
        conn.execute(delete(login_failure).where(
            login_failure.c.username == body.username, login_failure.c.client_ip == client_ip))
        refresh = new_token(REFRESH_PREFIX)
        device_pk = _register_device(conn, row.id, body, token_hash(refresh))
        user = User(row.id, row.username, row.role, row.display_name, False)
        answer = _issue_access(conn, settings, user, device_pk)
        conn.commit()
    answer.refresh_token = refresh
    return answer


def _register_device(conn: Connection, user_id: int, body: LoginRequest, refresh_hash: str) -> int:
    """One row per user and device: signing in again replaces that device's refresh token."""
    found = conn.execute(select(device.c.id).where(
        device.c.user_id == user_id, device.c.device_id == body.device_id)).scalar()
    values = {"name": body.device_name, "refresh_hash": refresh_hash, "revoked": False, "last_seen_at": utc_now()}
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
    return TokenResponse(access_token=token, expires_in=settings.access_token_seconds, user=_user_info(conn, user))


def _user_info(conn: Connection, user: User) -> UserInfo:
    return UserInfo(username=user.username, display_name=user.display_name, role=user.role,
                    institutions=assigned_institutions(conn, user.id))


@router.post("/refresh", responses=_ERRORS)
def refresh(body: RefreshRequest, engine: EngineDep, settings: SettingsDep) -> TokenResponse:
    with engine.begin() as conn:
        row = conn.execute(
            select(device.c.id.label("device_pk"), device.c.revoked, app_user)
            .join(app_user, app_user.c.id == device.c.user_id)
            .where(device.c.refresh_hash == token_hash(body.refresh_token.strip()))
        ).first()
        if row is None or row.revoked:
            raise ApiError(401, "login_required")
        if row.disabled:
            raise ApiError(403, "account_disabled")
        conn.execute(update(device).where(device.c.id == row.device_pk).values(last_seen_at=utc_now()))
        user = User(row.id, row.username, row.role, row.display_name, False)
        return _issue_access(conn, settings, user, row.device_pk)


@router.post("/logout", status_code=204, responses=_ERRORS)
def logout(body: RefreshRequest, engine: EngineDep) -> None:
    """Revoke this device's refresh token and its access tokens (idempotent)."""
    with engine.begin() as conn:
        pk = conn.execute(select(device.c.id).where(device.c.refresh_hash == token_hash(body.refresh_token))).scalar()
        if pk is not None:
            conn.execute(update(device).where(device.c.id == pk).values(revoked=True))
            conn.execute(delete(access_token).where(access_token.c.device_pk == pk))


@router.get("/me", responses=_ERRORS)
def me(user: CurrentUser, engine: EngineDep) -> UserInfo:
    with engine.connect() as conn:
        return _user_info(conn, user)


