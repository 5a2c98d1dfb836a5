"""Who may read and write what ("Who sees what" in the domain brief), closed by default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from market_server.accounts import User, assigned_institutions
from market_server.tables import ENTITY_TABLES
from sync import permissions
from sync.entities import ENTITIES, Entity


@dataclass
class UserScope:
    """A user's reach: institutions assigned to them, and institutions they proposed (pending or not).

    Who may write what is sync.permissions (the app offers edits by the same rule); this holds what it reads.
    """

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
        return permissions.may_write_scope(self, scope_id)

    def write_refusal(self, entity: Entity, scope_id: str | None, row: Mapping[str, Any] | None,
                      second_scope_id: str | None = None) -> permissions.Refusal | None:
        """None when this user may write the row, else why not (a message code)."""
        return permissions.write_refusal(self, entity, scope_id, row, second_scope_id)


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
    return entity.listed_status is None or row.get("status") == entity.listed_status


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
    parent = entity.parent_name(values)
    parent_id = values.get(entity.parent_field)
    if parent is None or parent_id is None:
        return None
    if ENTITIES[parent].is_scope_root:
        _require_live(conn, parent, str(parent_id))
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


def second_governing_institution(conn: Connection, entity: Entity, values: Mapping[str, Any]) -> str | None:
    """The institution Entity.second_institution_path reaches (a match record's achievement's), None when the entity
    has no such path, the field is empty or names no live row: the row is then governed by its first path alone."""
    path = entity.second_institution_path
    if not path or not values.get(path[0]):
        return None
    ref_id, target = str(values[path[0]]), ENTITIES[str(entity.field(path[0]).ref)]
    if target.is_scope_root:
        return ref_id
    table = ENTITY_TABLES[target.name]
    row = conn.execute(select(table.c.scope_id, table.c.deleted).where(table.c.id == ref_id)).first()
    return None if row is None or row.deleted or row.scope_id is None else str(row.scope_id)
