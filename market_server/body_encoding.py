"""Compressed request bodies: the one place a zstd or gzip body is decoded (bounded), and the answers say so."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import zstandard

from market_server.errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ACCEPTED = "zstd, gzip"
# Limits apply to the DECODED size too (the route's body cap, market_server/body_limits.py, which counts the bytes
# as sent): a small compressed body must not expand into gigabytes in memory. This is the ceiling when no cap is given.
MAX_DECODED_BYTES = 64 * 1024 * 1024
ZSTD_LEVEL = 3


class BodyTooLarge(Exception):
    pass


def decode(encoding: str, data: bytes, limit: int = MAX_DECODED_BYTES) -> bytes:
    """`data` decoded from `encoding` ("zstd" or "gzip"), at most `limit` bytes or BodyTooLarge."""
    if encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(data, limit + 1)
    else:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            out = reader.read(limit + 1)
    if len(out) > limit:
        raise BodyTooLarge()
    return out


def compress_page(content: bytes, accept_encoding: str) -> tuple[bytes, dict[str, str]]:
    """A JSON answer compressed as the client asks: zstd -3 when it accepts zstd, else gzip -1, else as is."""
    accepted = {part.split(";")[0].strip() for part in accept_encoding.lower().split(",")}
    if len(content) <= 1024:
        return content, {}
    if "zstd" in accepted:
        compressed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(content)
        return compressed, {"Content-Encoding": "zstd", "Vary": "Accept-Encoding"}
    if "gzip" in accepted:
        return gzip.compress(content, compresslevel=1), {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return content, {}


class RequestDecoding:
    """ASGI middleware: decodes a request body sent with Content-Encoding zstd or gzip before the app reads it
    (415 for any other encoding, 413 beyond the route's cap once decoded, 400 for a broken stream); every answer
    carries `Accept-Encoding: zstd, gzip` so clients learn they may compress (RFC 7694)."""

    def __init__(self, app: ASGIApp, cap: Callable[[str, str], int] | None = None) -> None:
        self.app = app
        self.cap = cap or (lambda _method, _path: MAX_DECODED_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def advertise(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"accept-encoding", ACCEPTED.encode())]
            await send(message)

        headers = [(k, v) for k, v in scope.get("headers", [])]
        encoding = next((v.decode("latin-1").strip().lower() for k, v in headers if k == b"content-encoding"), "")
        if encoding in ("", "identity"):
            await self.app(scope, receive, advertise)
            return
        if encoding not in ("zstd", "gzip"):
            await _error(advertise, 415, f"Content-Encoding {encoding} is not accepted (zstd, gzip)")
            return
        limit = min(self.cap(scope["method"], scope["path"]), MAX_DECODED_BYTES)
        raw = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            raw += message.get("body", b"")
            if len(raw) > limit:
                await _error(advertise, 413, "request body too large")
                return
            if not message.get("more_body"):
                break
        try:
            body = decode(encoding, bytes(raw), limit)
        except BodyTooLarge:
            await _error(advertise, 413, "request body too large once decoded")
            return
        except (zlib.error, zstandard.ZstdError, EOFError):
            await _error(advertise, 400, f"the {encoding} body cannot be decoded")
            return
        kept = [(k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")]
        decoded_scope = {**scope, "headers": [*kept, (b"content-length", str(len(body)).encode())]}
        await self.app(decoded_scope, replay(body, receive), advertise)


async def _error(send: Send, status: int, detail: str) -> None:
    payload = error_body("bad_request", detail=detail).model_dump_json(exclude_none=True).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def replay(body: bytes, receive: Receive) -> Receive:
    """`receive` for the app behind a middleware that read the whole body: that body, then whatever comes next (a
    disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
