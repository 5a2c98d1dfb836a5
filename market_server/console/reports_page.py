"""Monthly reports per specialist (visits, achievements, demands, follow-ups), a bar chart, and an .xlsx download."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from openpyxl import Workbook

from market_server import audit
from market_server.console import stats
from market_server.console.auth import AdminDep
from market_server.console.texts import text
from market_server.console.web import client_ip, engine_of, lang_of, render

router = APIRouter(prefix="/reports")
COLUMNS = ("visits", "achievements", "demands", "follow_ups_done", "follow_ups_overdue")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


def _rows(request: Request, month: str) -> list[stats.SpecialistRow]:
    with engine_of(request).connect() as conn:
        rows = stats.specialists(conn)
        stats.add_month_figures(conn, rows, month)
    return list(rows.values())


def _figures(row: stats.SpecialistRow) -> list[int]:
    return [row.visits, row.achievements, row.demands, row.follow_ups_done, row.overdue]


def _month(month: str | None) -> str:
    return month if month and _MONTH.match(month) else stats.this_month()


def bars(rows: list[stats.SpecialistRow], width: int = 480, height: int = 22) -> list[Bar]:
    """Horizontal bars of visits per specialist, scaled to the largest (drawn as inline SVG)."""
    top = max((r.visits for r in rows), default=0) or 1
    return [Bar(r.display_name or r.username, r.visits, i * (height + 6), round(width * r.visits / top))
            for i, r in enumerate(rows)]


@router.get("", response_class=HTMLResponse)
def report(request: Request, admin: AdminDep, month: str | None = None) -> HTMLResponse:
    chosen = _month(month)
    rows = _rows(request, chosen)
    totals = [sum(col) for col in zip(*(_figures(r) for r in rows), strict=True)] if rows else [0] * 5
    return render(request, "reports.html", admin=admin, active="nav_reports", month=chosen, rows=rows,
                  figures=_figures, totals=totals, columns=COLUMNS, bars=bars(rows))


@router.get("/export.xlsx")
def export(request: Request, admin: AdminDep, month: str | None = None) -> Response:
    chosen, lang = _month(month), lang_of(request)
    rows = _rows(request, chosen)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = chosen
    sheet.append([text("username", lang), text("display_name", lang), *(text(c, lang) for c in COLUMNS),
                  text("matches", lang)])
    for r in rows:
        sheet.append([r.username, r.display_name or "", *_figures(r), text("not_available", lang)])
    sheet.append([text("total", lang), "", *(sum(_figures(r)[i] for r in rows) for i in range(len(COLUMNS)))])
    for column, width in zip("ABCDEFGH", (16, 16, 10, 10, 10, 14, 14, 10), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    with engine_of(request).begin() as conn:
        audit.record(conn, admin.name, "report.export", chosen, client_ip=client_ip(request))
    return Response(out.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="report-{chosen}.xlsx"',
                             "Cache-Control": "no-store"})
