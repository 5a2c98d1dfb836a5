"""Password checks before sign-in: a bounded hashing pool and attempt limits per address, account and overall."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from starlette.types import ASGIApp, Receive, Scope, Send

from market_server.errors import ApiError
from market_server.security import verify_password
from market_server.settings import Settings
from market_server.tables import app_user, login_failure


class HashingPool:
    """At most `size` password hashes at once; one more is refused at once (429 login_busy), never queued.

    The hashes run on the pool's own threads at the lowest CPU priority (Linux: a thread's nice value is its
    own, and argon2's lane threads inherit it), so signed-in users' requests get the CPU first.
    """

    def __init__(self, size: int) -> None:
        self._slots = threading.BoundedSemaphore(max(1, size))
        self._threads = ThreadPoolExecutor(max(1, size), thread_name_prefix="password-hash",
                                           initializer=_lowest_priority)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._slots.acquire(blocking=False):
            raise ApiError(429, "login_busy", headers={"Retry-After": "1"})
        try:
            yield
        finally:
            self._slots.release()

    def verify(self, password_hash: str | None, password: str) -> bool:
        """verify_password on a pool thread (call it holding a slot)."""
        return self._threads.submit(verify_password, password_hash, password).result()

    def close(self) -> None:
        self._threads.shutdown(wait=False)

    def full(self) -> bool:
        """Every slot taken just now (a hint: the route's own acquire decides)."""
        if self._slots.acquire(blocking=False):
            self._slots.release()
            return False
        return True


class BusyLoginGuard:
    """While the hashing pool is full, password sign-ins are answered 429 before anything else reads them.

    The cheapest possible refusal (no routing, no body, no validation, no log line): a flood of sign-ins then
    costs the event loop almost nothing, and signed-in users' requests keep their latency.
    """

    def __init__(self, app: ASGIApp, pool: HashingPool, paths: tuple[str, ...] = ("/auth/login", "/admin/login"),
                 answer: bytes = b"") -> None:
        self.app = app
        self.pool = pool
        self.paths = paths
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths and self.pool.full():
            await send({"type": "http.response.start", "status": 429, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(self.answer)).encode()),
                (b"retry-after", b"1"), (b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"),
            ]})
            await send({"type": "http.response.body", "body": self.answer})
            return
        await self.app(scope, receive, send)


def check_password(engine: Engine, settings: Settings, pool: HashingPool, username: str, password: str,
                   client_ip: str, *, holding_slot: bool = False) -> Any:
    """The app_user row when the password is right, else ApiError (401 login_failed, 429 throttled or busy).

    The one password check of every sign-in (API and web console). Each attempt is written (committed) before
    the password is hashed and the limits are counted after that write, so an attempt's count is at least its
    place in the commit order: however many arrive at once, no more than a limit's worth are hashed. An attempt
    refused by a limit is removed again (it cost no hash); a wrong password stays counted for the window; a right
    one removes the attempts of that name from that address. `holding_slot`: the caller already holds one of
    the pool's slots (an async route takes it in the event loop, so a busy pool never costs a worker thread).
    """
    with contextlib.nullcontext() if holding_slot else pool.slot():
        now = int(time.time())
        with engine.begin() as conn:
            attempt = conn.execute(insert(login_failure).values(
                username=username, client_ip=client_ip, at=now).returning(login_failure.c.id)).scalar_one()
        try:
            with engine.connect() as conn:
                _refuse_over_limits(conn, settings, username, client_ip, now)
                row = conn.execute(select(app_user).where(app_user.c.username == username)).first()
        except ApiError:
            with engine.begin() as conn:  # refused unchecked: only checked attempts count against the limits
                conn.execute(delete(login_failure).where(login_failure.c.id == attempt))
            raise
        if not pool.verify(row.password_hash if row else None, password) or row is None:
            with engine.begin() as conn:
                conn.execute(delete(login_failure).where(login_failure.c.at < now - settings.login_window_seconds))
            raise ApiError(401, "login_failed")
        with engine.begin() as conn:
            conn.execute(delete(login_failure).where(
                login_failure.c.username == username, login_failure.c.client_ip == client_ip,
                login_failure.c.id <= attempt))
    return row


def _lowest_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def _refuse_over_limits(conn: Any, settings: Settings, username: str, client_ip: str, now: int) -> None:
    since = now - settings.login_window_seconds
    recent = login_failure.c.at >= since
    limits = (
        (settings.login_max_failures, (login_failure.c.username == username, login_failure.c.client_ip == client_ip)),
        (settings.login_max_per_account, (login_failure.c.username == username,)),
        (settings.login_max_per_address, (login_failure.c.client_ip == client_ip,)),
        (settings.login_max_global, ()),
    )
    for limit, where in limits:
        count = conn.execute(select(func.count()).select_from(login_failure).where(recent, *where)).scalar_one()
        if count > limit:
            minutes = max(1, settings.login_window_seconds // 60)
            raise ApiError(429, "login_rate_limited", headers={"Retry-After": str(settings.login_window_seconds)},
                           minutes=minutes)
