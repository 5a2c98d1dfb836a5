"""Bulk loading on PostgreSQL: COPY writes the very rows, versions and JSON text the INSERT statements write."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from market_server.db import migrate
from market_server.seed import load_records
from market_server.tables import ENTITY_TABLES
from sync.demo import generate
from tests.market_server.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="MARKET_TEST_POSTGRES_URL is not set")


@pytest.fixture
def schemas() -> Iterator[tuple[Engine, Engine]]:
    assert POSTGRES_URL
    admin = create_engine(POSTGRES_URL)
    names = [f"test_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with admin.begin() as conn:
        for name in names:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engines = [create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={n}"}) for n in names]
    try:
        for engine in engines:
            migrate(engine)
        yield engines[0], engines[1]
    finally:
        for engine in engines:
            engine.dispose()
        with admin.begin() as conn:
            for name in names:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def _rows(engine: Engine, table: str) -> list[str]:
    """Every row as the database's own JSON text (JSON columns verbatim), but the load's timestamps."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            f"SELECT (to_jsonb(t) - 'created_at' - 'updated_at')::text FROM \"{table}\" t ORDER BY version"
        )).scalars())


def _sql_nulls(engine: Engine, table: str) -> dict[str, int]:
    columns = ENTITY_TABLES[table].columns
    with engine.connect() as conn:
        counts = conn.execute(text("SELECT " + ", ".join(
            f'count(*) FILTER (WHERE "{c.name}" IS NULL)' for c in columns) + f' FROM "{table}"')).one()
    return dict(zip((c.name for c in columns), counts, strict=True))


def test_copy_and_insert_write_the_same_rows(schemas: tuple[Engine, Engine]) -> None:
    by_copy, by_insert = schemas
    records = list(generate("small", seed=3))
    with by_copy.begin() as conn:
        assert load_records(conn, records, user="demo", use_copy=True) == len(records)
    with by_insert.begin() as conn:
        assert load_records(conn, records, user="demo", use_copy=False) == len(records)
    for table in ENTITY_TABLES:
        assert _rows(by_copy, table) == _rows(by_insert, table), table
    copied = _rows(by_copy, "achievement")
    assert len(copied) == sum(1 for e, _ in records if e == "achievement")
    for table in ("achievement", "expert", "visit"):  # None in a JSON column is JSON null, not SQL NULL, in both
        assert _sql_nulls(by_copy, table) == _sql_nulls(by_insert, table), table
    with by_copy.connect() as conn:
        versions = {
            name: conn.execute(text(f'SELECT min(version), max(version) FROM "{name}"')).one()
            for name in ("institution", "achievement", "ip_item")
        }
    assert versions["institution"][1] < versions["achievement"][0]  # parents' tables first, as before
