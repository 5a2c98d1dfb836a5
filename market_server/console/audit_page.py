"""The audit log page: the newest console actions, who did them and when."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from market_server import audit
from market_server.console.auth import AdminDep
from market_server.console.texts import action_label
from market_server.console.web import engine_of, lang_of, render

router = APIRouter()


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, admin: AdminDep, actor: str | None = None) -> HTMLResponse:
    with engine_of(request).connect() as conn:
        entries = audit.recent(conn, 300, actor or None)
    lang = lang_of(request)
    return render(request, "audit.html", admin=admin, active="nav_audit", entries=entries,
                  label=lambda action: action_label(action, lang))
