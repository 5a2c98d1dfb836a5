"""`market-server serve`: one process, or several worker processes sharing the listening socket (uvicorn's)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI

from market_server.settings import Settings

# How many workers share the machine, handed to each worker process (its share of the password hashing pool).
WORKERS_ENV = "MARKET_SERVE_WORKERS"


def run(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve until stopped. With `workers` > 1 uvicorn's supervisor starts that many processes (each its own event
    loop, database pool, high-water marks, log writer and share of the hashing pool), restarts one that dies,
    and passes SIGTERM on to all of them."""
    import uvicorn

    from market_server.logs import configure_logging

    writer = configure_logging(queue_records=settings.log_queue_records)  # this process's lines (the supervisor's)
    # X-Forwarded-For / -Proto are believed only from MARKET_TRUSTED_PROXIES (the login throttle counts addresses).
    app: Any = "market_server.serve:worker_app"
    if workers <= 1:
        from market_server.app import create_app

        app = create_app(settings)
    else:
        os.environ[WORKERS_ENV] = str(workers)  # the workers are spawned: they read the environment
    try:
        uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, proxy_headers=True,
                    forwarded_allow_ips=settings.trusted_proxies, factory=workers > 1,
                    workers=workers if workers > 1 else None)
    finally:
        writer.stop()


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls this in each): the settings from the environment, with the
    password hashing pool divided between the workers, and this process's own log writer."""
    from market_server.app import create_app
    from market_server.logs import configure_logging

    settings = worker_settings()
    writer = configure_logging(queue_records=settings.log_queue_records)
    app = create_app(settings)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        try:
            async with inner(application):
                yield
        finally:
            writer.stop()  # a spawned worker runs no atexit hooks: write out what is queued here

    app.router.lifespan_context = lifespan
    return app


def worker_settings() -> Settings:
    """One worker's settings: the environment's, with its share of the machine's password hashes (at least one)."""
    settings = Settings.from_env()
    workers = max(1, int(os.environ.get(WORKERS_ENV) or 1))
    return dataclasses.replace(settings, login_hash_workers=max(1, settings.login_hash_workers // workers))
