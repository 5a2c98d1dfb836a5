"""Request body caps per endpoint, enforced while the body streams in (chunked bodies included): 413 early."""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from market_server.errors import error_body
from sync.protocol import MAX_AUTH_BODY_BYTES, MAX_BLOB_CHUNK_BYTES, MAX_PULL_BODY_BYTES, MAX_PUSH_BODY_BYTES

DEFAULT_MAX_BODY_BYTES = 64 * 1024
# Requests with a body over 64 KiB (push batches, attachment chunks, big pulls) are read and handled at most this
# many at a time; the others wait with their bodies unread (in the socket, not in memory). Streamed routes
# (caps over STREAMED_CAP_BYTES: the catalog snapshot, written to disk as it arrives) are not counted.
BIG_BODIES_AT_ONCE = 8
STREAMED_CAP_BYTES = 64 * 1024 * 1024
CONSOLE_IMPORT_MAX_BYTES = 25 * 1024 * 1024  # a catalog spreadsheet uploaded in the web console (nginx allows 26 MB)


def body_cap(method: str, path: str, snapshot_max_bytes: int) -> int:
    """The largest body this route takes, in bytes."""
    if path.startswith("/auth/"):
        return MAX_AUTH_BODY_BYTES
    if path == "/sync/push":
        return MAX_PUSH_BODY_BYTES
    if path == "/sync/pull":
        return MAX_PULL_BODY_BYTES
    if path.startswith("/blobs/") and method in ("PATCH", "PUT"):
        return MAX_BLOB_CHUNK_BYTES
    if path == "/catalog-snapshot" and method == "PUT":
        return snapshot_max_bytes
    if path == "/admin/import/check" and method == "POST":
        return CONSOLE_IMPORT_MAX_BYTES
    return DEFAULT_MAX_BODY_BYTES


class BodyTooLarge(Exception):
    """Raised inside the app's receive() when the body passes its cap; answered 413 if nothing was sent yet."""


class BodyLimitMiddleware:
    """Refuses a declared Content-Length over the route's cap before reading, and counts streamed bytes otherwise."""

    def __init__(self, app: ASGIApp, cap: Callable[[str, str], int], big_bodies: int = BIG_BODIES_AT_ONCE) -> None:
        self.app = app
        self.cap = cap
        self.big_bodies = big_bodies
        # One semaphore per event loop (the server has one; test clients may start several).
        self._big: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.cap(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        if (DEFAULT_MAX_BODY_BYTES < limit <= STREAMED_CAP_BYTES and scope["method"] in ("POST", "PUT", "PATCH")
                and (declared is None or declared > DEFAULT_MAX_BODY_BYTES)):
            big = self._big.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(self.big_bodies))
            async with big:
                await self._limited(scope, receive, send, limit)
            return
        await self._limited(scope, receive, send, limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        started = tripped = False

        async def counted_receive() -> Message:
            nonlocal seen, tripped
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    tripped = True
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if tripped and not started:
                return  # the app's own answer to the cut body (400, 500) is replaced by the 413 below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except Exception:
            if not tripped:
                raise
        if tripped and not started:
            await _refuse(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = error_body("body_too_large", {"max_bytes": limit}, max_kb=max(1, limit // 1024)).model_dump(
        exclude_none=True)
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": payload})
