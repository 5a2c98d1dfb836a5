"""Revision 0011: existing match records get their achievement's institution as second scope, with new versions so
that institution's specialists, whose cursors may be past them, pull them."""

from __future__ import annotations

from sqlalchemy import text

from market_server.db import make_engine, migrate
from market_server.settings import Settings


def test_existing_matches_get_their_achievements_institution_and_new_versions(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine, "0010")
        with engine.begin() as conn:
            conn.execute(text("UPDATE version_counter SET value = 3 WHERE id = 1"))
            for table, row_id, version, scope in (("achievement", "a1", 1, "uni"), ("match_record", "m1", 2, "ent"),
                                                  ("match_record", "m2", 3, "ent")):
                conn.execute(text(f"INSERT INTO {table} (id, version, deleted, scope_id, created_at, updated_at)"
                                  " VALUES (:id, :v, false, :s, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')"),
                             {"id": row_id, "v": version, "s": scope})
            conn.execute(text("UPDATE match_record SET achievement_id = 'a1' WHERE id = 'm1'"))
        migrate(engine)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT id, second_scope_id, version FROM match_record ORDER BY id")).all()
            counter = conn.execute(text("SELECT value FROM version_counter")).scalar()
        assert [tuple(r) for r in found] == [("m1", "uni", 4), ("m2", None, 3)]
        assert counter == 4
    finally:
        engine.dispose()
