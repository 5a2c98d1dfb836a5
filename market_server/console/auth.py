"""Console sign-in: administrators only, a server-side session behind an HttpOnly cookie, CSRF on every form."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import delete, insert, select, update

from market_server import audit
from market_server.accounts import User
from market_server.console.web import client_ip, engine_of, redirect, render, settings_of
from market_server.errors import ApiError
from market_server.security import token_hash
from market_server.tables import app_user, console_session
from market_server.throttle import check_password

COOKIE = "mk_console"
LOGIN_COOKIE = "mk_console_login"  # the sign-in form's CSRF token (double submit: cookie and hidden field)
MAX_AGE_SECONDS = 12 * 3600  # a session ends after this long even when used
_TOUCH_EVERY = 30  # seconds between writes of a session's last_seen

router = APIRouter()


@dataclass(frozen=True)
class Admin:
    """The signed-in administrator of a console request, and the session's CSRF token for its forms."""

    user: User
    csrf: str

    @property
    def name(self) -> str:
        return self.user.username


class LoginRequired(Exception):
    """No valid console session: answered with a redirect to the sign-in page."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason


class CsrfRejected(Exception):
    """A form without this session's CSRF token: answered 403, nothing done."""


def _session(request: Request) -> Admin | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    settings = settings_of(request)
    now = int(time.time())
    key = token_hash(token)
    with engine_of(request).begin() as conn:
        row = conn.execute(
            select(console_session.c.csrf, console_session.c.created_at, console_session.c.last_seen, app_user)
            .join(app_user, app_user.c.id == console_session.c.user_id)
            .where(console_session.c.token_hash == key)
        ).first()
        if row is None:
            return None
        idle = now - row.last_seen > settings.console_idle_seconds
        if idle or now - row.created_at > MAX_AGE_SECONDS or row.disabled or row.role != "admin":
            conn.execute(delete(console_session).where(console_session.c.token_hash == key))
            if idle:
                raise LoginRequired("session_expired")
            return None
        if now - row.last_seen >= _TOUCH_EVERY:
            conn.execute(update(console_session).where(console_session.c.token_hash == key).values(last_seen=now))
    return Admin(User(row.id, row.username, row.role, row.display_name, False), row.csrf)


def current_admin(request: Request) -> Admin:
    """The page's administrator; anyone else is sent to the sign-in page."""
    admin = _session(request)
    if admin is None:
        raise LoginRequired()
    return admin


async def posting_admin(request: Request) -> Admin:
    """current_admin for a form post, which must also carry this session's CSRF token."""
    admin = current_admin(request)
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, admin.csrf):
        raise CsrfRejected()
    return admin


AdminDep = Annotated[Admin, Depends(current_admin)]
PostingAdminDep = Annotated[Admin, Depends(posting_admin)]


def _login_page(request: Request, error: str | None = None, status: int = 200, **params: object) -> HTMLResponse:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    notice = request.query_params.get("notice")
    page = render(request, "login.html", status, csrf=token, error=error, params=params,
                  notice=notice if notice in ("session_expired", "signed_out") else None)
    page.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                    path=request.scope.get("root_path", "") or "/")
    return page


def _secure(request: Request) -> bool:
    """Secure cookies whenever the console is reached over TLS (uvicorn's --proxy-headers behind a proxy)."""
    return request.url.scheme == "https"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=1024)], csrf: Annotated[str, Form(max_length=128)]) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf, expected):
        return _login_page(request, "csrf_failed", 403)
    settings, ip, engine = settings_of(request), client_ip(request), engine_of(request)
    try:  # the server's one password check: the same throttle and hashing pool as POST /auth/login
        row = check_password(engine, settings, request.app.state.hashing_pool, username, password, ip)
    except ApiError as err:
        with engine.begin() as conn:
            audit.record(conn, username, "console.login_failed", detail={"code": err.code}, client_ip=ip)
        if err.code == "login_rate_limited":
            return _login_page(request, "login_rate_limited", 429, minutes=max(1, settings.login_window_seconds // 60))
        return _login_page(request, "login_busy" if err.code == "login_busy" else "login_failed", err.status)
    with engine.begin() as conn:
        if row.disabled or row.role != "admin":
            audit.record(conn, username, "console.login_refused", client_ip=ip)
            return _login_page(request, "login_disabled" if row.disabled else "login_not_admin", 403)
        token, now = secrets.token_urlsafe(32), int(time.time())
        conn.execute(insert(console_session).values(token_hash=token_hash(token), user_id=row.id,
                                                    csrf=secrets.token_urlsafe(32), created_at=now, last_seen=now))
        conn.execute(delete(console_session).where(console_session.c.last_seen < now - MAX_AGE_SECONDS))
        audit.record(conn, username, "console.login", client_ip=ip)
    answer = redirect(request, "/")
    answer.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                      path=request.scope.get("root_path", "") or "/")
    answer.delete_cookie(LOGIN_COOKIE, path=request.scope.get("root_path", "") or "/")
    return answer


@router.post("/logout")
def logout(request: Request, admin: PostingAdminDep) -> RedirectResponse:
    with engine_of(request).begin() as conn:
        conn.execute(delete(console_session).where(
            console_session.c.token_hash == token_hash(request.cookies.get(COOKIE, ""))))
        audit.record(conn, admin.name, "console.logout", client_ip=client_ip(request))
    answer = redirect(request, "/login", notice="signed_out")
    answer.delete_cookie(COOKIE, path=request.scope.get("root_path", "") or "/")
    return answer
