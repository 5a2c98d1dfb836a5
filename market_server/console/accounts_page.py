"""Accounts and devices: add, disable or enable, reset a password (shown once), list and revoke devices."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, func, select

from market_server import accounts, audit
from market_server.console import stats
from market_server.console.auth import AdminDep, PostingAdminDep
from market_server.console.texts import text
from market_server.console.web import client_ip, engine_of, lang_of, redirect, render
from market_server.tables import app_user, device

router = APIRouter(prefix="/accounts")
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (l/1, O/0)


def new_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


@router.get("", response_class=HTMLResponse)
def accounts_list(request: Request, admin: AdminDep, notice: str | None = None,
                  problem: str | None = None) -> HTMLResponse:
    with engine_of(request).connect() as conn:
        n_devices: dict[int, int] = dict(conn.execute(select(device.c.user_id, func.count())
                                      .where(device.c.revoked.is_(False)).group_by(device.c.user_id)).all())
        n_inst = stats.load(conn)
        users = conn.execute(select(app_user).order_by(app_user.c.role, app_user.c.username)).all()
    return render(request, "accounts.html", admin=admin, active="nav_accounts", users=users, n_devices=n_devices,
                  n_inst=n_inst, notice=notice, problem=problem, roles=accounts.ROLES)


@router.post("/add")
def add(request: Request, admin: PostingAdminDep, username: Annotated[str, Form(max_length=64)],
        role: Annotated[str, Form()], password: Annotated[str, Form(max_length=1024)],
        display_name: Annotated[str, Form(max_length=100)] = "") -> Response:
    lang = lang_of(request)
    try:
        with engine_of(request).begin() as conn:
            accounts.add_user(conn, username.strip(), role, password, display_name.strip() or None)
            audit.record(conn, admin.name, "account.add", username, {"role": role}, client_ip(request))
    except accounts.AccountError as err:
        return redirect(request, "/accounts", problem=text("account_error", lang, detail=str(err)))
    return redirect(request, "/accounts", notice=text("account_added", lang, name=username.strip()))


@router.post("/{name}/disable")
def disable(request: Request, admin: PostingAdminDep, name: str) -> Response:
    lang = lang_of(request)
    if name == admin.name:
        return redirect(request, "/accounts", problem=text("not_yourself", lang))
    return _act(request, admin, name, "account.disable", accounts.disable_user, "account_disabled")


@router.post("/{name}/enable")
def enable(request: Request, admin: PostingAdminDep, name: str) -> Response:
    return _act(request, admin, name, "account.enable", accounts.enable_user, "account_enabled")


def _act(request: Request, admin: PostingAdminDep, name: str, action: str,
         run: Callable[[Connection, str], None], done: str) -> Response:
    lang = lang_of(request)
    try:
        with engine_of(request).begin() as conn:
            run(conn, name)
            audit.record(conn, admin.name, action, name, client_ip=client_ip(request))
    except accounts.AccountError as err:
        return redirect(request, "/accounts", problem=text("account_error", lang, detail=str(err)))
    return redirect(request, "/accounts", notice=text(done, lang, name=name))


@router.post("/{name}/password", response_class=HTMLResponse)
def reset_password(request: Request, admin: PostingAdminDep, name: str) -> Response:
    """The new password appears in this answer only; it is stored hashed and never shown again."""
    password = new_password()
    try:
        with engine_of(request).begin() as conn:
            accounts.reset_password(conn, name, password)
            audit.record(conn, admin.name, "account.reset_password", name, client_ip=client_ip(request))
    except accounts.AccountError as err:
        return redirect(request, "/accounts", problem=text("account_error", lang_of(request), detail=str(err)))
    return render(request, "password.html", admin=admin, active="nav_accounts", name=name, password=password)


@router.get("/{name}/devices", response_class=HTMLResponse)
def devices(request: Request, admin: AdminDep, name: str, notice: str | None = None) -> Response:
    try:
        with engine_of(request).connect() as conn:
            found = accounts.list_devices(conn, name)
    except accounts.AccountError:
        return render(request, "error.html", 404, admin=admin, message="not_found")
    return render(request, "devices.html", admin=admin, active="nav_accounts", name=name, devices=found,
                  notice=notice)


@router.post("/{name}/devices/{device_id}/revoke")
def revoke(request: Request, admin: PostingAdminDep, name: str, device_id: str) -> Response:
    try:
        with engine_of(request).begin() as conn:
            accounts.revoke_device(conn, name, device_id)
            audit.record(conn, admin.name, "device.revoke", name, {"device": device_id}, client_ip(request))
    except accounts.AccountError:
        return render(request, "error.html", 404, admin=admin, message="not_found")
    return redirect(request, f"/accounts/{name}/devices",
                    notice=text("device_revoked", lang_of(request), device=device_id))
