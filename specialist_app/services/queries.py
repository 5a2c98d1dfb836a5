"""Read-only queries for the GUI's lists and dashboard; days and months are market-local (UTC+8) calendar dates.

Each takes a ReadUnitOfWork (never waits for a writer) or, inside a write, the UnitOfWork. `today` is
injectable for tests; by default it is the market-local date now. Achievements and demands are
counted by creation month from their UUIDv7 ids (time-ordered, so a month is an id range on the primary key).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from specialist_app.services.uow import Reads
from sync.entities import ENTITIES
from sync.fields import MARKET_TZ_OFFSET, Kind

OPEN_DEMAND_STATUSES = ("open", "matching")


def market_today() -> date:
    return (datetime.now(UTC) + MARKET_TZ_OFFSET).date()


def local_midnight_utc(day: date) -> str:
    """The canonical UTC date-time at which the market-local `day` begins."""
    start = datetime.combine(day, datetime.min.time()) - MARKET_TZ_OFFSET
    return start.strftime("%Y-%m-%dT%H:%M:%SZ")


def uuid7_floor(moment: datetime) -> str:
    """A string that sorts before every UUIDv7 from `moment` on and after every earlier one."""
    digits = f"{int(moment.timestamp() * 1000):012x}"
    return f"{digits[:8]}-{digits[8:12]}"


def _columns(entity: str, alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in ["id", *ENTITIES[entity].field_names()])


def _dicts(conn: Connection, sql: str, entity: str | None = None, **params: Any) -> list[dict[str, Any]]:
    """Rows as dicts; `entity`'s list fields JSON-decoded and flags made bool (text() SQL has no column types)."""
    fields = ENTITIES[entity].fields if entity else ()
    lists = [f.name for f in fields if f.is_list()]
    flags = [f.name for f in fields if f.kind is Kind.BOOL]
    out = []
    for row in conn.execute(text(sql), params).mappings():
        item = dict(row)
        for name in lists:
            if isinstance(item.get(name), str):
                item[name] = json.loads(item[name])
        for name in flags:
            if item.get(name) is not None:
                item[name] = bool(item[name])
        out.append(item)
    return out


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def my_institutions(
    uow: Reads, *, text: str | None = None, org_type: str | None = None, region: str | None = None,
    today: date | None = None, keep: str | None = None,
) -> list[dict[str, Any]]:
    """Live institutions, assigned ones first, then by name; each with visit, open demand and overdue counts.

    `text` matches name or credit code (substring); `region` is a region code prefix ("22" = Jilin). A confirmed
    duplicate (docs/matching.md) is left out, as from the catalog search, unless it is `keep` (the institution a
    record being edited already names: a picker keeps showing it).
    """
    day = (today or market_today()).isoformat()
    where = ["i.deleted = 0", "(coalesce(i.duplicate_state, '') != 'confirmed' OR i.id = :keep)"]
    params: dict[str, Any] = {"today": day, "keep": keep}
    if text and text.strip():
        where.append("(i.name LIKE :text ESCAPE '\\' OR i.credit_code LIKE :text ESCAPE '\\')")
        params["text"] = f"%{_escape_like(text.strip())}%"
    if org_type:
        where.append("i.org_type = :org_type")
        params["org_type"] = org_type
    if region:
        where.append("i.region_code LIKE :region ESCAPE '\\'")
        params["region"] = _escape_like(region.strip()) + "%"
    sql = f"""
        SELECT i.id, i.name, i.org_type, i.region_code, i.address, i.credit_code,
            (a.institution_id IS NOT NULL) AS assigned,
            (SELECT count(*) FROM visit v WHERE v.institution_id = i.id AND v.deleted = 0) AS visits,
            (SELECT max(v.visited_at) FROM visit v
                WHERE v.institution_id = i.id AND v.deleted = 0 AND v.status = 'done') AS last_visited_at,
            (SELECT count(*) FROM demand d WHERE d.institution_id = i.id AND d.deleted = 0
                AND coalesce(d.status, 'open') IN ('open', 'matching')) AS open_demands,
            (SELECT count(*) FROM follow_up f JOIN visit v ON v.id = f.visit_id
                WHERE v.institution_id = i.id AND v.deleted = 0 AND f.deleted = 0
                AND coalesce(f.done, 0) = 0 AND f.due_date < :today) AS overdue_follow_ups
        FROM institution i LEFT JOIN assigned_institution a ON a.institution_id = i.id
        WHERE {" AND ".join(where)}
        ORDER BY assigned DESC, i.name, i.id
    """
    rows = _dicts(uow.conn, sql, **params)
    for row in rows:
        row["assigned"] = bool(row["assigned"])
    return rows


def institution_of(uow: Reads, entity: str, id: str) -> str | None:
    """The institution a stored record names (None for an entity without one, or a record not stored)."""
    if not ENTITIES[entity].has("institution_id"):
        return None
    found = uow.conn.execute(text(f"SELECT institution_id FROM {entity} WHERE id = :id"), {"id": id}).scalar()
    return str(found) if found else None


def institution_history(uow: Reads, id: str) -> dict[str, Any] | None:
    """Everything about one institution: profile, contacts, visits (newest first, each with its follow-ups),
    achievements and demands (newest first); None if it is missing or deleted."""
    conn = uow.conn

    def rows(entity: str, where: str, order: str, join: str = "") -> list[dict[str, Any]]:
        sql = f"SELECT {_columns(entity, 'r')} FROM {entity} r {join} WHERE {where} AND r.deleted = 0 ORDER BY {order}"
        return _dicts(conn, sql, entity, id=id)

    found = rows("institution", "r.id = :id", "r.id")
    if not found:
        return None
    contacts = rows("contact", "r.institution_id = :id", "r.name, r.id")
    visits = rows("visit", "r.institution_id = :id", "coalesce(r.visited_at, r.planned_at) DESC, r.id DESC")
    follow_ups = rows(
        "follow_up", "v.institution_id = :id AND v.deleted = 0", "r.due_date IS NULL, r.due_date, r.id",
        join="JOIN visit v ON v.id = r.visit_id",
    )
    by_visit: dict[str, list[dict[str, Any]]] = {}
    for item in follow_ups:
        by_visit.setdefault(item["visit_id"], []).append(item)
    for visit in visits:
        visit["follow_ups"] = by_visit.get(visit["id"], [])
    achievements = rows("achievement", "r.institution_id = :id", "r.id DESC")
    demands = rows("demand", "r.institution_id = :id", "r.id DESC")
    return {"institution": found[0], "contacts": contacts, "visits": visits, "achievements": achievements,
            "demands": demands}


def upcoming_visits(uow: Reads, *, days: int = 14, today: date | None = None) -> list[dict[str, Any]]:
    """Planned visits from today through today + `days` (local dates), soonest first, with the institution name."""
    day = today or market_today()
    sql = f"""
        SELECT {_columns('visit', 'v')}, i.name AS institution_name
        FROM visit v JOIN institution i ON i.id = v.institution_id
        WHERE v.deleted = 0 AND v.status = 'planned' AND v.planned_at >= :start AND v.planned_at < :end
        ORDER BY v.planned_at, v.id
    """
    return _dicts(uow.conn, sql, "visit", start=local_midnight_utc(day),
                  end=local_midnight_utc(day + timedelta(days=days + 1)))


def overdue_follow_ups(uow: Reads, *, today: date | None = None) -> list[dict[str, Any]]:
    """Follow-ups not done whose due date is before today, oldest first, with their visit and institution."""
    day = (today or market_today()).isoformat()
    sql = f"""
        SELECT {_columns('follow_up', 'f')}, v.purpose AS visit_purpose,
            coalesce(v.visited_at, v.planned_at) AS visit_at, i.id AS institution_id, i.name AS institution_name
        FROM follow_up f JOIN visit v ON v.id = f.visit_id JOIN institution i ON i.id = v.institution_id
        WHERE f.deleted = 0 AND v.deleted = 0 AND coalesce(f.done, 0) = 0 AND f.due_date < :today
        ORDER BY f.due_date, f.id
    """
    return _dicts(uow.conn, sql, "follow_up", today=day)


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_counts(uow: Reads, *, months: int = 12, today: date | None = None,
                 collector: str | None = None) -> list[dict[str, Any]]:
    """Per month, oldest first, ending with the current one: visits done, and the achievements and demands this user
    collected (the server stamped `collector` into collected_by, or created here and not yet sent). The catalog's
    thousands of other rows are not the specialist's month. Two disjoint counts each, the user's rows through the
    (collected_by, id) index and the unsent ones from the outbox: a month's id range of the catalog is never walked
    (at 153,000 province achievements that walk read every row: 2.7 s of the app's start)."""
    day = today or market_today()
    # Each month's first day, oldest first, then the next month's; and the smallest id made at each (market time).
    bounds = [_month_start(day, back) for back in range(months - 1, -2, -1)]
    ids = [uuid7_floor(datetime.combine(first, datetime.min.time(), UTC) - MARKET_TZ_OFFSET) for first in bounds]
    unsent = {entity: _unsent_created_ids(uow, entity, ids[0], ids[-1]) for entity in ("achievement", "demand")}
    out = []
    for first, following, id_start, id_end in zip(bounds, bounds[1:], ids, ids[1:], strict=False):
        counts = uow.conn.execute(text("""
            SELECT
                (SELECT count(*) FROM visit WHERE deleted = 0 AND status = 'done'
                    AND visited_at >= :start AND visited_at < :end),
                (SELECT count(*) FROM achievement WHERE collected_by = :me AND id >= :id_start AND id < :id_end
                    AND deleted = 0),
                (SELECT count(*) FROM demand WHERE collected_by = :me AND id >= :id_start AND id < :id_end
                    AND deleted = 0)
        """), {"start": local_midnight_utc(first), "end": local_midnight_utc(following), "id_start": id_start,
               "id_end": id_end, "me": collector}).one()
        made_here = {entity: bisect_left(found, id_end) - bisect_left(found, id_start)
                     for entity, found in unsent.items()}
        out.append({"month": first.strftime("%Y-%m"), "visits": counts[0],
                    "achievements": counts[1] + made_here["achievement"], "demands": counts[2] + made_here["demand"]})
    return out


def _unsent_created_ids(uow: Reads, entity: str, id_start: str, id_end: str) -> list[str]:
    """Sorted ids of `entity` rows created here and not yet sent (no collector stamped yet) in [id_start, id_end).

    One query for all the months: the outbox's list is read once, not once a month (a store whose 23,300 imported
    achievements wait to be sent read it in ~35 ms a time, 0.85 s for the dashboard's twelve months)."""
    rows = uow.conn.execute(text(f"""
        SELECT id FROM {entity} WHERE id IN (SELECT row_id FROM outbox WHERE entity = :entity AND op = 'create')
            AND id >= :id_start AND id < :id_end AND collected_by IS NULL AND deleted = 0
        ORDER BY id
    """), {"entity": entity, "id_start": id_start, "id_end": id_end})
    return [row[0] for row in rows]


def recent_visits(uow: Reads, *, limit: int = 200) -> list[dict[str, Any]]:
    """Visits done or cancelled across all institutions, newest first (by visit, else planned date), with the
    institution name."""
    sql = f"""
        SELECT {_columns('visit', 'v')}, i.name AS institution_name
        FROM visit v JOIN institution i ON i.id = v.institution_id
        WHERE v.deleted = 0 AND v.status != 'planned'
        ORDER BY coalesce(v.visited_at, v.planned_at) DESC, v.id DESC
        LIMIT :limit
    """
    return _dicts(uow.conn, sql, "visit", limit=limit)


def child_rows(uow: Reads, entity: str, parent_id: str) -> list[dict[str, Any]]:
    """Live rows of a child entity under one parent (a visit's follow-ups, an achievement's IP items), oldest first."""
    parent_field = ENTITIES[entity].parent_field
    if parent_field is None:
        raise ValueError(f"{entity} is not a child entity")
    sql = (f"SELECT {_columns(entity, 'r')} FROM {entity} r"
           f" WHERE r.{parent_field} = :parent AND r.deleted = 0 ORDER BY r.id")
    return _dicts(uow.conn, sql, entity, parent=parent_id)


def attachments_of(uow: Reads, owner_entity: str, owner_id: str) -> list[dict[str, Any]]:
    """Live attachment records of one record, oldest first."""
    sql = f"""
        SELECT {_columns('attachment', 'r')} FROM attachment r
        WHERE r.owner_entity = :owner_entity AND r.owner_id = :owner_id AND r.deleted = 0 ORDER BY r.id
    """
    return _dicts(uow.conn, sql, "attachment", owner_entity=owner_entity, owner_id=owner_id)


def collected_on_visit(uow: Reads, visit_id: str) -> list[dict[str, Any]]:
    """Achievements, then demands, recorded on a visit (source_visit_id), oldest first; each with "entity"."""
    out: list[dict[str, Any]] = []
    for entity in (e.name for e in ENTITIES.values() if e.stamps_collector and e.has("source_visit_id")):
        sql = (f"SELECT {_columns(entity, 'r')} FROM {entity} r"
               " WHERE r.source_visit_id = :visit AND r.deleted = 0 ORDER BY r.id")
        out.extend({"entity": entity, **row} for row in _dicts(uow.conn, sql, entity, visit=visit_id))
    return out
