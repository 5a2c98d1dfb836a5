"""The catalog search index's tables: versioned names, FTS5 columns, bm25 weights and the schema statements."""

from __future__ import annotations

import re

VERSION = 9  # bump when tokenization or the schema changes: the index is then rebuilt on first use
DOC = f"search_doc_v{VERSION}"
TEXT = f"search_text_v{VERSION}"
FTS = f"search_fts_v{VERSION}"
PARTIAL = f"search_partial_v{VERSION}"
VOCAB = f"{FTS}_vocab"  # fts5vocab 'row' view of FTS: documents per token (matching's word weights)
# title/body: the record's own searchable text; by: its units and people (owner institution, completing units,
# inventors, an expert's unit); field: domain and industry (the field filter); facets: filter tokens and the
# pinyin of institution and expert names.
FTS_COLUMNS = ("title_uni", "title_bi", "body_uni", "body_bi", "by_uni", "by_bi", "field_uni", "field_bi", "facets")
UNI_COLUMNS = "{title_uni body_uni}"
BI_COLUMNS = "{title_bi body_bi}"
ALL_UNI_COLUMNS = "{title_uni body_uni by_uni}"
ALL_BI_COLUMNS = "{title_bi body_bi by_bi}"
PINYIN_COLUMNS = "{facets}"
# bm25 weights in FTS_COLUMNS order: a hit in the title or keywords counts eight times a hit in the body.
BM25_WEIGHTS = (8.0, 8.0, 1.0, 1.0, 0.5, 0.5, 0.0, 0.0, 0.0)
OLD_VERSION = re.compile(r"^search_(fts|doc|text|partial)_v\d+(_vocab)?$")

SEARCH_ENTITIES = ("achievement", "demand", "expert", "institution")

SCHEMA = (
    f"""CREATE TABLE {DOC} (
        doc_id INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        row_id TEXT NOT NULL,
        title TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (entity, row_id)
    )""",
    # Title order (and exact titles) through (entity, title) alone, a walk per entity merged by the query
    # (services/search.py `_by_title`); a second index on the title alone cost ~110 MB at 1,000,000 documents.
    f"CREATE INDEX ix_{DOC}_entity_title ON {DOC} (entity, title)",
    f"""CREATE TABLE {TEXT} (
        doc_id INTEGER PRIMARY KEY,
        subtitle TEXT NOT NULL,
        title_text TEXT NOT NULL,
        body_text TEXT NOT NULL,
        by_text TEXT NOT NULL,
        field_text TEXT NOT NULL,
        facets TEXT NOT NULL
    )""",
    # `short_from`: only body_text[short_from:] (the short fields) is in the FTS row yet.
    f"CREATE TABLE {PARTIAL} (doc_id INTEGER PRIMARY KEY, short_from INTEGER NOT NULL)",
    # Text arrives split by spaces and folded, so the plain `ascii` tokenizer (every non-ASCII character is a
    # token character) gives the same tokens as unicode61 for index and queries alike, ~20 % faster.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(FTS_COLUMNS)}, content='', tokenize='ascii')",
    # No merging inside a small writer's commit (it doubled the pages a 100-row sync wrote); `tidy` merges
    # instead. Bulk writers turn FTS5's automerge on meanwhile (`merge_inline`), so a big index stays compact.
    f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('automerge', 0)",
    f"CREATE VIRTUAL TABLE {VOCAB} USING fts5vocab({FTS}, 'row')",
)
