"""The review queue: proposed institutions and achievements waiting for review, each beside its likely duplicates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from market_server import audit, duplicates, review
from market_server.accounts import AccountError
from market_server.console.auth import AdminDep, PostingAdminDep
from market_server.console.texts import text
from market_server.console.web import client_ip, engine_of, lang_of, redirect, render
from market_server.tables import ENTITY_TABLES

router = APIRouter(prefix="/review")
SHOWN = 50  # oldest first; the rest wait for the next page view


@router.get("", response_class=HTMLResponse)
def queue(request: Request, admin: AdminDep, notice: str | None = None, problem: str | None = None) -> HTMLResponse:
    inst, ach = ENTITY_TABLES["institution"], ENTITY_TABLES["achievement"]
    engine = engine_of(request)
    with engine.connect() as conn:
        proposals = review.pending(conn)[:SHOWN]
        probes = [dict(r._mapping) for r in conn.execute(select(inst.c.id, inst.c.name, inst.c.credit_code).where(
            inst.c.id.in_([p.id for p in proposals])))] if proposals else []
        waiting = conn.execute(
            select(ach.c.id, ach.c.title, ach.c.institution_id, ach.c.collected_by, ach.c.created_at,
                   ach.c.category, ach.c.summary, ach.c.reg_no)
            .where(ach.c.review_status == "pending", ach.c.deleted.is_(False))
            .order_by(ach.c.created_at, ach.c.id).limit(SHOWN)).all()
        corrections = review.open_corrections(conn, SHOWN)
    # The one duplicate rule (sync.duplicates, as the push check): an institution beside the catalog's institutions
    # it looks like (other proposals are no place to merge into), an achievement beside the province's.
    inst_dupes = duplicates.likely(engine, "institution", probes)
    ach_dupes = duplicates.likely(engine, "achievement", (dict(a._mapping) for a in waiting))
    with engine.connect() as conn:
        owners = {a.institution_id for a in waiting if a.institution_id}
        shown = {h.id for hits in inst_dupes.values() for h in hits}
        listed = {r.id: r for r in conn.execute(select(inst.c.id, inst.c.name, inst.c.status).where(
            inst.c.id.in_(owners | shown)))} if owners | shown else {}
    names = {key: r.name for key, r in listed.items()}
    inst_dupes = {key: [h for h in hits if h.id in listed and listed[h.id].status != "pending"]
                  for key, hits in inst_dupes.items()}
    return render(request, "review.html", admin=admin, active="nav_review", proposals=proposals,
                  inst_dupes=inst_dupes, achievements=waiting, ach_dupes=ach_dupes, names=names,
                  corrections=corrections, notice=notice, problem=problem)


@router.post("/institution/{inst_id}/{decision}")
def decide_institution(request: Request, admin: PostingAdminDep, inst_id: str, decision: str,
                       reason: Annotated[str, Form(max_length=1000)] = "",
                       into: Annotated[str, Form(max_length=36)] = "") -> Response:
    lang = lang_of(request)
    if decision == "reject" and not reason.strip():
        return redirect(request, "/review", problem=text("reason_required", lang))
    try:
        with engine_of(request).begin() as conn:
            name = str(conn.execute(select(ENTITY_TABLES["institution"].c.name).where(
                ENTITY_TABLES["institution"].c.id == inst_id)).scalar() or inst_id)
            detail: dict[str, object] = {"name": name}
            if decision == "merge":
                moved = review.merge(conn, inst_id, into, by=admin.name)
                target = str(conn.execute(select(ENTITY_TABLES["institution"].c.name).where(
                    ENTITY_TABLES["institution"].c.id == into)).scalar())
                detail |= {"into": into, "moved": moved}
                notice = text("merged_msg", lang, name=name, target=target, moved=moved)
            elif decision in ("approve", "reject"):
                review.set_status(conn, inst_id, "active" if decision == "approve" else "rejected", by=admin.name,
                                  note=reason if decision == "reject" else None)
                detail |= {"reason": reason.strip()} if decision == "reject" else {}
                notice = text("approved_msg" if decision == "approve" else "rejected_msg", lang, name=name)
            else:
                return render(request, "error.html", 404, admin=admin, message="not_found")
            audit.record(conn, admin.name, f"institution.{decision}", inst_id, detail, client_ip(request))
    except AccountError as err:
        return redirect(request, "/review", problem=text("account_error", lang, detail=str(err)))
    return redirect(request, "/review", notice=notice)


@router.post("/achievement/{row_id}/{decision}")
def decide_achievement(request: Request, admin: PostingAdminDep, row_id: str, decision: str,
                       reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    lang = lang_of(request)
    if decision not in ("approve", "return"):
        return render(request, "error.html", 404, admin=admin, message="not_found")
    if decision == "return" and not reason.strip():
        return redirect(request, "/review", problem=text("reason_required", lang))
    try:
        with engine_of(request).begin() as conn:
            title = review.review_achievement(conn, row_id, "approved" if decision == "approve" else "returned",
                                              by=admin.name, note=reason if decision == "return" else None)
            detail = {"title": title, **({"reason": reason.strip()} if reason.strip() else {})}
            audit.record(conn, admin.name, f"achievement.{decision}", row_id, detail, client_ip(request))
    except AccountError as err:
        return redirect(request, "/review", problem=text("account_error", lang, detail=str(err)))
    return redirect(request, "/review", notice=text("approved_msg" if decision == "approve" else "rejected_msg",
                                                    lang, name=title))


@router.post("/correction/{row_id}/close")
def close_correction(request: Request, admin: PostingAdminDep, row_id: str) -> Response:
    """A correction proposal handled: closed (the record itself is corrected where it is kept)."""
    lang = lang_of(request)
    try:
        with engine_of(request).begin() as conn:
            note = review.close_correction(conn, row_id, by=admin.name)
            audit.record(conn, admin.name, "correction.close", row_id, {"note": note[:200]}, client_ip(request))
    except AccountError as err:
        return redirect(request, "/review", problem=text("account_error", lang, detail=str(err)))
    return redirect(request, "/review", notice=text("correction_closed", lang))

