"""Units of work: a write transaction around a service call (commit or roll back), and a read-only one."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from sqlalchemy import Connection

from specialist_app.store.db import BEGIN_OPTION, Store


class Reads(Protocol):
    """What read-only services take: a ReadUnitOfWork, or a UnitOfWork when a write needs to read too."""

    @property
    def conn(self) -> Connection: ...


class _Session:
    conn: Connection

    def __init__(self, store: Store) -> None:
        self.store = store
        self._open = False

    def _connect(self) -> Connection:
        raise NotImplementedError

    def _enter(self) -> None:
        if self._open:
            raise RuntimeError("unit of work already entered")
        self.conn = self._connect()
        self._open = True

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.conn.rollback()
        finally:
            self.conn.close()
            self._open = False


class UnitOfWork(_Session):
    """`with UnitOfWork(store) as uow: ...; uow.commit()` for work that writes; only services call commit().

    Transactions start with BEGIN IMMEDIATE: a writer takes the write lock up front (waiting up to the busy
    timeout) instead of failing halfway when another connection wrote since its first read. So it waits for
    another writer (a sync page): work that only reads uses ReadUnitOfWork instead. After commit() the next
    statement starts a new transaction.
    """

    def _connect(self) -> Connection:
        return self.store.engine.connect().execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})

    def __enter__(self) -> UnitOfWork:
        self._enter()
        return self

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()


class ReadUnitOfWork(_Session):
    """`with ReadUnitOfWork(store) as read: ...` for work that only reads (page queries, search, loading a record).

    Its connection (Store.read_engine) is `query_only` and opens a plain deferred BEGIN: it never asks for the
    write lock, so it never waits behind a writer (WAL). Its reads see the store as committed when its first
    statement ran; any write through it fails ("attempt to write a readonly database").
    """

    def _connect(self) -> Connection:
        return self.store.read_engine.connect()

    def __enter__(self) -> ReadUnitOfWork:
        self._enter()
        return self
