"""Rendering console pages: the Jinja2 environment, the reader's language, labels from the contract, redirects."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from market_server.console.texts import LANGS, text
from market_server.settings import Settings
from sync import codes
from sync.entities import ENTITIES
from sync.fields import MARKET_TZ_OFFSET

LANG_COOKIE = "mk_console_lang"
# Pages load only their own stylesheet and script, and cannot be framed (clickjacking) or post elsewhere.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
_env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)


def market_time(value: object) -> str:
    """A stored UTC time as the market reads it: 'YYYY-MM-DD HH:MM' in market time (UTC+8, the contract's zone)."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else None
    if moment is None:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + MARKET_TZ_OFFSET).strftime("%Y-%m-%d %H:%M")


_env.filters["market_time"] = market_time


def lang_of(request: Request) -> str:
    """Chinese first: English only when the reader chose it."""
    lang = request.cookies.get(LANG_COOKIE, "zh_CN")
    return lang if lang in LANGS else "zh_CN"


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def code_label(table: str, value: object, lang: str) -> str:
    """A code's label in `lang` (the value itself when it is not in the table)."""
    if value is None or value == "":
        return ""
    found = codes.ALL_TABLES.get(table)
    return found.label(str(value), lang) if found else str(value)


def field_label(entity: str, field: str, lang: str) -> str:
    f = ENTITIES[entity].field(field)
    return f.zh if lang.startswith("zh") else f.en


def entity_label(entity: str, lang: str) -> str:
    e = ENTITIES[entity]
    return e.zh if lang.startswith("zh") else e.en


def render(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    page = _env.get_template(template).render(
        request=request, lang=lang, root=request.scope.get("root_path", ""),
        t=lambda code, **p: text(code, lang, **p),
        code=lambda table, value: code_label(table, value, lang),
        field=lambda entity, name: field_label(entity, name, lang),
        entity=lambda name: entity_label(name, lang),
        **context,
    )
    return HTMLResponse(page, status_code=http_status, headers=PAGE_HEADERS)


def redirect(request: Request, path: str, **query: Any) -> RedirectResponse:
    """A 303 to a console path (relative to the console's mount), with an optional notice in the query."""
    url = request.scope.get("root_path", "") + path
    shown = {k: v for k, v in query.items() if v is not None}
    joiner = "&" if "?" in url else "?"
    return RedirectResponse(url + (joiner + urlencode(shown) if shown else ""), status_code=303)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
