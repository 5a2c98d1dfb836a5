"""Attachment storage upkeep: expired unfinished uploads and files no row uses are deleted (`market-server gc`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from market_server import blob_access
from market_server.blobs import BlobStore
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES
from sync.fields import format_datetime

log = logging.getLogger(__name__)
_BATCH = 500


@dataclass
class GcReport:
    """What one collection removed."""

    partial_files: int = 0
    partial_bytes: int = 0
    files: int = 0
    bytes: int = 0

    def line(self) -> str:
        return (f"expired uploads: {self.partial_files} ({self.partial_bytes} bytes); "
                f"unreferenced files: {self.files} ({self.bytes} bytes)")


def collect(engine: Engine, store: BlobStore, settings: Settings, now: float | None = None) -> GcReport:
    """Delete unfinished uploads older than the partial age, then complete files that no live attachment row names,
    no row deleted within the grace period named, and nobody uploaded or claimed within the grace period."""
    now = time.time() if now is None else now
    report = GcReport()
    report.partial_files, report.partial_bytes = store.expire_partials(settings.blob_partial_max_age_seconds, now)
    cutoff = now - settings.blob_unreferenced_grace_seconds
    old = [(sha, size) for sha, mtime, size in store.complete_files() if mtime < cutoff]
    for start in range(0, len(old), _BATCH):
        batch = dict(old[start:start + _BATCH])
        for sha in set(batch) - _referenced(engine, list(batch), cutoff):
            if store.collect(sha, cutoff):
                with engine.begin() as conn:
                    blob_access.forget(conn, sha)
                report.files += 1
                report.bytes += batch[sha]
    return report


def _referenced(engine: Engine, shas: list[str], cutoff: float) -> set[str]:
    """Which of `shas` a live row names, or a row deleted after `cutoff` (it may still be restored)."""
    table = ENTITY_TABLES["attachment"]
    since = format_datetime(datetime.fromtimestamp(cutoff, UTC))
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.sha256).distinct().where(
            table.c.sha256.in_(shas), table.c.deleted.is_(False) | (table.c.updated_at >= since)))
        return {str(r.sha256) for r in rows}


def periodic(settings: Settings) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan that collects every `blob_gc_interval_seconds` while the server runs (0: never)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        interval = settings.blob_gc_interval_seconds
        task = asyncio.create_task(_every(app, interval)) if interval > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return lifespan


async def _every(app: FastAPI, interval: int) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            report = await run_in_threadpool(collect, app.state.engine, app.state.blobs, app.state.settings)
        except Exception:  # the next round tries again; serving goes on
            log.exception("attachment storage collection failed")
        else:
            log.info("attachment storage collected: %s", report.line())
