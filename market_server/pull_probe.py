"""One statement for a nothing-new pull: the bearer token's user and device, the user's scope and the version counter,
read together in one round trip (docs/sync-protocol.md, "Nothing new")."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Select, Text, bindparam, cast, func, select

from market_server.accounts import User
from market_server.scope import UserScope
from market_server.tables import ENTITY_TABLES, access_token, app_user, assignment, device, version_counter

TOKEN = "probe_token_hash"
SCOPE_KEY = "market_server.pull_probe"  # where pull_fast_path leaves its probe in the request's ASGI scope


@dataclass(frozen=True)
class Probe:
    """What the database said, as of one snapshot, about the holder of an access token."""

    user: User
    expires_at: int
    device_revoked: bool
    rotation_confirmed: bool
    refreshed_at: int | None
    scope: UserScope
    counter: int  # the version counter's value in the same snapshot


def probe(conn: Connection, token_hash: str) -> Probe | None:
    """The token's holder, scope and the counter; None for a token the database does not hold."""
    row = conn.execute(statement(conn.dialect.name), {TOKEN: token_hash}).first()
    return None if row is None else from_row(row)


def probed(asgi_scope: Mapping[str, Any]) -> Probe | None:
    """The probe pull_fast_path made of this request's token when it passed the request on to the route with the token
    found good for pulling (live, of a live device and enabled account, rotation confirmed, the body's own device):
    the route then reads neither the token nor the scope again. Only server code writes the ASGI scope."""
    found = asgi_scope.get(SCOPE_KEY)
    return found if isinstance(found, Probe) else None


def from_row(row: Any) -> Probe:
    user = User(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])
    proposed = {str(i): str(s) for i, s in _json(row[13])}
    scope = UserScope(user, {str(i) for i in _json(row[12])}, proposed)
    return Probe(user, int(row[7]), bool(row[8]), bool(row[9]), None if row[10] is None else int(row[10]), scope,
                 int(row[11]))


def _json(value: str | bytes | None) -> list[Any]:
    return [] if value is None else list(orjson.loads(value))


@functools.cache
def statement(dialect: str) -> Select[Any]:
    """The token's row joined with its user and device, and as columns the counter, the user's assigned institutions
    and their proposals (JSON arrays: PostgreSQL's json_agg, SQLite's json_group_array, both as text)."""
    inst = ENTITY_TABLES["institution"]
    agg, pair = (func.json_agg, func.json_build_array) if dialect == "postgresql" else (
        func.json_group_array, func.json_array)
    assigned = select(cast(agg(assignment.c.institution_id), Text)).where(
        assignment.c.user_id == app_user.c.id).scalar_subquery()
    proposed = select(cast(agg(pair(inst.c.id, inst.c.status)), Text)).where(
        inst.c.proposed_by == app_user.c.username).scalar_subquery()
    counter = select(version_counter.c.value).where(version_counter.c.id == 1).scalar_subquery()
    return (
        select(app_user.c.id, app_user.c.username, app_user.c.role, app_user.c.display_name, app_user.c.disabled,
               device.c.device_id, app_user.c.home_province, access_token.c.expires_at, device.c.revoked,
               device.c.rotation_confirmed, device.c.refreshed_at, counter, assigned, proposed)
        .select_from(access_token)
        .join(app_user, app_user.c.id == access_token.c.user_id)
        .join(device, device.c.id == access_token.c.device_pk)
        .where(access_token.c.token_hash == bindparam(TOKEN))
    )
