"""Editor data jobs (`fn(store)`, run by the task runner): load a record with its children, save it in one go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from specialist_app.gui.editors.child_table import ChildRows
from specialist_app.services import queries, records
from specialist_app.services.records import RecordInvalid
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES
from sync.messages import Problem


class ChildInvalid(Exception):
    """A child row (IP item, follow-up, attachment) broke rules; problems carry params["row"]."""

    def __init__(self, entity: str, problems: list[Problem]) -> None:
        super().__init__(entity)
        self.entity = entity
        self.problems = problems


@dataclass
class LoadedRecord:
    record: dict[str, Any] | None
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    collected: list[dict[str, Any]] = field(default_factory=list)  # achievements/demands from this visit


def load_record(
    entity: str,
    id: str | None,
    child_entities: tuple[str, ...] = (),
    with_attachments: bool = False,
    with_collected: bool = False,
) -> Callable[[Store], LoadedRecord]:
    def run(store: Store) -> LoadedRecord:
        with ReadUnitOfWork(store) as uow:
            record = records.get(uow, entity, id) if id else None
            loaded = LoadedRecord(record)
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


def choices(entity: str, institution_id: str | None = None) -> Callable[[Store], list[tuple[str, str]]]:
    """(id, label) pairs for a picker: institutions (assigned first), or one institution's contacts or visits."""

    def run(store: Store) -> list[tuple[str, str]]:
        with ReadUnitOfWork(store) as uow:
            if entity == "institution":
                return [(row["id"], row["name"]) for row in queries.my_institutions(uow)]
            if not institution_id:
                return []
            found = queries.institution_history(uow, institution_id) or {}
            if entity == "contact":
                return [
                    (c["id"], c["name"] + (f"（{c['position']}）" if c.get("position") else ""))
                    for c in found.get("contacts", [])
                ]
            if entity == "visit":
                return [
                    (v["id"], f"{(v.get('visited_at') or v.get('planned_at') or '')[:10]} {v.get('purpose') or ''}")
                    for v in found.get("visits", [])
                ]
            raise ValueError(f"no picker for {entity}")

    return run


@dataclass
class SavePlan:
    """One editor's save: the record, its child rows, and new attachments, written in one transaction."""

    entity: str
    id: str
    is_new: bool
    values: dict[str, Any]
    children: list[ChildRows] = field(default_factory=list)
    new_attachments: list[dict[str, Any]] = field(default_factory=list)
    removed_attachments: list[str] = field(default_factory=list)  # ids of stored attachments to delete


def _save_children(uow: UnitOfWork, parent_id: str, rows: ChildRows) -> None:
    parent_field = ENTITIES[rows.entity].parent_field
    assert parent_field is not None
    for removed in rows.removed_ids:
        records.delete(uow, rows.entity, removed)
    for index, row in enumerate(rows.rows):
        values = {k: v for k, v in row.items() if k != "id"}
        try:
            if row.get("id"):
                records.update(uow, rows.entity, str(row["id"]), values)
            else:
                records.create(uow, rows.entity, {**values, parent_field: parent_id})
        except RecordInvalid as err:
            raise ChildInvalid(
                rows.entity, [Problem(p.field, p.code, {**p.params, "row": index}) for p in err.problems]
            ) from err


def save(plan: SavePlan) -> Callable[[Store], str]:
    """Create or update the record, then its children and attachments; all or nothing. Returns the id."""

    def run(store: Store) -> str:
        with UnitOfWork(store) as uow:
            if plan.is_new:
                records.create(uow, plan.entity, plan.values, id=plan.id)
            else:
                records.update(uow, plan.entity, plan.id, plan.values)
            for rows in plan.children:
                _save_children(uow, plan.id, rows)
            _save_children(
                uow,
                plan.id,
                ChildRows("attachment", [{**a, "owner_entity": plan.entity} for a in plan.new_attachments],
                          plan.removed_attachments),
            )
            uow.commit()
        return plan.id

    return run
