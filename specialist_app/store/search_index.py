"""Catalog search index: an FTS5 table over pre-tokenized text plus one slim row of filter columns per document.

`DOC` maps (entity, row id) to the FTS rowid (`doc_id`) and keeps what filters and sorting need; `TEXT` keeps
the display subtitle and the exact text that was tokenized (a contentless FTS5 table on SQLite 3.40 can only
forget a row when given its old tokens again). Each (re)indexed row gets the next `doc_id`, so descending
doc_id is "most recently changed first" and FTS5 can stream it without sorting. Writes call `reindex_rows` /
`remove_rows` in their own transaction; bulk loads call `index_rows` or `rebuild` (no triggers: tokenizing
happens in Python and rows go in with executemany).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from specialist_app.store import search_text
from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES
from sync.fields import Kind

Row = Mapping[Any, Any]  # a row's values by field name (SQLAlchemy RowMapping or a plain dict)
VERSION = 5  # bump when tokenization or the schema changes: the index is then rebuilt on first use
DOC = f"search_doc_v{VERSION}"
TEXT = f"search_text_v{VERSION}"
FTS = f"search_fts_v{VERSION}"
# title/body: the searchable text; field: domain and industry (the field filter); facets: filter tokens.
FTS_COLUMNS = ("title_uni", "title_bi", "body_uni", "body_bi", "field_uni", "field_bi", "facets")
UNI_COLUMNS = "{title_uni body_uni}"
BI_COLUMNS = "{title_bi body_bi}"
# bm25 weights in FTS_COLUMNS order: a hit in the title or keywords counts eight times a hit in the body.
BM25_WEIGHTS = (8.0, 8.0, 1.0, 1.0, 0.0, 0.0, 0.0)
# Long texts (summaries, profiles) are indexed up to this many characters each; see docs/performance.md.
LONG_TEXT_CAP = 1000
_OLD_VERSION = re.compile(r"^search_(fts|doc|text)_v\d+$")
_CHUNK = 500  # ids per IN (...) list, below SQLite's variable limit

SEARCH_ENTITIES = ("achievement", "demand", "expert", "institution")
# Filters are tokens of the `facets` column (see search_text.facet), so FTS5 applies them itself and every
# total stays an exact, cheap doclist count. `region` is the (owning) institution's code, matched by prefix.
FACETS = ("entity", "org_type", "region", "trl", "mode")
REGION_LEVELS = (2, 4, 6)
_OWNED = ("achievement", "demand")  # documents that carry their owning institution's name, type and region
_FIELD_TEXT = {
    "achievement": ("domain", "industry", "strategic_industry"),
    "demand": ("industry",),
    "expert": ("discipline", "industry"),
    "institution": (),
}
_MODES = {"achievement": "transfer_modes", "demand": "coop_modes"}
_SUBTITLE = {
    "achievement": ("institution_name", "domain"),
    "demand": ("institution_name", "industry"),
    "expert": ("unit", "title"),
    "institution": ("address",),
}

_SCHEMA = (
    f"""CREATE TABLE {DOC} (
        doc_id INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        row_id TEXT NOT NULL,
        title TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (entity, row_id)
    )""",
    f"CREATE INDEX ix_{DOC}_title ON {DOC} (title)",
    f"CREATE INDEX ix_{DOC}_entity_title ON {DOC} (entity, title)",
    f"""CREATE TABLE {TEXT} (
        doc_id INTEGER PRIMARY KEY,
        subtitle TEXT NOT NULL,
        title_text TEXT NOT NULL,
        body_text TEXT NOT NULL,
        field_text TEXT NOT NULL,
        facets TEXT NOT NULL
    )""",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(FTS_COLUMNS)}, content='', tokenize='unicode61')",
)


def _title_fields(entity: str) -> tuple[str, ...]:
    e = ENTITIES[entity]
    return (e.title_field, "keywords") if e.has("keywords") else (e.title_field,)


def _body_fields(entity: str) -> tuple[str, ...]:
    titles = _title_fields(entity)
    return tuple(f.name for f in ENTITIES[entity].searchable_fields() if f.name not in titles)


def _texts(entity: str, row: Row, names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        value = row.get(name)
        if not value:
            continue
        if isinstance(value, list):
            out.extend(str(v) for v in value if v)
        elif ENTITIES[entity].field(name).kind is Kind.LONGTEXT:
            out.append(str(value)[:LONG_TEXT_CAP])
        else:
            out.append(str(value))
    return out


@dataclass(frozen=True, slots=True)
class _Doc:
    row_id: str
    title: str
    updated_at: str
    subtitle: str
    text: tuple[str, str, str, str]  # exactly what is tokenized: title, body, field texts and facet tokens


def _facets(entity: str, row: Row, owner: Row) -> str:
    tokens = [search_text.facet("entity", entity)]
    if owner.get("org_type"):
        tokens.append(search_text.facet("org_type", str(owner["org_type"])))
    region = str(owner.get("region_code") or "")
    # Province, city and district prefixes as whole tokens: a 2-, 4- or 6-digit filter is one doclist.
    tokens.extend(search_text.facet("region", region[:n]) for n in REGION_LEVELS if len(region) >= n)
    if entity == "achievement" and isinstance(row.get("trl"), int):
        # "at least k" and "at most k" tokens, so any TRL range is the AND of two doclists.
        trl = int(row["trl"])
        tokens.extend(search_text.facet("trl", f"ge{k}") for k in range(1, trl + 1))
        tokens.extend(search_text.facet("trl", f"le{k}") for k in range(trl, 10))
    modes = row.get(_MODES[entity]) if entity in _MODES else None
    tokens.extend(search_text.facet("mode", str(m)) for m in modes or ())
    return " ".join(tokens)


def _doc(entity: str, row: Row, institutions: Mapping[str, Row]) -> _Doc:
    e = ENTITIES[entity]
    values = dict(row)
    if entity == "institution":
        owner: Row = row
    else:
        owner = institutions.get(row.get("institution_id") or "", {})
        values["institution_name"] = owner.get("name")
    body = _texts(entity, row, _body_fields(entity))
    if entity in _OWNED and owner.get("name"):
        body.append(str(owner["name"]))
    return _Doc(
        row_id=str(row["id"]),
        title=str(row.get(e.title_field) or ""),
        updated_at=str(row.get("updated_at") or ""),
        subtitle=" · ".join(str(values[n]) for n in _SUBTITLE[entity] if values.get(n)),
        text=(
            "\n".join(_texts(entity, row, _title_fields(entity))),
            "\n".join(body),
            "\n".join(_texts(entity, row, _FIELD_TEXT[entity])),
            _facets(entity, row, owner),
        ),
    )


def _fts_values(text: tuple[str, str, str, str]) -> tuple[str, ...]:
    title, body, field = (search_text.tokenize([t]) for t in text[:3])
    return title.uni, title.bi, body.uni, body.bi, field.uni, field.bi, text[3]


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def ensure_index(conn: Connection) -> bool:
    """Create the index tables (dropping older versions) and fill them if missing; True if it was built."""
    names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if FTS in names and DOC in names:
        return False
    for name in sorted(names):
        if _OLD_VERSION.match(name):
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    for statement in _SCHEMA:
        conn.exec_driver_sql(statement)
    rebuild(conn)
    return True


def _has_index(conn: Connection) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS,))
    return found.first() is not None


_Old = tuple[int, tuple[str, str, str, str]]  # doc_id and the texts it was tokenized from


def _existing(conn: Connection, entity: str, ids: Sequence[str]) -> dict[str, _Old]:
    """row_id -> (doc_id, texts) of the documents already indexed."""
    found: dict[str, _Old] = {}
    for chunk in _chunks(ids):
        rows = conn.exec_driver_sql(
            f"SELECT d.row_id, d.doc_id, t.title_text, t.body_text, t.field_text, t.facets"
            f" FROM {DOC} d JOIN {TEXT} t USING (doc_id) WHERE d.entity = ? AND d.row_id IN ({_marks(len(chunk))})",
            (entity, *chunk),
        )
        found.update((r[0], (r[1], (r[2], r[3], r[4], r[5]))) for r in rows)
    return found


def _forget(conn: Connection, old: Iterable[_Old]) -> None:
    """Remove documents from the contentless FTS table (which needs their old tokens) and from DOC/TEXT."""
    rows = [("delete", doc_id, *_fts_values(text)) for doc_id, text in old]
    if not rows:
        return
    marks = ", ".join("?" * (len(FTS_COLUMNS) + 2))
    conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}, rowid, {', '.join(FTS_COLUMNS)}) VALUES ({marks})", rows)
    for table in (DOC, TEXT):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE doc_id = ?", [(r[1],) for r in rows])


def _institutions(conn: Connection, ids: Iterable[str | None]) -> dict[str, Row]:
    wanted = sorted({i for i in ids if i})
    table = ENTITY_TABLES["institution"]
    found: dict[str, Row] = {}
    for chunk in _chunks(wanted):
        query = select(table.c.id, table.c.name, table.c.org_type, table.c.region_code).where(
            table.c.id.in_(chunk), table.c.deleted.is_(False)
        )
        found.update((r.id, r._mapping) for r in conn.execute(query))
    return found


def index_rows(conn: Connection, entity: str, rows: Iterable[Row], *, keep_order: bool = False) -> None:
    """Index (or re-index) these rows of `entity` in bulk; rows flagged `deleted` are dropped instead.

    Each row maps the entity's field names (canonical values) plus `id` and `updated_at`. Owning
    institutions are read from the institution table, so load institutions first. Re-indexed rows move to
    the front of the "newest" order unless `keep_order`.
    """
    if entity not in SEARCH_ENTITIES:
        return
    if not _has_index(conn):
        ensure_index(conn)
    rows = list(rows)
    gone = [str(r["id"]) for r in rows if r.get("deleted")]
    live = [r for r in rows if not r.get("deleted")]
    if gone:
        _drop(conn, entity, gone)
    if not live:
        return
    owners = _institutions(conn, (r.get("institution_id") or None for r in live)) if entity in _OWNED else {}
    docs = sorted(
        {d.row_id: d for d in (_doc(entity, r, owners) for r in live)}.values(),
        key=lambda d: (d.updated_at, d.row_id),
    )
    existing = _existing(conn, entity, [d.row_id for d in docs])
    _forget(conn, existing.values())
    next_id = int(conn.exec_driver_sql(f"SELECT coalesce(max(doc_id), 0) + 1 FROM {DOC}").scalar_one())
    doc_ids: list[int] = []
    for d in docs:
        if keep_order and d.row_id in existing:
            doc_ids.append(existing[d.row_id][0])
        else:
            doc_ids.append(next_id)
            next_id += 1
    _insert(conn, entity, docs, doc_ids)


def _insert(conn: Connection, entity: str, docs: Sequence[_Doc], doc_ids: Sequence[int]) -> None:
    pairs = list(zip(doc_ids, docs, strict=True))
    conn.exec_driver_sql(
        f"INSERT INTO {DOC} (doc_id, entity, row_id, title, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(i, entity, d.row_id, d.title, d.updated_at) for i, d in pairs],
    )
    conn.exec_driver_sql(
        f"INSERT INTO {TEXT} (doc_id, subtitle, title_text, body_text, field_text, facets) VALUES (?, ?, ?, ?, ?, ?)",
        [(i, d.subtitle, *d.text) for i, d in pairs],
    )
    marks = ", ".join("?" * (len(FTS_COLUMNS) + 1))
    conn.exec_driver_sql(
        f"INSERT INTO {FTS} (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({marks})",
        [(i, *_fts_values(d.text)) for i, d in pairs],
    )


def _drop(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    _forget(conn, _existing(conn, entity, ids).values())


@functools.cache
def _read_columns(entity: str) -> tuple[ColumnElement[Any], ...]:
    """The columns a document is built from (reading fewer columns saves decoding JSON nobody indexes)."""
    names = {"id", "updated_at", "institution_id", "trl", "address", "org_type", "region_code", "name"}
    names |= {*_title_fields(entity), *_body_fields(entity), *_FIELD_TEXT[entity], *_SUBTITLE[entity]}
    names |= {_MODES[entity]} if entity in _MODES else set()
    table = ENTITY_TABLES[entity]
    return tuple(table.c[n] for n in sorted(names) if n in table.c)


def _select_live(conn: Connection, entity: str, column: str, ids: Sequence[str]) -> list[Row]:
    table = ENTITY_TABLES[entity]
    found: list[Row] = []
    for chunk in _chunks(ids):
        query = select(*_read_columns(entity)).where(table.c[column].in_(chunk), table.c.deleted.is_(False))
        found.extend(r._mapping for r in conn.execute(query))
    return found


def _owner_facts(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Indexed (name, facets) of these institutions: what their achievements and demands carry."""
    facts: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        rows = conn.exec_driver_sql(
            f"SELECT d.row_id, d.title, t.facets FROM {DOC} d JOIN {TEXT} t USING (doc_id)"
            f" WHERE d.entity = 'institution' AND d.row_id IN ({_marks(len(chunk))})",
            tuple(chunk),
        )
        facts.update((r[0], (r[1], r[2])) for r in rows)
    return facts


def _reindex_dependents(conn: Connection, institution_ids: Sequence[str]) -> None:
    for entity in _OWNED:
        index_rows(conn, entity, _select_live(conn, entity, "institution_id", institution_ids), keep_order=True)


def reindex_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    """Bring the index up to date for these rows of `entity` (called in the same transaction as the write).

    Missing or tombstoned rows leave the index. An institution whose name, type or region changed also
    re-indexes its achievements and demands, which carry those facts.
    """
    if entity not in SEARCH_ENTITIES or not ids:
        return
    if not _has_index(conn):
        ensure_index(conn)
        return
    ids = list(dict.fromkeys(ids))
    before = _owner_facts(conn, ids) if entity == "institution" else {}
    rows = _select_live(conn, entity, "id", ids)
    present = {str(r["id"]) for r in rows}
    missing = [i for i in ids if i not in present]
    if missing:
        _drop(conn, entity, missing)
    index_rows(conn, entity, rows)
    if entity == "institution":
        after = _owner_facts(conn, ids)
        _reindex_dependents(conn, [i for i in ids if before.get(i) != after.get(i)])


def remove_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    """Drop these rows of `entity` from the index (called in the same transaction as the delete)."""
    if entity not in SEARCH_ENTITIES or not ids:
        return
    if not _has_index(conn):
        ensure_index(conn)
        return
    ids = list(dict.fromkeys(ids))
    _drop(conn, entity, ids)
    if entity == "institution":
        _reindex_dependents(conn, ids)


def rebuild(conn: Connection, batch: int = 5000) -> int:
    """Re-create the whole index from the entity tables; returns the number of documents indexed.

    Documents are numbered in order of `updated_at` across entities, so "newest" holds after a rebuild too.
    """
    if not _has_index(conn):
        for statement in _SCHEMA:
            conn.exec_driver_sql(statement)
    conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')")
    conn.exec_driver_sql(f"DELETE FROM {DOC}")
    conn.exec_driver_sql(f"DELETE FROM {TEXT}")
    order = sorted(
        (str(r[0] or ""), entity, str(r[1]))
        for entity in SEARCH_ENTITIES
        for r in conn.exec_driver_sql(f'SELECT updated_at, id FROM "{entity}" WHERE NOT deleted')
    )
    doc_id = {(entity, row_id): n for n, (_, entity, row_id) in enumerate(order, start=1)}
    for entity in ("institution", "achievement", "demand", "expert"):
        table = ENTITY_TABLES[entity]
        last = ""
        while True:
            query = select(*_read_columns(entity)).where(table.c.deleted.is_(False), table.c.id > last)
            query = query.order_by(table.c.id)
            rows = [r._mapping for r in conn.execute(query.limit(batch))]
            if not rows:
                break
            owners = _institutions(conn, (r.get("institution_id") for r in rows)) if entity in _OWNED else {}
            docs = [_doc(entity, r, owners) for r in rows]
            _insert(conn, entity, docs, [doc_id[(entity, d.row_id)] for d in docs])
            last = str(rows[-1]["id"])
    return len(order)
