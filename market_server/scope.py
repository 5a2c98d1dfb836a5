"""Who may read and write what ("Who sees what" in the domain brief), closed by default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from market_server.accounts import User, assigned_institutions
from market_server.tables import ENTITY_TABLES
from sync.entities import Entity

# Entities a specialist writes for an institution in their scope (experts: admins only; institutions: below).
SCOPED_WRITES = frozenset({"contact", "visit", "follow_up", "achievement", "ip_item", "demand", "attachment"})


@dataclass
class UserScope:
    """A user's reach: institutions assigned to them, and institutions they proposed (pending or not)."""

    user: User
    assigned: set[str] = field(default_factory=set)
    proposed: dict[str, str] = field(default_factory=dict)  # institution id -> its review status

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    def full_scopes(self) -> set[str]:
        """Institutions whose full records this user reads (their inst:<id> buckets)."""
        return self.assigned | set(self.proposed)

    def can_read_full(self, scope_id: str | None, created_by: str | None) -> bool:
        return self.is_admin or created_by == self.username or (
            scope_id is not None and scope_id in self.full_scopes()
        )

    def can_write_scope(self, scope_id: str | None) -> bool:
        if self.is_admin:
            return True
        if scope_id is None:
            return False
        return scope_id in self.assigned or self.proposed.get(scope_id) == "pending"

    def write_refusal(self, entity: Entity, scope_id: str | None, row: Mapping[str, Any] | None) -> str | None:
        """None when this user may write the row, else a short reason (English, for the message detail)."""
        if self.is_admin:
            return None
        if entity.name == "expert":
            return "experts are maintained by administrators"
        if entity.name == "institution":
            if row is None:
                return None  # a proposal: the server makes it pending
            if row.get("proposed_by") == self.username and row.get("status") == "pending":
                return None
            return "only your own pending proposals can be changed"
        if entity.name not in SCOPED_WRITES:
            return "record type not writable"
        if scope_id is None:
            return "choose an institution assigned to you"
        if not self.can_write_scope(scope_id):
            return "institution not assigned to you"
        return None


def load_scope(conn: Connection, user: User) -> UserScope:
    inst = ENTITY_TABLES["institution"]
    proposed = {
        str(r.id): str(r.status)
        for r in conn.execute(select(inst.c.id, inst.c.status).where(inst.c.proposed_by == user.username))
    }
    return UserScope(user, set(assigned_institutions(conn, user.id)), proposed)


def catalog_visible(entity: Entity, row: Mapping[str, Any]) -> bool:
    """Whether the public part of a row belongs in the shared catalog."""
    if not entity.in_catalog:
        return False
    return entity.name != "institution" or row.get("status") == "active"


def parent_entity(entity: Entity, values: Mapping[str, Any]) -> str | None:
    """The entity name of a child row's parent (attachments say theirs in owner_entity)."""
    if entity.parent_field is None:
        return None
    if entity.name == "attachment":
        owner = values.get("owner_entity")
        return str(owner) if owner else None
    return entity.field(entity.parent_field).ref


class ScopeError(ValueError):
    """The governing institution cannot be found (a missing or deleted parent)."""


def governing_institution(conn: Connection, entity: Entity, row_id: str, values: Mapping[str, Any]) -> str | None:
    """The institution whose scope governs a row, following Entity.institution_path."""
    path = entity.institution_path
    if path is None:
        return None
    if path == ():
        return row_id
    if entity.parent_field is None or path[0] != entity.parent_field:
        ref = values.get(path[0])
        if ref is None:
            return None
        _require_live(conn, "institution", str(ref))
        return str(ref)
    parent = parent_entity(entity, values)
    parent_id = values.get(entity.parent_field)
    if parent is None or parent_id is None:
        return None
    if parent == "institution":
        _require_live(conn, "institution", str(parent_id))
        return str(parent_id)
    table = ENTITY_TABLES[parent]
    row = conn.execute(select(table.c.scope_id, table.c.deleted).where(table.c.id == str(parent_id))).first()
    if row is None or row.deleted:
        raise ScopeError(f"{parent} {parent_id} not found")
    return str(row.scope_id) if row.scope_id is not None else None


def _require_live(conn: Connection, entity_name: str, row_id: str) -> None:
    table = ENTITY_TABLES[entity_name]
    row = conn.execute(select(table.c.deleted).where(table.c.id == row_id)).first()
    if row is None or row.deleted:
        raise ScopeError(f"{entity_name} {row_id} not found")
