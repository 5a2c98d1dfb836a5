"""Reviewing institutions that specialists proposed in the field: list, approve, reject (administrators)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from market_server import rows, versions
from market_server.accounts import AccountError, resolve_institution
from market_server.tables import ENTITY_TABLES
from sync.entities import INSTITUTION
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


def set_status(conn: Connection, key: str, status: str, *, by: str = REVIEWER) -> str:
    """Approve ("active") or reject ("rejected") the institution named by id or exact name; returns its id.

    The row gets a new version, so every bucket that covers it sends the decision: an approved institution
    enters the shared catalog, and the proposer's app shows the new status on its next sync.
    """
    if status not in ("active", "rejected"):
        raise AccountError(f"unknown review status {status!r}")
    institution_id = resolve_institution(conn, key)
    current = rows.load(conn, INSTITUTION, institution_id)
    assert current is not None  # resolve_institution only returns live rows
    if current["status"] == status:
        return institution_id
    version = versions.allocate(conn)
    rows.update_row(conn, INSTITUTION, institution_id, {"status": status}, version=version, user=by, now=utc_now())
    return institution_id
