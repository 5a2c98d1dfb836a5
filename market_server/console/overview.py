"""The overview page: specialists at a glance, what waits for review, and the matching pipeline (not yet built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from market_server.console import stats
from market_server.console.auth import AdminDep
from market_server.console.web import engine_of, render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, admin: AdminDep) -> HTMLResponse:
    with engine_of(request).connect() as conn:
        rows = stats.specialists(conn)
        stats.add_month_figures(conn, rows, stats.this_month())
        stats.overdue_now(conn, rows)
        waiting = stats.waiting(conn)
    return render(request, "overview.html", admin=admin, active="nav_overview", rows=list(rows.values()),
                  waiting=waiting, month=stats.this_month())
