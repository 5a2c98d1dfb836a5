"""Nothing-new pulls (and digest feed requests) answered before routing: one statement (pull_probe) and the
high-water marks, or the request goes on to the route unchanged (docs/sync-protocol.md, "Nothing new";
docs/performance.md, "A nothing-new pull")."""

from __future__ import annotations

import logging
import time

import anyio.to_thread
import orjson
import psycopg
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import State
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from market_server import digests, pull
from market_server.async_reads import AsyncReads
from market_server.body_encoding import compress_page, replay
from market_server.pull_probe import SCOPE_KEY, TOKEN, Probe, from_row, probe, statement
from market_server.security import token_hash
from market_server.settings import Settings
from sync.digests import home_province
from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION, DigestRequest, PullRequest

PATH = "/sync/pull"
DIGESTS_PATH = "/sync/digests"
_PROTOCOL = PROTOCOL_HEADER.lower().encode("ascii")
log = logging.getLogger("market_server.pull")


class NothingNewPulls:
    """ASGI middleware for POST /sync/pull: when the request is a specialist's well-formed pull, with a valid token
    for its own device and a protocol this server speaks, and the marks prove nothing is new, answers the empty page
    itself: the bytes and headers the route gives, after one statement (token, user, device, scope and version
    counter in one snapshot) instead of FastAPI's dependencies, two worker-thread hops and five statements.

    POST /sync/digests likewise: a specialist's own feed whose marks prove no digest waits above the cursor is
    answered the route's empty page (digests.nothing_new_digests).

    Anything else (a refusal of any kind, something new, an administrator, a token whose rotation is to be
    confirmed, a database error) goes on to the route with the body as sent, which answers as it always has, so
    every error keeps its one place. Nothing is cached across requests but the marks: a revoked token, a disabled
    account or a changed assignment counts from the next request on, on every instance.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in (PATH, DIGESTS_PATH) or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        token = _bearer(headers.get(b"authorization"))
        if token is None or not _protocol_spoken(headers.get(_PROTOCOL)) or not _json(headers.get(b"content-type")):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client went away before sending its body
        answer, found = await _answer(scope["app"].state, token, body, scope["path"])
        if answer is None:
            if found is not None:
                scope[SCOPE_KEY] = found  # the route reads neither token nor scope again (pull_probe.probed)
            await self.app(scope, replay(body, receive), send)
            return
        encoding = headers.get(b"accept-encoding", b"").decode("latin-1")
        content, extra = compress_page(answer, encoding)
        await Response(content, media_type="application/json", headers=extra)(scope, receive, send)


async def _answer(state: State, token: str, body: bytes, path: str = PATH) -> tuple[bytes | None, Probe | None]:
    """The empty page, or None when the route must answer; and the probe when the token is good for this pull (the
    digest route reads its user itself: no probe is handed on for it)."""
    settings: Settings = state.settings
    try:
        request = (PullRequest if path == PATH else DigestRequest).model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError):
        return None, None
    public = request.view != "user" if isinstance(request, PullRequest) else request.province is not None
    if public:  # the public view or a province's feed (administrators publishing a snapshot): the route's
        return None, None
    found = await _good_for(state, token, request.device_id)
    if found is None:
        return None, None
    user = found.user
    home = home_province(settings.home_province, user.province, user.is_admin)
    if isinstance(request, DigestRequest):
        return digests.nothing_new_digests(state.engine, found.scope, request, found.counter, home), None
    province = home if request.digests else None
    return pull.nothing_new_page(state.engine, found.scope, request, found.counter, province), found


async def _good_for(state: State, token: str, device_id: str) -> Probe | None:
    """The token's probe when it may pull for `device_id` (`_may_pull`); None for anything else, a failed probe
    included."""
    try:
        found = await _found(state, token_hash(token))
    except (SQLAlchemyError, psycopg.Error, OSError):
        log.debug("nothing-new probe failed; the route answers", exc_info=True)
        return None
    return found if found is not None and _may_pull(found, state.settings, device_id) else None


async def _found(state: State, hashed: str) -> Probe | None:
    """The probe, on the event loop where the database allows (PostgreSQL), else on a worker thread (SQLite)."""
    reads: AsyncReads = state.async_reads
    if reads.usable():
        row = await reads.first(statement("postgresql"), {TOKEN: hashed})
        return None if row is None else from_row(row)
    return await anyio.to_thread.run_sync(_probe, state.engine, hashed)


def _probe(engine: Engine, hashed: str) -> Probe | None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # no BEGIN / ROLLBACK trips
        return probe(conn, hashed)


def _may_pull(found: Probe, settings: Settings, device_id: str) -> bool:
    """Whether deps.current_user and the route would let this token pull for `device_id` without writing anything:
    a live token of a live device and enabled account, its rotation confirmed, its own device (administrators are
    left to the route by pull.nothing_new_page)."""
    user = found.user
    if found.expires_at < time.time() or found.device_revoked or user.disabled:
        return False
    if not found.rotation_confirmed and found.expires_at - settings.access_token_seconds >= (found.refreshed_at or 0):
        return False  # the route confirms the rotation (a write)
    return user.device_id is None or device_id == user.device_id


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers by name, the first of each name (as Starlette's `Headers.get`)."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        found.setdefault(name, value)
    return found


def _bearer(value: bytes | None) -> str | None:
    """The token of `Authorization: Bearer <token>`, read as deps.current_user reads it."""
    scheme, _, token = (value or b"").decode("latin-1").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else None


def _protocol_spoken(value: bytes | None) -> bool:
    try:
        version = int(value or 0)
    except ValueError:
        return False
    return MIN_PROTOCOL_VERSION <= version <= PROTOCOL_VERSION


def _json(value: bytes | None) -> bool:
    """A JSON body as FastAPI reads one (no Content-Type, or application/json with any parameters)."""
    return value is None or value.split(b";")[0].strip().lower() == b"application/json"


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
