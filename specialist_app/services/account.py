"""The signed-in account as the last sync recorded it, and what it may change here (sync.permissions)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from specialist_app.services.uow import Reads
from specialist_app.store import meta
from specialist_app.store.tables import ENTITY_TABLES, assigned_institution
from sync import permissions
from sync.entities import ENTITIES, Entity
from sync.permissions import Account, Refusal

if TYPE_CHECKING:  # wire models (pydantic) load with the first sync, not at the app's start
    from sync.protocol import UserInfo

# store meta: {"username", "role", "institutions", "home_province"} from the server's last token answer
ACCOUNT_KEY = "account"
LEGACY_ROLE_KEY = "account_role"  # the role alone, as the app's sync of before 0.x recorded it


def record(conn: Connection, user: UserInfo) -> None:
    """Keep who the server says the user is (every sync does, so the app answers offline too)."""
    value = json.dumps({"username": user.username, "role": user.role, "institutions": sorted(user.institutions),
                        "home_province": user.home_province})
    meta.set_meta(conn, ACCOUNT_KEY, value)


def recorded(uow: Reads) -> dict[str, Any] | None:
    """The recorded account ({"username", "role", "institutions", "home_province"}), or None before the first
    sync."""
    raw = meta.get_meta(uow.conn, ACCOUNT_KEY)
    if raw is None:
        return None
    found = json.loads(raw)
    return found if isinstance(found, dict) else None


def load(uow: Reads, username: str | None) -> Account | None:
    """The account whose rule applies here; None for the local profile (no server: everything is editable).

    Assigned: the institutions the token answer named that the last pull still listed (an unassignment shows
    at once). Proposals: the user's own institution rows. Never synced: a specialist with nothing assigned.
    """
    if username is None:
        return None
    conn = uow.conn
    pulled = {str(r) for r in conn.execute(select(assigned_institution.c.institution_id)).scalars()}
    inst = ENTITY_TABLES["institution"]
    proposed = {str(r.id): str(r.status) for r in conn.execute(
        select(inst.c.id, inst.c.status).where(inst.c.proposed_by == username))}
    # Proposed here and not sent yet: the server makes it this user's pending proposal when it arrives.
    proposed.update({str(i): permissions.PENDING for i in conn.execute(
        select(inst.c.id).where(inst.c.server_version.is_(None))).scalars()})
    found = recorded(uow)
    if found is not None and found.get("username") == username:
        role = str(found.get("role") or permissions.SPECIALIST)
        assigned = pulled & {str(i) for i in found.get("institutions") or ()}
    else:  # recorded before the account was: the pulled institutions that are not the user's proposals
        role = meta.get_meta(conn, LEGACY_ROLE_KEY) or permissions.SPECIALIST
        assigned = pulled - set(proposed)
    return Account(username, role, frozenset(assigned), proposed)


def governing_institution(uow: Reads, entity: Entity, row: Mapping[str, Any]) -> str | None:
    """The institution whose scope governs a row here, following Entity.institution_path as the server does."""
    path = entity.institution_path
    if path is None:
        return None
    if path == ():
        return str(row["id"]) if row.get("id") else None
    if entity.parent_field is None or path[0] != entity.parent_field:
        ref = row.get(path[0])
        return str(ref) if ref else None
    parent_name = entity.parent_name(row)
    parent_id = row.get(entity.parent_field)
    if parent_name is None or not parent_id:
        return None
    parent = ENTITIES[parent_name]
    if parent.is_scope_root:
        return str(parent_id)
    table = ENTITY_TABLES[parent_name]
    found = uow.conn.execute(select(table).where(table.c.id == str(parent_id))).mappings().first()
    return None if found is None else governing_institution(uow, parent, dict(found))


def second_governing_institution(uow: Reads, entity: Entity, row: Mapping[str, Any]) -> str | None:
    """The institution Entity.second_institution_path reaches here (a match record's achievement's), as the server
    resolves it: the named record's governing institution; None when there is no path, no value or no such row."""
    path = entity.second_institution_path
    if not path or not row.get(path[0]):
        return None
    target = ENTITIES[str(entity.field(path[0]).ref)]
    if target.is_scope_root:
        return str(row[path[0]])
    table = ENTITY_TABLES[target.name]
    found = uow.conn.execute(select(table).where(table.c.id == str(row[path[0]]))).mappings().first()
    return None if found is None else governing_institution(uow, target, dict(found))


def write_refusal(uow: Reads, account: Account | None, entity: Entity,
                  row: Mapping[str, Any], *, new: bool = False) -> Refusal | None:
    """Why the server would refuse this user's write of `row` (None: it accepts it); `new` for a create."""
    if account is None:
        return None
    scope_id = governing_institution(uow, entity, row)
    second = second_governing_institution(uow, entity, row)
    # A record the server never had travels as its create, whatever was changed here since.
    new = new or not on_server(uow, entity, row.get("id"))
    return permissions.write_refusal(account, entity, scope_id, None if new else row, second)


def on_server(uow: Reads, entity: Entity, row_id: Any) -> bool:
    """Whether the market has this row (a sync brought it or took it): it has a server version."""
    if not row_id:
        return False
    table = ENTITY_TABLES[entity.name]
    version = uow.conn.execute(select(table.c.server_version).where(table.c.id == str(row_id))).scalar()
    return version is not None
