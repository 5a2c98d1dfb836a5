"""The FastAPI application factory."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from fastapi import FastAPI
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from market_server import (
    auth_routes,
    blob_gc,
    blob_routes,
    digest_routes,
    duplicates,
    snapshot_routes,
    sync_routes,
)
from market_server.async_reads import AsyncReads
from market_server.blobs import BlobStore
from market_server.body_encoding import RequestDecoding
from market_server.body_limits import BodyLimitMiddleware, body_cap
from market_server.console import create_console
from market_server.db import make_engine
from market_server.errors import error_body, install_error_handlers
from market_server.headers import SecurityHeadersMiddleware
from market_server.logs import install_request_ids
from market_server.pull_fast_path import NothingNewPulls
from market_server.settings import Settings
from market_server.snapshot import SnapshotStore
from market_server.throttle import BusyLoginGuard, HashingPool
from sync.protocol import PROTOCOL_VERSION


def _lifespan(settings: Settings) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """The attachment collection's lifespan, the duplicate index built in the background while serving (each
    worker process of `serve --workers N` runs its own lifespan and keeps its own index), and the serving loop's
    own database connections (async_reads)."""
    collecting = blob_gc.periodic(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warmup = duplicates.Warmup(app.state.engine) if settings.duplicate_warmup else None
        app.state.duplicate_warmup = warmup
        app.state.async_reads.start()
        try:
            async with collecting(app):
                yield
        finally:
            if warmup is not None:
                warmup.stop()  # before the engine is disposed
            await app.state.async_reads.close()

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """A server app on the configured database (migrated beforehand with `market-server migrate`)."""
    settings = settings or Settings.from_env()
    settings.ensure_dirs()
    app = FastAPI(title="Technology market server", version="0.1.0",
                  description="Central server of specialist-app: accounts, catalog and sync (docs/sync-protocol.md)",
                  lifespan=_lifespan(settings),
                  # No OpenTelemetry: FastAPI's own hooks looked for providers in the environment on every request.
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.settings = settings
    app.state.engine = make_engine(settings)
    app.state.async_reads = AsyncReads(app.state.engine, settings)  # nothing-new pulls' one statement, on the loop
    app.state.blobs = BlobStore(settings.blob_dir, user_quota_bytes=settings.blob_user_quota_bytes)
    app.state.snapshots = SnapshotStore(settings.blob_dir)
    app.state.hashing_pool = HashingPool(settings.login_hash_workers)  # every password check (API and console)
    # Innermost: a nothing-new pull answered before routing, inside every middleware below (docs/performance.md).
    app.add_middleware(NothingNewPulls)
    # Opaque files (catalog snapshots, already gzip) go out as stored: the client keeps the bytes it is sent.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1,
                       exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/octet-stream"))
    install_request_ids(app)
    install_error_handlers(app)
    snapshot_max = settings.snapshot_max_bytes
    # zstd/gzip request bodies decoded before any route reads them, held to the same caps once decoded.
    app.add_middleware(RequestDecoding, cap=lambda method, path: body_cap(method, path, snapshot_max))
    # Outermost: body caps before anything reads a body, and the security headers on every answer (413s included).
    app.add_middleware(BodyLimitMiddleware, cap=lambda method, path: body_cap(method, path, snapshot_max))
    app.add_middleware(SecurityHeadersMiddleware)
    busy = error_body("login_busy").model_dump_json(exclude_none=True).encode()
    app.add_middleware(BusyLoginGuard, pool=app.state.hashing_pool, answer=busy)  # outermost: cheapest refusal
    app.include_router(auth_routes.router)
    app.include_router(sync_routes.router)
    app.include_router(digest_routes.router)
    app.include_router(blob_routes.router)
    app.include_router(snapshot_routes.router)
    app.mount("/admin", create_console(app))  # the web console (market_server/console)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, object]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION}

    return app
