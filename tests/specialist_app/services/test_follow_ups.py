"""Marking a follow-up done or moving its due date is one stored, outboxed edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from specialist_app.services import follow_ups, queries, records
from specialist_app.services.records import RecordNotFound
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store, open_store
from sync.permissions import Refusal


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "store.sqlite3")
    yield opened  # type: ignore[misc]
    opened.close()


def _seed(store: Store) -> str:
    with UnitOfWork(store) as uow:
        inst = records.create(uow, "institution", {"name": "长春光机所", "org_type": "institute"})
        visit = records.create(uow, "visit", {"institution_id": inst, "status": "done",
                                              "visited_at": "2026-11-02T02:00:00Z"})
        follow_up = records.create(uow, "follow_up", {"visit_id": visit, "action": "寄送材料",
                                                      "due_date": "2026-11-10"})
        uow.commit()
    return follow_up


def _overdue(store: Store) -> list[str]:
    with ReadUnitOfWork(store) as uow:
        return [row["id"] for row in queries.overdue_follow_ups(uow, today=date(2026, 12, 2))]


def test_marking_done_takes_it_off_the_overdue_list(store: Store) -> None:
    follow_up = _seed(store)
    assert _overdue(store) == [follow_up]
    follow_ups.mark_done(store, follow_up)
    assert _overdue(store) == []


def test_moving_the_due_date_past_today_takes_it_off_and_keeps_it_open(store: Store) -> None:
    follow_up = _seed(store)
    follow_ups.move_due(store, follow_up, date(2026, 12, 9))
    assert _overdue(store) == []
    with ReadUnitOfWork(store) as uow:
        row = records.get(uow, "follow_up", follow_up)
    assert row is not None
    assert row["due_date"] == "2026-12-09"
    assert not row["done"]


def test_a_follow_up_deleted_meanwhile_is_reported(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        follow_ups.mark_done(store, "0190a000-0000-7000-8000-000000000000")


def _account(store: Store, role: str, assigned: list[str]) -> None:
    from specialist_app.services import account
    from specialist_app.store.tables import assigned_institution
    from sync.protocol import UserInfo

    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql("UPDATE institution SET server_version = 1")  # pulled, not kim's own proposal
        account.record(uow.conn, UserInfo(username="kim", role=role, institutions=assigned))
        for inst in assigned:
            uow.conn.execute(assigned_institution.insert().values(institution_id=inst))
        uow.commit()


def _institution_of(store: Store, follow_up: str) -> str:
    with ReadUnitOfWork(store) as uow:
        row = records.get(uow, "follow_up", follow_up)
        assert row is not None
        visit = records.get(uow, "visit", row["visit_id"])
        assert visit is not None
        return str(visit["institution_id"])


def test_a_change_the_server_would_refuse_is_refused_here_and_writes_nothing(store: Store) -> None:
    follow_up = _seed(store)
    _account(store, "specialist", [])  # the institution is not (or no longer) assigned to kim
    with pytest.raises(follow_ups.FollowUpRefused) as refused:
        follow_ups.mark_done(store, follow_up, "kim")
    assert refused.value.refusal is Refusal.NOT_ASSIGNED
    assert _overdue(store) == [follow_up]


def test_an_assigned_specialist_and_a_local_profile_may_change_it(store: Store) -> None:
    follow_up = _seed(store)
    _account(store, "specialist", [_institution_of(store, follow_up)])
    follow_ups.move_due(store, follow_up, date(2026, 12, 9), "kim")
    follow_ups.mark_done(store, follow_up, None)  # no server: everything is the user's
    assert _overdue(store) == []
