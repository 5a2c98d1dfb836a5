"""Figures for the overview and the monthly report: per specialist, read straight from the entity tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, select

from market_server.tables import ENTITY_TABLES, app_user, assignment, device, mutation_result, sync_conflict
from sync.fields import format_datetime


@dataclass
class SpecialistRow:
    username: str
    display_name: str | None
    disabled: bool
    last_seen: str | None = None
    conflicts: int = 0
    refusals: int = 0
    visits: int = 0
    overdue: int = 0
    institutions: int = 0
    achievements: int = 0
    demands: int = 0
    follow_ups_done: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def specialists(conn: Connection) -> dict[str, SpecialistRow]:
    """Every specialist account with last sync, open conflicts, refused changes and their number of institutions."""
    out: dict[str, SpecialistRow] = {}
    ids: dict[int, str] = {}
    for r in conn.execute(select(app_user.c.id, app_user.c.username, app_user.c.display_name, app_user.c.disabled)
                          .where(app_user.c.role == "specialist").order_by(app_user.c.username)):
        out[r.username] = SpecialistRow(r.username, r.display_name, bool(r.disabled))
        ids[r.id] = r.username
    for user_id, seen in conn.execute(select(device.c.user_id, func.max(device.c.last_seen_at))
                                      .group_by(device.c.user_id)):
        if user_id in ids:
            out[ids[user_id]].last_seen = seen
    for user_id, n in conn.execute(select(assignment.c.user_id, func.count()).group_by(assignment.c.user_id)):
        if user_id in ids:
            out[ids[user_id]].institutions = n
    for name, n in conn.execute(select(sync_conflict.c.mine_by, func.count())
                                .where(sync_conflict.c.resolved.is_(False)).group_by(sync_conflict.c.mine_by)):
        if name in out:
            out[name].conflicts = n
    refused = (select(mutation_result.c.user_id, func.count())
               .where(mutation_result.c.result.contains('"rejected"')).group_by(mutation_result.c.user_id))
    for user_id, n in conn.execute(refused):
        if user_id in ids:
            out[ids[user_id]].refusals = n
    return out


def load(conn: Connection) -> dict[int, int]:
    """Number of institutions assigned to each user id."""
    return {int(u): int(n) for u, n in conn.execute(
        select(assignment.c.user_id, func.count()).group_by(assignment.c.user_id))}


def month_bounds(month: str) -> tuple[str, str]:
    """('YYYY-MM-01', first day of the next month) for 'YYYY-MM'."""
    first = datetime.strptime(month + "-01", "%Y-%m-%d").date()
    after = (first + timedelta(days=32)).replace(day=1)
    return first.isoformat(), after.isoformat()


def this_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def add_month_figures(conn: Connection, rows: dict[str, SpecialistRow], month: str, today: date | None = None) -> None:
    """Visits, achievements, demands and follow-ups (done, overdue) of `month` per specialist (by author)."""
    start, end = month_bounds(month)
    today_iso = (today or datetime.now(UTC).date()).isoformat()
    visit, follow = ENTITY_TABLES["visit"], ENTITY_TABLES["follow_up"]
    counts: dict[str, Counter[str]] = {
        "visits": _by_author(conn, select(visit.c.created_by).where(
            visit.c.deleted.is_(False), visit.c.status == "done", visit.c.visited_at >= start,
            visit.c.visited_at < end)),
    }
    for name in ("achievement", "demand"):
        table = ENTITY_TABLES[name]
        counts[name + "s"] = _by_author(conn, select(table.c.collected_by).where(
            table.c.deleted.is_(False), table.c.created_at >= start, table.c.created_at < end))
    due = (select(visit.c.created_by).select_from(follow.join(visit, visit.c.id == follow.c.visit_id))
           .where(follow.c.deleted.is_(False), follow.c.due_date >= start, follow.c.due_date < end))
    counts["follow_ups_done"] = _by_author(conn, due.where(follow.c.done.is_(True)))
    counts["overdue"] = _by_author(conn, due.where(follow.c.done.isnot(True), follow.c.due_date < today_iso))
    for key, counter in counts.items():
        for name, n in counter.items():
            if name in rows:
                setattr(rows[name], key, n)


def overdue_now(conn: Connection, rows: dict[str, SpecialistRow], today: date | None = None) -> None:
    """Open follow-ups past their due date today, whatever the month, per specialist."""
    visit, follow = ENTITY_TABLES["visit"], ENTITY_TABLES["follow_up"]
    today_iso = (today or datetime.now(UTC).date()).isoformat()
    for name, n in _by_author(conn, select(visit.c.created_by).select_from(
            follow.join(visit, visit.c.id == follow.c.visit_id)).where(
            follow.c.deleted.is_(False), follow.c.done.isnot(True), follow.c.due_date < today_iso)).items():
        if name in rows:
            rows[name].overdue = n


def _by_author(conn: Connection, query: Select[Any]) -> Counter[str]:
    return Counter(str(name) for name in conn.execute(query).scalars() if name)


@dataclass(frozen=True)
class Waiting:
    institutions: int
    achievements: int
    new_demands: int
    demand_status: dict[str, int]


def waiting(conn: Connection) -> Waiting:
    inst, ach, dem = (ENTITY_TABLES[n] for n in ("institution", "achievement", "demand"))
    since = format_datetime(datetime.now(UTC) - timedelta(days=30))

    def count(table: object, *where: object) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]

    by_status: dict[str, int] = {}
    for s, n in conn.execute(
            select(dem.c.status, func.count()).where(dem.c.deleted.is_(False)).group_by(dem.c.status)):
        key = str(s or "open")  # a demand from before status had a default is open
        by_status[key] = by_status.get(key, 0) + int(n)
    return Waiting(
        count(inst, inst.c.status == "pending", inst.c.deleted.is_(False)),
        count(ach, ach.c.review_status == "pending", ach.c.deleted.is_(False)),
        count(dem, dem.c.created_at >= since, dem.c.deleted.is_(False)),
        by_status,
    )
