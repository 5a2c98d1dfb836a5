"""Alembic environment: runs on the engine handed over by market_server.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from market_server.tables import metadata

engine: Engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
