"""Editor data jobs (`fn(store)`, run by the task runner): load a record and its children; save (editing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from specialist_app.gui.editors import date_text
from specialist_app.services import account, digests, editing, queries, records, search
from specialist_app.services.editing import ChildInvalid as ChildInvalid  # the editor catches it from here
from specialist_app.services.editing import SavePlan as SavePlan  # the editor builds it from here
from specialist_app.services.uow import Reads, ReadUnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES, Entity
from sync.permissions import Refusal, may_write_scope


@dataclass
class LoadedRecord:
    record: dict[str, Any] | None
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    collected: list[dict[str, Any]] = field(default_factory=list)  # achievements/demands from this visit
    refusal: Refusal | None = None  # why the server would refuse this user's change of it (None: editable)
    admin: bool = True  # the user may choose admin-only values (an administrator, or a local profile without a server)
    needs_institution: bool = False  # a new record the server takes from this user only with their institution


def load_record(
    entity: str,
    id: str | None,
    child_entities: tuple[str, ...] = (),
    with_attachments: bool = False,
    with_collected: bool = False,
    username: str | None = None,
) -> Callable[[Store], LoadedRecord]:
    """The record (None: a new one) and what the editor shows with it; with `username` (a signed-in profile),
    whether the server would accept this user's change of it (sync.permissions on the account last synced)."""

    def run(store: Store) -> LoadedRecord:
        with ReadUnitOfWork(store) as uow:
            record = records.get(uow, entity, id) if id else None
            loaded = LoadedRecord(record)
            if username is not None:
                loaded.refusal = edit_refusal(uow, username, ENTITIES[entity], record)
                who = account.load(uow, username)
                loaded.admin = who is None or who.is_admin
                loaded.needs_institution = (record is None or not account.on_server(uow, ENTITIES[entity], id)) and (
                    account.write_refusal(uow, who, ENTITIES[entity], {}, new=True) is Refusal.NO_INSTITUTION)
            if id is None:
                return loaded
            for child in child_entities:
                loaded.children[child] = queries.child_rows(uow, child, id)
            if with_attachments:
                loaded.attachments = queries.attachments_of(uow, entity, id)
            if with_collected:
                loaded.collected = queries.collected_on_visit(uow, id)
            return loaded

    return run


def edit_refusal(uow: Reads, username: str, entity: Entity, record: dict[str, Any] | None) -> Refusal | None:
    """A stored record: the rule's answer for a change, except that one the market never took (refused for its
    institution, or not sent yet) stays editable: choosing one of the user's institutions makes it acceptable (it
    opened read-only from 被退回的修改 → 修改…, a dead end). A new one: refused only when no choice in the form could
    make it acceptable (administrators' records); the institution picked decides the rest at save and sync."""
    who = account.load(uow, username)
    if record is not None:
        refusal = account.write_refusal(uow, who, entity, record)
        if refusal in (Refusal.NO_INSTITUTION, Refusal.NOT_ASSIGNED) and not account.on_server(
                uow, entity, record.get("id")):
            return None  # never taken by the market (refused, or not sent yet): one of their institutions fixes it
        return refusal
    refusal = account.write_refusal(uow, who, entity, {}, new=True)
    return refusal if refusal is Refusal.ADMIN_ONLY else None


# Pickers of an institution's own rows: where its history holds them, and how a choice reads.
def _visit_choice(visit: dict[str, Any]) -> str:
    """A visit as 来源走访 offers it: its day in market time (as 走访记录 shows it; the stored UTC date was the day
    before for a visit logged before 8 in the morning) and its purpose."""
    when = str(visit.get("visited_at") or visit.get("planned_at") or "")
    try:
        day = date_text.show_date_time(when)[:10] if when else ""
    except ValueError:
        day = when[:10]
    return f"{day} {visit.get('purpose') or ''}".strip()


_IN_HISTORY: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "contact": ("contacts", lambda c: c["name"] + (f"（{c['position']}）" if c.get("position") else "")),
    "visit": ("visits", _visit_choice),
}


def choices(entity: str, institution_id: str | None = None, *, writer: str | None = None,
            record: tuple[str, str] | None = None) -> Callable[[Store], list[tuple[str, str]]]:
    """(id, label) pairs for a picker: institutions (assigned first), or one institution's contacts or visits.

    With `writer` (a signed-in user filling a new record), only the institutions whose records the server takes from
    them (sync.permissions): a choice the market would refuse is not offered. Confirmed duplicates are not offered,
    but the institution `record` (entity, id: the record being edited) already names stays a choice."""

    def run(store: Store) -> list[tuple[str, str]]:
        with ReadUnitOfWork(store) as uow:
            if ENTITIES[entity].is_scope_root:
                who = account.load(uow, writer)
                keep = queries.institution_of(uow, *record) if record else None
                return [(row["id"], row["name"]) for row in queries.my_institutions(uow, keep=keep)
                        if who is None or may_write_scope(who, str(row["id"]))]
            if entity not in _IN_HISTORY:
                raise ValueError(f"no picker for {entity}")
            if not institution_id:
                return []
            found = queries.institution_history(uow, institution_id) or {}
            key, label = _IN_HISTORY[entity]
            return [(row["id"], label(row)) for row in found.get(key, [])]

    return run


def catalog_hits(entity: str, text: str, limit: int = 20,
                 writer: str | None = None) -> Callable[[Store], list[tuple[str, str, str, bool]]]:
    """(id, title, owner, yours) of the catalog records of `entity` the catalog search ranks best for `text` (a
    picker of a match's demand, achievement or expert). `yours`: `writer`, a specialist, is assigned the record's
    institution (a match of it is theirs to make); never for an expert, an administrator or a local profile."""

    def run(store: Store) -> list[tuple[str, str, str, bool]]:
        search.prepare_index(store)
        with ReadUnitOfWork(store) as uow:
            page = search.search(uow, text, entities=(entity,), limit=limit)
            who = account.load(uow, writer) if writer and ENTITIES[entity].institution_path else None
            mark = who is not None and not who.is_admin
            return [(hit.id, hit.title, hit.subtitle, mark and who is not None and may_write_scope(
                who, account.governing_institution(uow, ENTITIES[entity], records.get(uow, entity, hit.id) or {})))
                for hit in page.hits]

    return run


def title_of(entity: str, record_id: str) -> Callable[[Store], str | None]:
    """A record's title as a picker shows it (a record held only as a digest: the digest's title); None when this
    store does not hold it."""

    def run(store: Store) -> str | None:
        with ReadUnitOfWork(store) as uow:
            row = records.get(uow, entity, record_id)
            digest = digests.load(uow, record_id) if row is None else None
        if digest is not None and digest.entity == entity:
            return digest.title or record_id
        return None if row is None else str(row.get(ENTITIES[entity].title_field) or record_id)

    return run


def create_refusal(entity: str, values: dict[str, Any], username: str) -> Callable[[Store], Refusal | None]:
    """Why the server would refuse this user's create of a record with these values (None: it would take it), for
    a record whose references decide it (a match record: its demand's or its achievement's institution)."""

    def run(store: Store) -> Refusal | None:
        with ReadUnitOfWork(store) as uow:
            return account.write_refusal(uow, account.load(uow, username), ENTITIES[entity], values, new=True)

    return run


def save(plan: SavePlan) -> Callable[[Store], str]:
    """The editor's save (editing.save_record): all or nothing; returns the id."""

    def run(store: Store) -> str:
        return editing.save_record(store, plan)

    return run
