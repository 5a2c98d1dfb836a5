"""Reviewing institutions that specialists proposed in the field: list, approve, reject, merge (administrators)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from market_server import rows, versions
from market_server.accounts import AccountError, assign, find_user, resolve_institution
from market_server.tables import ENTITY_TABLES, SECOND_SCOPE
from sync.entities import ACHIEVEMENT, CORRECTION, DEPENDENCY_ORDER, ENTITIES, INSTITUTION
from sync.fields import utc_now

REVIEWER = "admin review"  # recorded as the writer of a review done from the command line


@dataclass(frozen=True)
class Proposal:
    id: str
    name: str
    org_type: str | None
    region_code: str | None
    proposed_by: str | None
    created_at: str | None


def pending(conn: Connection) -> list[Proposal]:
    """Live institutions waiting for review, oldest first."""
    table = ENTITY_TABLES["institution"]
    query = (
        select(table.c.id, table.c.name, table.c.org_type, table.c.region_code, table.c.proposed_by,
               table.c.created_at)
        .where(table.c.status == "pending", table.c.deleted.is_(False))
        .order_by(table.c.created_at, table.c.id)
    )
    return [Proposal(*row) for row in conn.execute(query)]


def set_status(conn: Connection, key: str, status: str, *, by: str = REVIEWER, note: str | None = None) -> str:
    """Approve ("active") or reject ("rejected") the institution named by id or exact name; returns its id.

    The row and every row it governs get new versions, so every bucket that covers them sends the decision: an
    approved institution and its records enter the shared catalog; a rejected one's leave other people's catalogs
    (sent to them as tombstones, docs/security.md §8); the proposer's app shows the new status, and `note` (the
    reason of a rejection), on its next sync.
    """
    if status not in ("active", "rejected"):
        raise AccountError(f"unknown review status {status!r}")
    institution_id = resolve_institution(conn, key)
    current = rows.load(conn, INSTITUTION, institution_id)
    assert current is not None  # resolve_institution only returns live rows
    note = (note or "").strip()[:1000] or None
    if current["status"] == status and current["review_note"] == note:
        return institution_id
    version = versions.allocate(conn)
    rows.update_row(conn, INSTITUTION, institution_id, {"status": status, "review_note": note}, version=version,
                    user=by, now=utc_now())
    _resend_governed(conn, institution_id)
    return institution_id


def _resend_governed(conn: Connection, institution_id: str) -> None:
    """New versions (nothing else changes) for the rows an institution governs, so catalogs pull them again."""
    for name in DEPENDENCY_ORDER:
        if ENTITIES[name].is_scope_root:
            continue
        table = ENTITY_TABLES[name]
        ids = list(conn.execute(select(table.c.id).where(table.c.scope_id == institution_id)
                                .order_by(table.c.version)).scalars())
        for row_id in ids:
            conn.execute(update(table).where(table.c.id == row_id).values(version=versions.allocate(conn)))


def merge(conn: Connection, proposal_id: str, target_id: str, *, by: str = REVIEWER) -> int:
    """Fold a pending proposal into an existing institution; returns the number of records moved.

    Every record the proposer filed under the proposal moves to the target (new versions, so every app
    pulls the move), the proposal becomes a tombstone, and the proposer is assigned the target so the
    records they brought stay in their scope.
    """
    proposal = rows.load(conn, INSTITUTION, proposal_id)
    target = rows.load(conn, INSTITUTION, target_id)
    if proposal is None or proposal["deleted"] or proposal["status"] != "pending":
        raise AccountError("only a pending proposal can be merged")
    if target is None or target["deleted"] or target_id == proposal_id:
        raise AccountError("merge into a live institution other than the proposal")
    now, moved = utc_now(), 0
    versions.allocate(conn, 0)  # the writers' lock before the first write
    for name, table in ENTITY_TABLES.items():
        if ENTITIES[name].is_scope_root:
            continue
        entity = ENTITIES[name]
        ids = list(conn.execute(select(table.c.id).where(table.c.scope_id == proposal_id)).scalars())
        for row_id in ids:
            values: dict[str, object] = {}
            row = rows.load(conn, entity, row_id)
            assert row is not None
            for field in ("institution_id", "owner_id"):
                if entity.has(field) and row.get(field) == proposal_id:
                    values[field] = target_id
            rows.update_row(conn, entity, row_id, values, version=versions.allocate(conn), user=by, now=now,
                            scope_id=target_id)
            moved += 1
        if SECOND_SCOPE in table.c:  # rows it governs second (a match of an achievement filed under it)
            for row_id in conn.execute(select(table.c.id).where(table.c[SECOND_SCOPE] == proposal_id)).scalars():
                conn.execute(update(table).where(table.c.id == row_id).values(
                    {SECOND_SCOPE: target_id, "version": versions.allocate(conn)}))
    rows.update_row(conn, INSTITUTION, proposal_id, {}, version=versions.allocate(conn), user=by, now=now,
                    deleted=True)
    proposer = proposal.get("proposed_by")
    if proposer and find_user(conn, str(proposer)) is not None:
        assign(conn, str(proposer), [target_id])
    return moved


def review_achievement(conn: Connection, achievement_id: str, status: str, *, by: str = REVIEWER,
                       note: str | None = None) -> str:
    """Approve ("approved") or return ("returned", with `note` saying why) an achievement; returns its title."""
    if status not in ("approved", "returned"):
        raise AccountError(f"unknown review status {status!r}")
    current = rows.load(conn, ACHIEVEMENT, achievement_id)
    if current is None or current["deleted"]:
        raise AccountError(f"no achievement {achievement_id!r}")
    note = (note or "").strip()[:1000] or None
    if current["review_status"] != status or current["review_note"] != note:
        version = versions.allocate(conn)
        rows.update_row(conn, ACHIEVEMENT, achievement_id, {"review_status": status, "review_note": note},
                        version=version, user=by, now=utc_now())
    return str(current["title"])


def open_corrections(conn: Connection, limit: int) -> list[dict[str, object]]:
    """Correction proposals not closed yet, oldest first, each with the title of the record it is about."""
    table = ENTITY_TABLES[CORRECTION.name]
    found = [dict(r._mapping) for r in conn.execute(
        select(table.c.id, table.c.target_entity, table.c.target_id, table.c.note, table.c.created_by,
               table.c.created_at)
        .where(table.c.deleted.is_(False)).order_by(table.c.created_at, table.c.id).limit(limit))]
    for item in found:
        target = ENTITIES.get(str(item["target_entity"]))
        title = None
        if target is not None:
            about = ENTITY_TABLES[target.name]
            title = conn.execute(select(about.c[target.title_field]).where(about.c.id == item["target_id"])).scalar()
        item["target_title"] = title
    return found


def close_correction(conn: Connection, correction_id: str, *, by: str = REVIEWER) -> str:
    """Close a correction proposal (handled): it becomes a tombstone, so its author's app drops it. Returns its note."""
    current = rows.load(conn, CORRECTION, correction_id)
    if current is None or current["deleted"]:
        raise AccountError(f"no open correction {correction_id!r}")
    rows.update_row(conn, CORRECTION, correction_id, {}, version=versions.allocate(conn), user=by, now=utc_now(),
                    deleted=True)
    return str(current["note"] or "")

