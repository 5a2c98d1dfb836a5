"""Versioned schema migrations of the local store: v1 is frozen SQL, each later version one step that keeps data.

The version lives in meta.schema_version. A fresh store is created from tables.py at LATEST_VERSION directly;
tests check that v1 plus every step gives the same schema, so a table change without a step here fails CI.
"""

from __future__ import annotations

from importlib import resources

LATEST_VERSION = 12


def schema_v1_sql() -> str:
    """The exact SQL of schema v1 (also stamps meta.schema_version = 1)."""
    return resources.files("specialist_app.store").joinpath("schema_v1.sql").read_text(encoding="utf-8")


# Schema v10's digest field columns, frozen here: (column, the entities whose digests carry it, the JSON types its
# value may have to move from v9's `fields` object into the column; else the field stays in `extra`).
_V10_FIELDS = (
    ("region_code", "TEXT", ("institution",), ("text",)),
    ("address", "TEXT", ("institution",), ("text",)),
    ("website", "TEXT", ("institution",), ("text",)),
    ("institution_id", "VARCHAR(36)", ("achievement", "demand"), ("text",)),
    ("keywords", "JSON", ("achievement", "demand"), ("array",)),
    ("category", "VARCHAR(32)", ("achievement",), ("text",)),
    ("stage", "VARCHAR(32)", ("achievement",), ("text",)),
    ("trl", "INTEGER", ("achievement",), ("integer",)),
    ("domain", "TEXT", ("achievement",), ("text",)),
    ("industry", "TEXT", ("achievement", "demand"), ("text",)),
    ("strategic_industry", "TEXT", ("achievement",), ("text",)),
    ("transfer_modes", "JSON", ("achievement",), ("array",)),
    ("price_mode", "VARCHAR(32)", ("achievement",), ("text",)),
    ("price", "FLOAT", ("achievement",), ("integer", "real")),
    ("demand_type", "VARCHAR(32)", ("demand",), ("text",)),
    ("budget", "FLOAT", ("demand",), ("integer", "real")),
    ("coop_modes", "JSON", ("demand",), ("array",)),
    ("valid_until", "VARCHAR(10)", ("demand",), ("text",)),
    ("status", "VARCHAR(32)", ("demand",), ("text",)),
)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _digest_columns_v10() -> tuple[str, ...]:
    """v9's JSON `fields` into v10's columns (store/digests.py `_stored` applies the same rules to new digests)."""
    moved = " OR ".join(f"(j.key = '{name}' AND d.entity IN {_in(entities)} AND j.type IN {_in(kinds)})"
                        for name, _, entities, kinds in _V10_FIELDS)
    columns = ", ".join(name for name, *_ in _V10_FIELDS)
    return (
        "CREATE TABLE catalog_digest_v10 (id VARCHAR(36) NOT NULL, entity VARCHAR(32) NOT NULL,"
        " version INTEGER NOT NULL, province VARCHAR(2), institution_name TEXT, org_type VARCHAR(32),"
        " title TEXT NOT NULL, updated_at VARCHAR(20), full_record JSON, fetched_at VARCHAR(20), "
        + ", ".join(f"{name} {kind}" for name, kind, *_ in _V10_FIELDS)
        + ", extra JSON, PRIMARY KEY (id)) WITHOUT ROWID",
        "INSERT INTO catalog_digest_v10 (id, entity, version, province, institution_name, org_type, title, updated_at,"
        f" full_record, fetched_at, {columns}, extra)"
        " SELECT id, entity, version, province, institution_name,"
        " coalesce(org_type, CASE WHEN entity = 'institution' AND json_type(fields, '$.org_type') = 'text'"
        " THEN json_extract(fields, '$.org_type') END), title, updated_at, full_record, fetched_at, "
        + ", ".join(f"CASE WHEN entity IN {_in(entities)} AND json_type(fields, '$.{name}') IN {_in(kinds)}"
                    f" THEN json_extract(fields, '$.{name}') END" for name, _, entities, kinds in _V10_FIELDS)
        # Everything else (a field without a column, a value of another type) stays, as it was, in `extra`.
        + ", NULLIF((SELECT json_group_object(j.key, j.value) FROM json_each(d.fields) j WHERE NOT (j.type = 'null'"
        " OR j.key = CASE d.entity WHEN 'institution' THEN 'name' ELSE 'title' END"
        " OR (j.key = 'org_type' AND d.entity = 'institution' AND j.type = 'text'"
        f" AND j.atom = coalesce(d.org_type, j.atom)) OR {moved})), '{{}}') FROM catalog_digest d"
        " ORDER BY id",  # in key order: the new table's pages filled, not split
        "DROP TABLE catalog_digest",
        "ALTER TABLE catalog_digest_v10 RENAME TO catalog_digest",
    )


# Target version -> the statements taking the store there from the version before, run in one transaction.
STEPS: dict[int, tuple[str, ...]] = {
    2: (
        # The sync log read by the GUI's sync page.
        """CREATE TABLE sync_run (
            id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            started_at VARCHAR(20) NOT NULL,
            finished_at VARCHAR(20),
            outcome VARCHAR(16),
            pushed INTEGER DEFAULT '0' NOT NULL,
            pulled INTEGER DEFAULT '0' NOT NULL,
            conflicts INTEGER DEFAULT '0' NOT NULL,
            rejected INTEGER DEFAULT '0' NOT NULL,
            error_code VARCHAR(32),
            error_message TEXT
        )""",
        # Indexes for the dashboard queries (upcoming visits, month counts, overdue follow-ups, pending pushes).
        "CREATE INDEX ix_visit_planned_at ON visit (planned_at)",
        "CREATE INDEX ix_visit_visited_at ON visit (visited_at)",
        "CREATE INDEX ix_follow_up_due_date ON follow_up (due_date)",
        "CREATE INDEX ix_outbox_sent_at ON outbox (sent_at)",
    ),
    3: (
        # Attachment bytes the server already holds (no upload needed) or refused for good (too large, bad type).
        """CREATE TABLE blob_upload (
            sha256 VARCHAR(64) NOT NULL PRIMARY KEY,
            state VARCHAR(12) NOT NULL,
            reason VARCHAR(32),
            updated_at VARCHAR(20) NOT NULL
        )""",
    ),
    4: (
        # The sync log keeps a failed run's message in English too (the zh text alone could not be shown in en).
        "ALTER TABLE sync_run ADD COLUMN error_message_en TEXT",
    ),
    5: (
        # The reviewer's note on a rejected proposal or a returned achievement (set by the market's web console).
        "ALTER TABLE institution ADD COLUMN review_note TEXT",
        "ALTER TABLE achievement ADD COLUMN review_note TEXT",
    ),
    6: tuple(
        # The market's duplicate check (docs/matching.md, "Duplicates"): which record this one may repeat, and
        # whether an administrator confirmed it.
        f"ALTER TABLE {table} ADD COLUMN {column} {kind}"
        for table in ("institution", "achievement", "demand", "expert")
        for column, kind in (("duplicate_of", "TEXT"), ("duplicate_state", "VARCHAR(32)"))
    ),
    7: (
        # 对接记录 (issue #15.3): a demand matched with an achievement and/or an expert, stage by stage.
        """CREATE TABLE match_record (
            id VARCHAR(36) NOT NULL,
            demand_id VARCHAR(36),
            achievement_id VARCHAR(36),
            expert_id VARCHAR(36),
            source VARCHAR(32),
            event_name TEXT,
            stage VARCHAR(32),
            terminated_reason TEXT,
            recommended_on VARCHAR(10),
            negotiated_on VARCHAR(10),
            signed_on VARCHAR(10),
            registered_on VARCHAR(10),
            contract_amount FLOAT,
            notes TEXT,
            confidential_fields JSON,
            server_version INTEGER,
            base_version INTEGER,
            updated_at VARCHAR(20) NOT NULL,
            deleted BOOLEAN NOT NULL,
            masked JSON,
            PRIMARY KEY (id)
        )""",
        "CREATE INDEX ix_match_record_achievement_id ON match_record (achievement_id)",
        "CREATE INDEX ix_match_record_demand_id ON match_record (demand_id)",
        "CREATE INDEX ix_match_record_expert_id ON match_record (expert_id)",
    ),
    8: (
        # Correction proposals: a note to the market about a record the user may not change (sync.entities).
        """CREATE TABLE correction (
            id VARCHAR(36) NOT NULL,
            target_entity VARCHAR(32),
            target_id VARCHAR(36),
            note TEXT,
            server_version INTEGER,
            base_version INTEGER,
            updated_at VARCHAR(20) NOT NULL,
            deleted BOOLEAN NOT NULL,
            masked JSON,
            PRIMARY KEY (id)
        )""",
        "CREATE INDEX ix_correction_target_id ON correction (target_id)",
    ),
    9: (
        # Digests of the catalog outside the home province, and the full records opened (sync/digests.py).
        """CREATE TABLE catalog_digest (
            id VARCHAR(36) NOT NULL,
            entity VARCHAR(32) NOT NULL,
            version INTEGER NOT NULL,
            province VARCHAR(2),
            institution_name TEXT,
            org_type VARCHAR(32),
            title TEXT NOT NULL,
            fields JSON NOT NULL,
            updated_at VARCHAR(20),
            full_record JSON,
            fetched_at VARCHAR(20),
            PRIMARY KEY (id)
        )""",
    ),
    # Digests: one column per digest field instead of a JSON object repeating every field name and the title (~140
    # bytes an achievement), keyed by id without a rowid (no second index of the ids).
    10: _digest_columns_v10(),
    # The search index v9's index on the title alone (~110 MB at 1,000,000 documents): title order and exact titles
    # use (entity, title) now (search_schema.py); a store whose index is not built yet has neither.
    11: ("DROP INDEX IF EXISTS ix_search_doc_v9_title",),
    # The dashboard's month counts: a user's own achievements and demands by (collected_by, id), instead of every
    # catalog row of the month (services/queries.py `month_counts`).
    12: ("CREATE INDEX ix_achievement_collected_by ON achievement (collected_by, id)",
         "CREATE INDEX ix_demand_collected_by ON demand (collected_by, id)"),
}

assert sorted(STEPS) == list(range(2, LATEST_VERSION + 1)), "one step per version after 1"
