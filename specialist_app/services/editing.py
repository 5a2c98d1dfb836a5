"""A user's edits as operations, each one transaction: one record added, edited or deleted; the editor's save."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specialist_app.services import records
from specialist_app.services.records import RecordInvalid
from specialist_app.services.uow import UnitOfWork
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
class ChildRows:
    """What a child table holds: rows (each with "id" when already stored) and ids of removed stored rows."""

    entity: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)


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


def add_record(store: Store, entity: str, values: dict[str, Any]) -> str:
    """Create a record (validated); returns its new id. Raises RecordInvalid."""
    with UnitOfWork(store) as uow:
        row_id = records.create(uow, entity, values)
        uow.commit()
    return row_id


def edit_record(store: Store, entity: str, row_id: str, values: dict[str, Any]) -> None:
    """Change fields of a record. Raises RecordInvalid, RecordNotFound."""
    with UnitOfWork(store) as uow:
        records.update(uow, entity, row_id, values)
        uow.commit()


def delete_record(store: Store, entity: str, row_id: str) -> None:
    """Delete a record and its children. Raises RecordNotFound."""
    with UnitOfWork(store) as uow:
        records.delete(uow, entity, row_id)
        uow.commit()


def save_record(store: Store, plan: SavePlan) -> str:
    """Create or update the record, then its children and attachments; all or nothing. Returns the id.

    Raises RecordInvalid (the record) or ChildInvalid (a child row, its index in params["row"]).
    """
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
