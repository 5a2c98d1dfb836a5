"""Structured JSON logs, one line per event, with the request id of the request being served."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from market_server.log_queue import DroppingQueueHandler, LogWriter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
REQUEST_ID_HEADER = "X-Request-Id"
access_log = logging.getLogger("market_server.access")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object; extra fields given as `extra={"fields": {...}}` are merged in."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if (request_id := request_id_var.get()) is not None:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: int = logging.INFO, queue_records: int = 10_000) -> LogWriter:
    """JSON lines on stderr, written by a thread off a bounded queue (market_server, uvicorn and library records).

    Serving never waits for the sink: when stderr stalls (a full pipe, journald under pressure) records beyond
    `queue_records` are dropped and counted, and the count is logged once the sink takes lines again.
    Call `stop()` on the returned writer at shutdown to write out what is still queued.
    """
    queued = DroppingQueueHandler(queue_records)
    queued.setFormatter(JsonFormatter())
    sink = logging.StreamHandler(sys.stderr)
    sink.setFormatter(logging.Formatter("%(message)s"))  # records arrive formatted as JSON by the queue handler
    root = logging.getLogger()
    root.handlers[:] = [queued]
    root.setLevel(logging.WARNING)
    for name in ("market_server", "uvicorn"):  # uvicorn.error and uvicorn.access propagate through "uvicorn"
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.setLevel(level)
        logger.propagate = True
    writer = LogWriter(queued, sink)
    writer.start()
    return writer


def install_request_ids(app: FastAPI) -> None:
    """Give each request an id (the client's X-Request-Id if sane), log one access line without headers."""
    app.add_middleware(RequestIds)


class RequestIds:
    """Plain ASGI (no BaseHTTPMiddleware task and body streams per request): the id is set for everything the
    request runs, the access line is logged when the answer starts (status known)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == _HEADER_KEY), b"")
        sane = 0 < len(given) <= 64 and given.isascii()
        request_id = given.decode("ascii") if sane else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Only method, path (no query string: it may carry nothing secret today, but stay safe) and status.
                access_log.info("request", extra={"fields": {
                    "method": scope["method"], "path": scope["path"], "status": message["status"],
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }})
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != _HEADER_KEY]
                message = {**message, "headers": [*headers, (_HEADER_KEY, request_id.encode("ascii"))]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


_HEADER_KEY = REQUEST_ID_HEADER.lower().encode("ascii")
