"""What a search document of each entity holds: its texts (title, body, by, field), facet tokens and subtitle."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from specialist_app.store import search_pinyin, search_text
from specialist_app.store.chunks import chunks
from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES
from sync.fields import Kind

Row = Mapping[Any, Any]  # a row's values by field name (SQLAlchemy RowMapping or a plain dict)

# Long texts (summaries, profiles) are indexed up to this many characters each: the longest searchable long
# field's max_len, so all text a record can hold is findable; see docs/performance.md.
LONG_TEXT_CAP = 5000

# Filters are tokens of the `facets` column (see search_text.facet), so FTS5 applies them itself and every
# total stays an exact, cheap doclist count. `region` is the (owning) institution's code, matched by prefix.
FACETS = ("entity", "org_type", "region", "trl", "mode")
REGION_LEVELS = (2, 4, 6)
OWNED = ("achievement", "demand")  # documents that carry their owning institution's name, type and region
# The "by" text: who made or holds a record (units, people), searched apart so that a hit only there is
# counted and ranked after hits in the record's own title and text. The owner institution's name is added.
_BY_FIELDS = {
    "achievement": ("inventors", "completing_units"),
    "demand": (),
    "expert": ("unit",),
    "institution": (),
}
# Documents whose title (a name) is also indexed by its pinyin and initials, in the facets column.
PINYIN_NAMES = ("institution", "expert")
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


@functools.cache
def title_fields(entity: str) -> tuple[str, ...]:
    e = ENTITIES[entity]
    return (e.title_field, "keywords") if e.has("keywords") else (e.title_field,)


@functools.cache
def body_fields(entity: str) -> tuple[str, ...]:
    """Long-text fields first, then the short ones, so the short fields are a suffix of the body text."""
    skip = {*title_fields(entity), *_BY_FIELDS[entity]}
    fields = [f for f in ENTITIES[entity].searchable_fields() if f.name not in skip]
    return tuple(f.name for f in sorted(fields, key=lambda f: f.kind is not Kind.LONGTEXT))


@functools.cache
def _long_fields(entity: str) -> tuple[str, ...]:
    return tuple(n for n in body_fields(entity) if ENTITIES[entity].field(n).kind is Kind.LONGTEXT)


@functools.cache
def _short_fields(entity: str) -> tuple[str, ...]:
    return tuple(n for n in body_fields(entity) if ENTITIES[entity].field(n).kind is not Kind.LONGTEXT)


_LONG_TEXT_NAMES = frozenset(f.name for e in ENTITIES.values() for f in e.fields if f.kind is Kind.LONGTEXT)


def _texts(entity: str, row: Row, names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        value = row.get(name)
        if not value:
            continue
        if isinstance(value, list):
            out.extend(str(v) for v in value if v)
        elif name in _LONG_TEXT_NAMES:
            out.append(str(value)[:LONG_TEXT_CAP])
        else:
            out.append(str(value))
    return out


Texts = tuple[str, str, str, str, str]  # a document's title, body, by, field texts and facet tokens


@dataclass(frozen=True, slots=True)
class Doc:
    row_id: str
    title: str
    updated_at: str
    subtitle: str
    text: Texts  # exactly what is tokenized: title, body, by, field texts, facet tokens
    short_from: int  # where the short fields start in the body text (0: no long text to defer)


def facets(entity: str, row: Row, owner: Row) -> str:
    trl = row.get("trl")  # achievements have one
    modes = row.get(_MODES[entity]) if entity in _MODES else None
    return _facet_tokens(entity, str(owner.get("org_type") or ""), str(owner.get("region_code") or ""),
                         int(trl) if isinstance(trl, int) else None, tuple(str(m) for m in modes or ()))


@functools.lru_cache(maxsize=8192)
def _facet_tokens(entity: str, org_type: str, region: str, trl: int | None, modes: tuple[str, ...]) -> str:
    """The facet tokens of a document (few distinct combinations, so cached)."""
    tokens = [search_text.facet("entity", entity)]
    if org_type:
        tokens.append(search_text.facet("org_type", org_type))
    # Province, city and district prefixes as whole tokens: a 2-, 4- or 6-digit filter is one doclist.
    tokens.extend(search_text.facet("region", region[:n]) for n in REGION_LEVELS if len(region) >= n)
    if trl is not None:
        # One token for the level: a TRL range is the OR of its levels' doclists (at most 9, together no longer
        # than one "at least k" list was); the old ladder of "at least"/"at most" tokens cost 10 per achievement.
        tokens.append(search_text.facet("trl", str(trl)))
    tokens.extend(search_text.facet("mode", m) for m in modes)
    return " ".join(tokens)


def own_texts(entity: str, row: Row) -> tuple[str, str, str]:
    """Title, body and field texts of a row's document: they depend on the row alone, so a second process may
    tokenize them (`search_text.tokenize_groups`) before the owner is known. The by text is made here."""
    return _own_texts(entity, row)[:3]


def _own_texts(entity: str, row: Row) -> tuple[str, str, str, int]:
    """`own_texts` and the length of the long texts the body starts with."""
    long = "\n".join(_texts(entity, row, _long_fields(entity)))
    short = _texts(entity, row, _short_fields(entity))
    return (
        "\n".join(_texts(entity, row, title_fields(entity))),
        "\n".join([long, *short] if long else short),
        "\n".join(_texts(entity, row, _FIELD_TEXT[entity])),
        len(long),
    )


def build_doc(entity: str, row: Row, institutions: Mapping[str, Row], *, pinyin: bool = True) -> Doc:
    """The document of a row; without `pinyin` its facet tokens lack the pinyin of its name (a reader that only
    shows or matches its texts: ~0.6 ms a name saved)."""
    e = ENTITIES[entity]
    values = dict(row)
    if e.is_scope_root:
        owner: Row = row
    else:
        owner = institutions.get(row.get("institution_id") or "", {})
        values["institution_name"] = owner.get("name")
    title, body, field, long_len = _own_texts(entity, row)
    owner_name = str(owner["name"]) if entity in OWNED and owner.get("name") else ""
    by = "\n".join([*_texts(entity, row, _BY_FIELDS[entity]), *([owner_name] if owner_name else [])])
    facet_tokens = facets(entity, row, owner)
    if pinyin and entity in PINYIN_NAMES and (names := search_pinyin.name_tokens(str(row.get(e.title_field) or ""))):
        facet_tokens = f"{facet_tokens} {names}"
    return Doc(
        row_id=str(row["id"]),
        title=str(row.get(e.title_field) or ""),
        updated_at=str(row.get("updated_at") or ""),
        subtitle=" · ".join(str(values[n]) for n in _SUBTITLE[entity] if values.get(n)),
        text=(title, body, by, field, facet_tokens),
        # Long texts first, then the short fields: a deferred document indexes the tail.
        short_from=long_len + (1 if len(body) > long_len else 0) if long_len else 0,
    )


# Tokens of a document's own texts made elsewhere: unigrams and bigrams of title, body and field.
Known = tuple[str, ...]


# A row's own (title, body, field) texts as a second process saw them, and their unigrams and bigrams in that
# order (`search_text.tokenize_groups`).
KnownTexts = tuple[tuple[str, str, str], tuple[str, ...]]


def known_tokens(doc: Doc, known: Mapping[str, KnownTexts] | None) -> Known | None:
    """The document's own tokens made elsewhere, if made from exactly its texts (else it is tokenized here)."""
    found = known.get(doc.row_id) if known else None
    if found is None:
        return None
    (title, body, field), tokens = found
    if (title, body, field) != (doc.text[0], doc.text[1], doc.text[3]):
        return None  # the row was rebased over local edits or kept full values over a masked copy
    return tokens


Memo = dict[str, search_text.Columns]  # tokens by text, within one write (a re-indexed row's unchanged texts)


def _tokens(text: str, memo: Memo | None) -> search_text.Columns:
    if memo is None:
        return search_text.tokenize([text])
    found = memo.get(text)
    if found is None:
        found = memo[text] = search_text.tokenize([text])
    return found


def fts_values(
    text: Texts, short_from: int = 0, known: Known | None = None, memo: Memo | None = None
) -> tuple[str, ...]:
    """FTS column values of a document; with `short_from`, only that tail of the body (its short fields).

    `known` holds the tokens of the document's own texts when they were tokenized elsewhere already (then only
    the by text, short, is tokenized here). `memo` keeps tokens by text across calls: a re-indexed document's
    delete and insert tokenize each unchanged text (title, by, field) once.
    """
    by = _tokens(text[2], memo)
    if known is not None and not short_from:
        title_uni, title_bi, body_uni, body_bi, field_uni, field_bi = known
        return title_uni, title_bi, body_uni, body_bi, by.uni, by.bi, field_uni, field_bi, text[4]
    title, field = _tokens(text[0], memo), _tokens(text[3], memo)
    body = _tokens(text[1][short_from:], memo)
    return title.uni, title.bi, body.uni, body.bi, by.uni, by.bi, field.uni, field.bi, text[4]


@functools.cache
def read_columns(entity: str) -> tuple[ColumnElement[Any], ...]:
    """The columns a document is built from (reading fewer columns saves decoding JSON nobody indexes)."""
    names = {"id", "updated_at", "institution_id", "trl", "address", "org_type", "region_code", "name"}
    names |= {*title_fields(entity), *body_fields(entity), *_BY_FIELDS[entity], *_FIELD_TEXT[entity]}
    names |= set(_SUBTITLE[entity])
    names |= {_MODES[entity]} if entity in _MODES else set()
    table = ENTITY_TABLES[entity]
    return tuple(table.c[n] for n in sorted(names) if n in table.c)


def owning_institutions(conn: Connection, ids: Iterable[str | None]) -> dict[str, Row]:
    """The live institutions among `ids` with what their achievements' and demands' documents carry."""
    wanted = sorted({i for i in ids if i})
    table = ENTITY_TABLES["institution"]
    found: dict[str, Row] = {}
    for chunk in chunks(wanted):
        query = select(table.c.id, table.c.name, table.c.org_type, table.c.region_code).where(
            table.c.id.in_(chunk), table.c.deleted.is_(False)
        )
        found.update((r.id, r._mapping) for r in conn.execute(query))
    return found


def unlisted(row: Row) -> bool:
    """Not in the catalog's lists and search: deleted, or a duplicate the market confirmed (docs/matching.md)."""
    return bool(row.get("deleted")) or row.get("duplicate_state") == "confirmed"


def listed(entity: str) -> ColumnElement[bool]:
    """`unlisted` as SQL: the rows of `entity` a search document is kept for."""
    table = ENTITY_TABLES[entity]
    live = table.c.deleted.is_(False)
    if "duplicate_state" not in table.c:
        return live
    return live & (func.coalesce(table.c.duplicate_state, "") != "confirmed")


def live_rows(conn: Connection, entity: str, column: str, ids: Sequence[str]) -> list[Row]:
    """The listed rows of `entity` whose `column` is one of `ids`, with the columns a document is built from."""
    table = ENTITY_TABLES[entity]
    found: list[Row] = []
    for chunk in chunks(ids):
        query = select(*read_columns(entity)).where(table.c[column].in_(chunk), listed(entity))
        found.extend(r._mapping for r in conn.execute(query))
    return found
