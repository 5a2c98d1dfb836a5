"""Account administration (users, roles, assignments) used by the CLI and the seeding code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from market_server import versions
from market_server.security import hash_password
from market_server.tables import ENTITY_TABLES, access_token, app_user, assignment, device
from sync.digests import valid_province
from sync.fields import utc_now

ROLES = ("specialist", "admin")


class AccountError(ValueError):
    """A refused administrative action, with a message for the operator."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    display_name: str | None
    disabled: bool
    device_id: str | None = None  # the device the request's access token was issued to
    province: str | None = None  # the account's home province override (sync/digests.py), None: the market's

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def add_user(conn: Connection, username: str, role: str, password: str, display_name: str | None = None, *,
             password_hash: str | None = None) -> User:
    """A new account; `password_hash`: a hash of `password` made beforehand (seed-demo's accounts that share a
    published demo password share its hash), else it is hashed here."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not username or len(username) > 64 or not username.isprintable() or " " in username:
        raise AccountError("user name must be 1-64 printable characters without spaces")
    if len(password) < 8:
        raise AccountError("password must have at least 8 characters")
    if find_user(conn, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    conn.execute(insert(app_user).values(
        username=username, role=role, password_hash=password_hash or hash_password(password),
        display_name=display_name,
        disabled=False, created_at=utc_now(),
    ))
    user = find_user(conn, username)
    assert user is not None
    return user


def find_user(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(app_user).where(app_user.c.username == username)).first()
    return _user(row) if row else None


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(app_user).where(app_user.c.id == user_id)).first()
    return _user(row) if row else None


def _user(row: object) -> User:
    m = row._mapping  # type: ignore[attr-defined]
    return User(m["id"], m["username"], m["role"], m["display_name"], bool(m["disabled"]),
                province=m["home_province"])


def disable_user(conn: Connection, username: str) -> None:
    """Lock the user out at once: every token they hold stops working."""
    user = _require(conn, username)
    conn.execute(update(app_user).where(app_user.c.id == user.id).values(disabled=True))
    conn.execute(delete(access_token).where(access_token.c.user_id == user.id))
    conn.execute(update(device).where(device.c.user_id == user.id).values(revoked=True))


def enable_user(conn: Connection, username: str) -> None:
    """Let a disabled user sign in again (their devices stay signed out)."""
    user = _require(conn, username)
    conn.execute(update(app_user).where(app_user.c.id == user.id).values(disabled=False))


def reset_password(conn: Connection, username: str, password: str) -> None:
    """Set a new password; every device of the user is signed out and must sign in with it."""
    if len(password) < 8:
        raise AccountError("password must have at least 8 characters")
    user = _require(conn, username)
    conn.execute(update(app_user).where(app_user.c.id == user.id).values(password_hash=hash_password(password)))
    conn.execute(delete(access_token).where(access_token.c.user_id == user.id))
    conn.execute(update(device).where(device.c.user_id == user.id).values(revoked=True))


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    name: str | None
    created_at: str
    last_seen_at: str | None
    revoked: bool


def list_devices(conn: Connection, username: str) -> list[DeviceInfo]:
    """The devices the user has signed in on, oldest first."""
    user = _require(conn, username)
    rows = conn.execute(
        select(device.c.device_id, device.c.name, device.c.created_at, device.c.last_seen_at, device.c.revoked)
        .where(device.c.user_id == user.id).order_by(device.c.created_at, device.c.id)
    )
    return [DeviceInfo(r.device_id, r.name, r.created_at, r.last_seen_at, bool(r.revoked)) for r in rows]


def revoke_device(conn: Connection, username: str, device_id: str) -> None:
    """Sign one device out at once (a lost laptop): its refresh token and access tokens stop working.

    The user's other devices keep working; signing in again on that device makes it a fresh sign-in.
    """
    user = _require(conn, username)
    found = conn.execute(
        select(device.c.id).where(device.c.user_id == user.id, device.c.device_id == device_id)
    ).first()
    if found is None:
        raise AccountError(f"{username!r} has no device {device_id!r}")
    conn.execute(update(device).where(device.c.id == found.id).values(revoked=True))
    conn.execute(delete(access_token).where(access_token.c.device_pk == found.id))


def set_home_province(conn: Connection, username: str, province: str | None) -> None:
    """The account's home province override (sync/digests.py): a 2-digit prefix, "*" for the whole nation in
    full, None to follow the market's MARKET_HOME_PROVINCE."""
    if province is not None and not valid_province(province):
        raise AccountError("province must be a 2-digit region prefix such as 22, or * for the whole nation")
    user = _require(conn, username)
    conn.execute(update(app_user).where(app_user.c.id == user.id).values(home_province=province))


def _require(conn: Connection, username: str) -> User:
    user = find_user(conn, username)
    if user is None:
        raise AccountError(f"no user named {username!r}")
    return user


def resolve_institution(conn: Connection, key: str) -> str:
    """An institution id from an id or an exact name.

    A name shared with proposals (pending or rejected) means the approved institution: anyone may propose a
    name, so a proposal must not make `assign NAME` fail for everyone. Several approved (or, with none approved,
    several proposed) institutions of that name are refused with their ids and statuses listed.
    """
    table = ENTITY_TABLES["institution"]
    live = table.c.deleted.is_(False)
    row = conn.execute(select(table.c.id).where(table.c.id == key.strip().lower(), live)).first()
    if row:
        return str(row.id)
    found = conn.execute(select(table.c.id, table.c.status).where(table.c.name == key.strip(), live)
                         .order_by(table.c.id)).all()
    if not found:
        raise AccountError(f"no institution with id or name {key!r}")
    approved = [r for r in found if r.status not in ("pending", "rejected")]
    candidates = approved or found
    if len(candidates) > 1:
        listed = "; ".join(f"{r.id} ({r.status or 'active'})" for r in found)
        raise AccountError(f"{len(found)} institutions are named {key!r}: {listed}; give the id instead")
    return str(candidates[0].id)


def assigned_institutions(conn: Connection, user_id: int) -> list[str]:
    return sorted(conn.execute(
        select(assignment.c.institution_id).where(assignment.c.user_id == user_id)
    ).scalars())


def assign(conn: Connection, username: str, institutions: Iterable[str]) -> list[str]:
    """Assign institutions (ids or exact names) to a user; returns the ids newly assigned."""
    user = _require(conn, username)
    have = set(assigned_institutions(conn, user.id))
    added: list[str] = []
    for key in institutions:
        inst_id = resolve_institution(conn, key)
        if inst_id in have:
            continue
        conn.execute(insert(assignment).values(user_id=user.id, institution_id=inst_id, assigned_at=utc_now()))
        have.add(inst_id)
        added.append(inst_id)
    return added


def unassign(conn: Connection, username: str, institutions: Iterable[str]) -> list[str]:
    """Remove assignments; the institution's rows get new versions so they reach the user again masked."""
    user = _require(conn, username)
    removed: list[str] = []
    for key in institutions:
        inst_id = resolve_institution(conn, key)
        done = conn.execute(delete(assignment).where(
            assignment.c.user_id == user.id, assignment.c.institution_id == inst_id
        ))
        if done.rowcount:
            versions.bump_scope(conn, inst_id)
            removed.append(inst_id)
    return removed
