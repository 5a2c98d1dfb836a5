"""The server's audit log: who did what to which record, and when (written by the web console's actions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from market_server.tables import audit_log
from sync.fields import utc_now


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any]
    client_ip: str | None


def record(conn: Connection, actor: str, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None, client_ip: str | None = None) -> None:
    """Add one entry in the caller's transaction, so the entry exists exactly when the action happened."""
    conn.execute(insert(audit_log).values(
        at=utc_now(), actor=actor, action=action, target=target,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None, client_ip=client_ip,
    ))


def recent(conn: Connection, limit: int = 100, actor: str | None = None) -> list[AuditEntry]:
    """The newest entries first."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    return [AuditEntry(r.at, r.actor, r.action, r.target, json.loads(r.detail) if r.detail else {}, r.client_ip)
            for r in conn.execute(query)]
