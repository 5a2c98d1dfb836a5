"""API errors: every failure answers with an ErrorBody (machine code, zh_CN and English message)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.messages import render
from sync.protocol import ErrorBody

log = logging.getLogger("market_server.errors")

_STATUS_CODES = {400: "bad_request", 401: "login_required", 403: "forbidden", 404: "not_found"}


class ApiError(Exception):
    """An error answered to the client as `status` with an ErrorBody built from a sync.messages code."""

    def __init__(
        self,
        status: int,
        code: str,
        details: dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params
        self.details = details
        self.headers = headers

    def body(self) -> ErrorBody:
        return error_body(self.code, self.details, **self.params)


def error_body(code: str, details: dict[str, Any] | list[Any] | None = None, **params: Any) -> ErrorBody:
    return ErrorBody(
        code=code, message=render(code, "zh_CN", **params), message_en=render(code, "en", **params), details=details
    )


def _response(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _response(exc.status, exc.body(), exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{p['where']}: {p['problem']}" for p in problems[:5])
    return _response(422, error_body("bad_request", problems, detail=detail))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "bad_request")
    params: dict[str, Any] = {"detail": str(exc.detail)} if code == "bad_request" else {}
    headers = dict(exc.headers) if exc.headers else None
    return _response(exc.status_code, error_body(code, **params), headers)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    body = ErrorBody(
        code="internal", message="服务器内部错误，请稍后重试", message_en="Internal server error; try again later"
    )
    return _response(500, body)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)

