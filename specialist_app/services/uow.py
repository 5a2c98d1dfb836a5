"""The unit of work: one store transaction around a service call; leaving without commit() rolls back."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection

from specialist_app.store.db import BEGIN_OPTION, Store


class UnitOfWork:
    """`with UnitOfWork(store) as uow: ...; uow.commit()`; only services call commit().

    Transactions start with BEGIN IMMEDIATE: a writer takes the write lock up front (waiting up to the busy
    timeout) instead of failing halfway when another connection wrote since its first read. Readers of other
    connections are not blocked (WAL). After commit() the next statement starts a new transaction.
    """

    conn: Connection

    def __init__(self, store: Store) -> None:
        self.store = store
        self._open = False

    def __enter__(self) -> UnitOfWork:
        if self._open:
            raise RuntimeError("unit of work already entered")
        self.conn = self.store.engine.connect().execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
        self._open = True
        return self

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.conn.rollback()
        finally:
            self.conn.close()
            self._open = False
