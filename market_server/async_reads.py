"""One-row reads run on the event loop itself (PostgreSQL, psycopg's async connections), so a request that needs
only one short statement makes no worker-thread hop (pull_fast_path)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any

import psycopg
from sqlalchemy import Engine, Select

from market_server.settings import Settings

CONNECT_TIMEOUT_S = 10
APPLICATION_NAME = "market-server loop"  # pg_stat_activity shows these connections as this and the process id


class AsyncReads:
    """A few autocommit connections of the serving event loop, opened when first needed and reopened after an error;
    a statement is compiled once for the engine's dialect.

    Usable (`usable()`) on PostgreSQL, between `start()` and `close()` (the app's lifespan: one serving loop per
    process), on that loop only; elsewhere (SQLite, a test client without a lifespan) the caller reads on a worker
    thread as before. A connection is never shared by two statements at once: a read waits for a free one. Any
    error closes the connection it ran on and is raised.
    """

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.size = max(1, settings.db_loop_connections)
        self._engine = engine
        self._connect: dict[str, Any] | None = None
        if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
            _, params = engine.dialect.create_connect_args(engine.url)
            params.pop("context", None)  # SQLAlchemy's own type adapters: psycopg's defaults read these columns
            if settings.database_schema:
                params["options"] = f"-csearch_path={settings.database_schema}"
            params.setdefault("application_name", f"{APPLICATION_NAME} {os.getpid()}")
            params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)  # an unreachable database: the route answers
            self._connect = dict(params)
        self._compiled: dict[int, tuple[Select[Any], str, dict[str, Any]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pool: _Pool | None = None

    def start(self) -> None:
        """Serve reads on the running loop (the lifespan's start)."""
        if self._connect is not None:
            self._loop, self._pool = asyncio.get_running_loop(), _Pool(self._connect, self.size)

    def usable(self) -> bool:
        return self._pool is not None and asyncio.get_running_loop() is self._loop

    async def first(self, statement: Select[Any], params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The statement's first row (a tuple in its column order), or None; only where `usable()`."""
        assert self._pool is not None and asyncio.get_running_loop() is self._loop
        sql, defaults = self._sql(statement)
        return await self._pool.first(sql, {**defaults, **params})

    async def close(self) -> None:
        """Close the connections (the lifespan's end)."""
        pool, self._pool, self._loop = self._pool, None, None
        if pool is not None:
            await pool.close()

    def _sql(self, statement: Select[Any]) -> tuple[str, dict[str, Any]]:
        found = self._compiled.get(id(statement))
        if found is None or found[0] is not statement:
            compiled = statement.compile(dialect=self._engine.dialect)
            found = self._compiled[id(statement)] = (statement, str(compiled), dict(compiled.params))
        return found[1], found[2]


class _Pool:
    """`size` slots, each holding an open connection or None (open one when taken); last returned, first taken."""

    def __init__(self, connect: dict[str, Any], size: int) -> None:
        self._connect = connect
        self._slots: asyncio.LifoQueue[psycopg.AsyncConnection[Any] | None] = asyncio.LifoQueue()
        for _ in range(size):
            self._slots.put_nowait(None)

    async def first(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        conn = await self._slots.get()
        try:
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(autocommit=True, **self._connect)
            cursor = await conn.execute(sql, params)  # compiled once, bound by name
            row = await cursor.fetchone()
        except BaseException:
            if conn is not None:
                await _close(conn)
            self._slots.put_nowait(None)
            raise
        self._slots.put_nowait(conn)
        return row

    async def close(self) -> None:
        while not self._slots.empty():
            conn = self._slots.get_nowait()
            if conn is not None:
                await _close(conn)


async def _close(conn: psycopg.AsyncConnection[Any]) -> None:
    with contextlib.suppress(psycopg.Error, OSError, RuntimeError):  # already broken: nothing to tell the database
        await conn.close()
