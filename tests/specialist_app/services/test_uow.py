"""Units of work: commit, rollback on exit, and read-only ones that never wait for a writer (WAL)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

import pytest
from sqlalchemy import exc, func, select

from specialist_app.services import queries as Q
from specialist_app.services import records as R
from specialist_app.services import search as S
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
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


def test_a_read_completes_while_another_connection_holds_the_write_lock(store: Store) -> None:
    """A sync page commit holds the write lock; page queries and search must not wait for it (busy timeout 10 s)."""
    with UnitOfWork(store) as uow:
        R.create(uow, "institution", {"name": "吉林大学", "org_type": "university"})
        uow.commit()
    S.prepare_index(store)
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another connection (a sync applying a page) holds the write lock
    try:
        writer.execute("DELETE FROM institution")  # not committed: readers still see the institution
        began = time.monotonic()
        with ReadUnitOfWork(store) as read:
            names = [row["name"] for row in Q.my_institutions(read)]
            hits = S.search(read, "吉林").hits
        assert time.monotonic() - began < 2
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert names == ["吉林大学"]
    assert [h.title for h in hits] == ["吉林大学"]


def test_a_read_unit_of_work_cannot_write(store: Store) -> None:
    with ReadUnitOfWork(store) as read, pytest.raises(exc.OperationalError, match="readonly"):
        R.create(read, "expert", {"name": "甲"})  # type: ignore[arg-type]
    assert _count(store) == 0
