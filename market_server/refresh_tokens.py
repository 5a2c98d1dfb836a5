"""Refresh tokens: one per device, rotated at every refresh, reuse of a rotated one signs that device out."""

from __future__ import annotations

import calendar
import logging
import time
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from market_server.errors import ApiError
from market_server.security import REFRESH_PREFIX, new_token, token_hash
from market_server.settings import Settings
from market_server.tables import access_token, app_user, device, retired_refresh
from sync.fields import utc_now

log = logging.getLogger("market_server.auth")


def rotate(conn: Connection, settings: Settings, presented: str, device_id: str | None) -> tuple[Any, str]:
    """The device row (joined with its user) and the new refresh token that replaces `presented`.

    - The current token: a new one is handed out and the presented one retired.
    - The one before it, when the new one was never used (the answer carrying it was lost, or the app stopped
      before saving it) and at most `refresh_grace_seconds` ago: accepted once more.
    - Any other retired token: reuse (someone kept a copy): that device's tokens are all revoked.
    - A token of another device than `device_id` is refused and changes nothing (two data folders, one user).
    - A device that has not refreshed for `refresh_idle_seconds` must sign in again.
    """
    presented_hash = token_hash(presented.strip())
    now = int(time.time())
    columns = (device.c.id.label("device_pk"), device.c.device_id, device.c.revoked, device.c.refresh_hash,
               device.c.refreshed_at, device.c.rotation_confirmed, device.c.last_seen_at, app_user)
    joined = select(*columns).join(app_user, app_user.c.id == device.c.user_id)
    row = conn.execute(joined.where(device.c.refresh_hash == presented_hash)).first()
    grace = False
    if row is None:
        row = conn.execute(joined.where(device.c.prev_refresh_hash == presented_hash)).first()
        grace = row is not None and not row.rotation_confirmed and now - int(row.refreshed_at or 0) <= (
            settings.refresh_grace_seconds)
        if row is not None and not grace:
            row = None  # the previous token outside its grace: reuse, below
    if row is None:
        _reuse(conn, presented_hash, device_id)
        raise ApiError(401, "login_required")
    if device_id is not None and row.device_id != device_id:
        raise ApiError(401, "wrong_device")
    if row.revoked:
        raise ApiError(401, "login_required")
    if now - _last_refresh(row) > settings.refresh_idle_seconds:
        raise ApiError(401, "login_required")
    if row.disabled:
        raise ApiError(403, "account_disabled")
    fresh = new_token(REFRESH_PREFIX)
    conn.execute(insert(retired_refresh).values(
        token_hash=row.refresh_hash if grace else presented_hash, device_pk=row.device_pk, retired_at=now))
    conn.execute(update(device).where(device.c.id == row.device_pk).values(
        refresh_hash=token_hash(fresh), prev_refresh_hash=None if grace else presented_hash, refreshed_at=now,
        rotation_confirmed=False, last_seen_at=utc_now()))
    conn.execute(delete(retired_refresh).where(retired_refresh.c.retired_at < now - settings.refresh_idle_seconds))
    return row, fresh


def _last_refresh(row: Any) -> int:
    if row.refreshed_at is not None:
        return int(row.refreshed_at)
    seen = str(row.last_seen_at or "")  # devices from before rotation: their last sign-in or refresh
    try:
        return calendar.timegm(time.strptime(seen, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return int(time.time())


def _reuse(conn: Connection, presented_hash: str, device_id: str | None) -> None:
    """A retired token presented again: revoke its device (unless it names another device: then refuse only)."""
    found = conn.execute(
        select(device.c.id, device.c.device_id).join(retired_refresh, retired_refresh.c.device_pk == device.c.id)
        .where(retired_refresh.c.token_hash == presented_hash)
    ).first()
    if found is None or (device_id is not None and found.device_id != device_id):
        return
    log.warning("refresh token reuse: device %s signed out", found.id)
    conn.execute(update(device).where(device.c.id == found.id).values(revoked=True))
    conn.execute(delete(access_token).where(access_token.c.device_pk == found.id))
    conn.commit()


def confirm_rotation(conn: Connection, device_pk: int) -> None:
    """The client used an access token issued with its newest refresh token: it has that token."""
    conn.execute(update(device).where(device.c.id == device_pk, device.c.rotation_confirmed.is_(False))
                 .values(rotation_confirmed=True, prev_refresh_hash=None))
