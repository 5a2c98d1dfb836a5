"""The unit of work: commit, rollback on exit, and readers not blocked by a writer (WAL)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from specialist_app.services import records as R
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES

UowFactory = Callable[[], UnitOfWork]


def _count(store: Store) -> int:
    table = ENTITY_TABLES["expert"]
    with store.engine.connect() as conn:
        value = conn.execute(select(func.count()).select_from(table)).scalar_one()
        conn.rollback()
    return int(value)


def test_commit_then_uncommitted_work_rolls_back(store: Store, uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        R.create(uow, "expert", {"name": "甲"})
        uow.commit()
        R.create(uow, "expert", {"name": "乙"})
    assert _count(store) == 1


def test_reader_sees_last_commit_while_writer_is_open(store: Store, uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        R.create(uow, "expert", {"name": "甲"})
        assert _count(store) == 0  # another connection reads without waiting for the write lock
        uow.commit()
        assert _count(store) == 1
