"""Settling conflicts: a merged value is one transaction (the conflict settled and the field edited, or neither)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from specialist_app.services import conflicts, records
from specialist_app.services.records import RecordInvalid
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.tables import conflict, outbox


@pytest.fixture
def open_conflict(store: Store) -> tuple[str, str]:
    """(conflict id, institution id): a synced institution whose name the server changed while we changed it too."""
    with UnitOfWork(store) as uow:
        inst = records.create(uow, "institution", {"name": "吉林大学", "org_type": "高等院校", "region_code": "220102"})
        uow.conn.execute(outbox.delete())  # as if pushed and answered
        uow.conn.execute(insert(conflict), [{
            "id": "c-1", "entity": "institution", "row_id": inst, "field": "name", "base": "吉林大学",
            "theirs": "吉林大学（前卫校区）", "mine": "吉林大学南岭校区", "created_at": "2026-01-01T00:00:00Z",
        }])
        uow.commit()
    return "c-1", inst


def _state(store: Store, inst: str) -> tuple[str | None, str, int]:
    """(the conflict's resolved_at, the institution's name, outbox entries)."""
    with ReadUnitOfWork(store) as read:
        resolved = read.conn.execute(select(conflict.c.resolved_at)).scalar_one()
        row = records.get(read, "institution", inst)
        assert row is not None
        entries = read.conn.execute(select(func.count()).select_from(outbox)).scalar_one()
    return resolved, str(row["name"]), int(entries)


def test_keeping_a_merged_value_settles_the_conflict_and_edits_the_field(
    store: Store, open_conflict: tuple[str, str]
) -> None:
    cid, inst = open_conflict
    assert conflicts.resolve_all(store, [conflicts.Settle(cid, "merged", "吉林大学（南岭校区）")]) == 1
    resolved, name, entries = _state(store, inst)
    assert resolved is not None and name == "吉林大学（南岭校区）"
    assert entries == 1  # the edit rides on the outbox entry that settles the conflict


def test_a_refused_merged_value_leaves_the_conflict_open_and_the_row_as_it_was(
    store: Store, open_conflict: tuple[str, str]
) -> None:
    cid, inst = open_conflict
    with pytest.raises(RecordInvalid):
        conflicts.resolve_all(store, [conflicts.Settle(cid, "merged", None)])  # a name is required
    assert _state(store, inst) == (None, "吉林大学", 0)  # the "theirs" half was rolled back with it


def test_dismissing_a_rejection_hides_it_once(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql(
            "INSERT INTO rejection (seq, entity, row_id, op, fields, reason, problems, message, created_at)"
            " VALUES (7, 'institution', 'r', 'update', '{}', 'permission', '[]', '', '2026-01-01T00:00:00Z')")
        uow.commit()
    assert conflicts.dismiss_rejection(store, 7) is True
    assert conflicts.dismiss_rejection(store, 7) is False
    with ReadUnitOfWork(store) as read:
        assert conflicts.list_rejections(read.conn) == []


def test_a_typed_merged_value_is_read_then_settled_with_the_others(
    store: Store, open_conflict: tuple[str, str]
) -> None:
    cid, inst = open_conflict
    assert conflicts.resolve_typed(store, [conflicts.Typed(cid, "merged", "  吉林大学（南岭校区） ")]) == 1
    resolved, name, _entries = _state(store, inst)
    assert resolved is not None and name == "吉林大学（南岭校区）"
