"""The market's web console (/admin/): server-rendered pages for administrators, in the server's own process."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from market_server.console import (
    accounts_page,
    audit_page,
    auth,
    duplicates_page,
    import_page,
    institutions_page,
    overview,
    reports_page,
    review_page,
)
from market_server.console.texts import LANGS
from market_server.console.web import LANG_COOKIE, redirect, render

# Every page's router, in the order they are included (tests/reliability/test_authz_matrix_console.py reads it).
PAGES = (auth, overview, accounts_page, institutions_page, review_page, duplicates_page, import_page, reports_page,
         audit_page)


def create_console(parent: FastAPI) -> FastAPI:
    """The console as an app mounted under /admin, sharing the parent's state (engine, settings)."""
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state = parent.state
    console.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    for module in PAGES:
        console.include_router(module.router)
    console.add_api_route("/lang/{lang}", _switch_language, methods=["GET"])
    console.add_exception_handler(auth.LoginRequired, _login_required)
    console.add_exception_handler(auth.CsrfRejected, _csrf_rejected)
    console.add_exception_handler(StarletteHTTPException, _http_error)
    console.add_exception_handler(RequestValidationError, _bad_request)
    return console


def _switch_language(request: Request, lang: str) -> RedirectResponse:
    back = urlsplit(request.headers.get("referer", ""))
    root = request.scope.get("root_path", "")
    path = back.path if back.path.startswith(root + "/") else root + "/"
    answer = RedirectResponse(path + (f"?{back.query}" if back.query else ""), status_code=303)
    if lang in LANGS:
        answer.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict", path=root or "/")
    return answer


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, auth.LoginRequired)
    return redirect(request, "/login", notice=exc.reason)


async def _csrf_rejected(request: Request, _exc: Exception) -> HTMLResponse:
    return render(request, "error.html", 403, message="csrf_failed")


async def _http_error(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = "not_found" if exc.status_code == 404 else "bad_request"
    return render(request, "error.html", exc.status_code, message=message)


async def _bad_request(request: Request, _exc: Exception) -> HTMLResponse:
    return render(request, "error.html", 400, message="bad_request")
