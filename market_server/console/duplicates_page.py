"""Likely duplicates flagged on push, side by side: keep both, or confirm the pushed record as a duplicate."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from market_server import audit, duplicates, rows
from market_server.console.auth import AdminDep, PostingAdminDep
from market_server.console.texts import text
from market_server.console.web import client_ip, code_label, engine_of, field_label, lang_of, redirect, render
from market_server.tables import ENTITY_TABLES
from sync.entities import ENTITIES
from sync.fields import Kind

router = APIRouter(prefix="/duplicates")
SHOWN = 50  # oldest first; the rest wait for the next page view
# What an administrator compares, per entity (the name first, then identifiers, owner and content).
COMPARED: dict[str, tuple[str, ...]] = {
    "institution": ("name", "credit_code", "org_type", "region_code", "address", "status"),
    "achievement": ("title", "institution_id", "reg_no", "category", "inventors", "keywords", "summary"),
    "demand": ("title", "institution_id", "demand_type", "problem", "keywords", "status"),
    "expert": ("name", "unit", "title", "discipline", "phone", "email"),
}
DECISIONS = {"keep": "duplicate.keep", "duplicate": "duplicate.confirm"}  # decision -> audit action
LONG = 300  # characters of a long text shown


def _value(entity: str, name: str, row: dict[str, Any], names: dict[str, str], lang: str) -> str:
    field = ENTITIES[entity].field(name)
    value = row.get(name)
    if value is None or value == "" or value == []:
        return ""
    if field.ref is not None and ENTITIES[field.ref].is_scope_root:  # an institution: its name
        return names.get(str(value), str(value))
    if field.kind is Kind.CODE and field.codes is not None:
        return code_label(field.codes.name, value, lang)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    shown = str(value)
    return shown if len(shown) <= LONG else shown[:LONG] + "…"


def _side(entity: str, row: dict[str, Any] | None, names: dict[str, str], lang: str) -> dict[str, Any]:
    if row is None:
        return {"missing": True, "fields": {}}
    fields = {n: _value(entity, n, row, names, lang) for n in COMPARED[entity]}
    return {"missing": False, "deleted": bool(row["deleted"]), "fields": fields, "created_by": row.get("created_by"),
            "created_at": row.get("created_at"), "updated_at": row.get("updated_at")}


@router.get("", response_class=HTMLResponse)
def listing(request: Request, admin: AdminDep, notice: str | None = None, problem: str | None = None) -> HTMLResponse:
    lang = lang_of(request)
    inst = ENTITY_TABLES["institution"]
    with engine_of(request).connect() as conn:
        flags = duplicates.open_flags(conn, limit=SHOWN)
        total = duplicates.count_open(conn)
        loaded = {(f.entity, key): rows.load(conn, ENTITIES[f.entity], key)
                  for f in flags for key in (f.row_id, f.other_id)}
        owners = {str(r["institution_id"]) for r in loaded.values() if r and r.get("institution_id")}
        names = {r.id: r.name for r in conn.execute(
            select(inst.c.id, inst.c.name).where(inst.c.id.in_(owners)))} if owners else {}
    pairs = []
    for f in flags:
        mine = _side(f.entity, loaded[f.entity, f.row_id], names, lang)
        other = _side(f.entity, loaded[f.entity, f.other_id], names, lang)
        # (field, label, whether the two records differ in it): what differs is what the administrator reads
        labels = [(n, field_label(f.entity, n, lang), mine["fields"].get(n) != other["fields"].get(n))
                  for n in COMPARED[f.entity]]
        pairs.append((f, mine, other, labels))
    return render(request, "duplicates.html", admin=admin, active="nav_duplicates", pairs=pairs, total=total,
                  notice=notice, problem=problem)


@router.post("/{flag_id}/{decision}")
def decide(request: Request, admin: PostingAdminDep, flag_id: int, decision: str) -> Response:
    """The CLI's decision (`market-server review duplicates`), through the same function, and audited."""
    lang = lang_of(request)
    if decision not in DECISIONS:
        return render(request, "error.html", 404, admin=admin, message="not_found")
    try:
        with engine_of(request).begin() as conn:
            flag = duplicates.decide(conn, flag_id, decision, by=admin.name)
            audit.record(conn, admin.name, DECISIONS[decision], flag.row_id, {
                "flag": flag.id, "entity": flag.entity, "name": flag.row_name, "other": flag.other_id,
                "other_name": flag.other_name}, client_ip(request))
    except duplicates.FlagError:
        return redirect(request, "/duplicates", problem=text("flag_gone", lang))
    done = "kept_both_msg" if decision == "keep" else "confirmed_msg"
    return redirect(request, "/duplicates", notice=text(done, lang, name=flag.row_name, other=flag.other_name))
