"""Institutions and assignments: search and filter, assign or unassign many at once, each specialist's load."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Select, func, select

from market_server import accounts, audit
from market_server.console import stats
from market_server.console.auth import AdminDep, PostingAdminDep
from market_server.console.texts import text
from market_server.console.web import client_ip, engine_of, lang_of, redirect, render
from market_server.tables import ENTITY_TABLES, app_user, assignment
from sync import codes

router = APIRouter(prefix="/institutions")
PAGE = 100


@router.get("", response_class=HTMLResponse)
def institutions(request: Request, admin: AdminDep, q: str = "", org_type: str = "", status: str = "",
                 specialist: str = "", page: int = 0, notice: str | None = None,
                 problem: str | None = None) -> HTMLResponse:
    inst = ENTITY_TABLES["institution"]
    query: Select[tuple[str, str, str | None, str | None, str | None]] = (
        select(inst.c.id, inst.c.name, inst.c.org_type, inst.c.region_code, inst.c.status)
        .where(inst.c.deleted.is_(False)))
    if q.strip():
        query = query.where(inst.c.name.contains(q.strip(), autoescape=True))
    if org_type:
        query = query.where(inst.c.org_type == org_type)
    if status:
        query = query.where(inst.c.status == status)
    with engine_of(request).connect() as conn:
        users = {r.id: r for r in conn.execute(select(app_user.c.id, app_user.c.username, app_user.c.display_name)
                                               .where(app_user.c.role == "specialist", app_user.c.disabled.is_(False))
                                               .order_by(app_user.c.username))}
        if specialist == "-":
            query = query.where(inst.c.id.not_in(select(assignment.c.institution_id)))
        elif specialist:
            query = query.where(inst.c.id.in_(select(assignment.c.institution_id).join(
                app_user, app_user.c.id == assignment.c.user_id).where(app_user.c.username == specialist)))
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        found = conn.execute(query.order_by(inst.c.name, inst.c.id).offset(max(page, 0) * PAGE).limit(PAGE)).all()
        owners: dict[str, list[str]] = {}
        names = {r.id: r.username for r in conn.execute(select(app_user.c.id, app_user.c.username))}
        for user_id, inst_id in conn.execute(select(assignment.c.user_id, assignment.c.institution_id)
                                             .where(assignment.c.institution_id.in_([r.id for r in found]))):
            owners.setdefault(inst_id, []).append(names.get(user_id, "?"))
        load = stats.load(conn)
    return render(request, "institutions.html", admin=admin, active="nav_institutions", found=found, total=total,
                  owners=owners, users=list(users.values()), load=load, q=q, org_type=org_type, status=status,
                  specialist=specialist, page=page, page_size=PAGE, notice=notice, problem=problem,
                  org_types=codes.ORG_TYPE.codes, statuses=codes.INSTITUTION_STATUS.codes)


@router.post("/assign")
def assign(request: Request, admin: PostingAdminDep, specialist: Annotated[str, Form(max_length=64)],
           action: Annotated[str, Form(pattern="^(assign|unassign)$")],
           ids: Annotated[list[str] | None, Form(max_length=36)] = None,
           back: Annotated[str, Form(max_length=2000)] = "") -> Response:
    lang = lang_of(request)
    chosen = sorted(set(ids or []))
    target = "/institutions" + (("?" + back) if back and not back.startswith(("/", "http")) else "")
    if not chosen:
        return redirect(request, target, problem=text("nothing_selected", lang))
    try:
        with engine_of(request).begin() as conn:
            run = accounts.assign if action == "assign" else accounts.unassign
            changed = run(conn, specialist, chosen)
            audit.record(conn, admin.name, f"institution.{action}", specialist,
                         {"institutions": changed}, client_ip(request))
    except accounts.AccountError as err:
        return redirect(request, target, problem=text("account_error", lang, detail=str(err)))
    done = "assigned_n" if action == "assign" else "unassigned_n"
    return redirect(request, target, notice=text(done, lang, count=len(changed), name=specialist))
