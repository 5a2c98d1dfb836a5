"""What a search document of each entity holds: its texts (title, body, field), facet tokens and subtitle."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from specialist_app.store import search_text
from specialist_app.store.chunks import chunks
from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES
from sync.fields import Kind

Row = Mapping[Any, Any]  # a row's values by field name (SQLAlchemy RowMapping or a plain dict)

# Long texts (summaries, profiles) are indexed up to this many characters each; see docs/performance.md.
LONG_TEXT_CAP = 1000

# Filters are tokens of the `facets` column (see search_text.facet), so FTS5 applies them itself and every
# total stays an exact, cheap doclist count. `region` is the (owning) institution's code, matched by prefix.
FACETS = ("entity", "org_type", "region", "trl", "mode")
REGION_LEVELS = (2, 4, 6)
OWNED = ("achievement", "demand")  # documents that carry their owning institution's name, type and region
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
    titles = title_fields(entity)
    fields = [f for f in ENTITIES[entity].searchable_fields() if f.name not in titles]
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


@dataclass(frozen=True, slots=True)
class Doc:
    row_id: str
    title: str
    updated_at: str
    subtitle: str
    text: tuple[str, str, str, str]  # exactly what is tokenized: title, body, field texts and facet tokens
    short_from: int  # where the short fields start in the body text (0: no long text to defer)
    core_len: int = 0  # the body text starts with this many characters that do not depend on the owner


def facets(entity: str, row: Row, owner: Row) -> str:
    trl = row.get("trl") if entity == "achievement" else None
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
        # "at least k" and "at most k" tokens, so any TRL range is the AND of two doclists.
        tokens.extend(search_text.facet("trl", f"ge{k}") for k in range(1, trl + 1))
        tokens.extend(search_text.facet("trl", f"le{k}") for k in range(trl, 10))
    tokens.extend(search_text.facet("mode", m) for m in modes)
    return " ".join(tokens)


def own_texts(entity: str, row: Row) -> tuple[str, str, str]:
    """Title, body and field texts of a row's document as far as they depend on the row alone.

    The body lacks the owning institution's name, which `build_doc` appends; a second process may tokenize
    these texts (`search_text.tokenize_groups`) before the owner is known.
    """
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


def build_doc(entity: str, row: Row, institutions: Mapping[str, Row]) -> Doc:
    e = ENTITIES[entity]
    values = dict(row)
    if entity == "institution":
        owner: Row = row
    else:
        owner = institutions.get(row.get("institution_id") or "", {})
        values["institution_name"] = owner.get("name")
    title, core, field, long_len = _own_texts(entity, row)
    owner_name = str(owner["name"]) if entity in OWNED and owner.get("name") else ""
    body = f"{core}\n{owner_name}" if core and owner_name else core or owner_name
    return Doc(
        row_id=str(row["id"]),
        title=str(row.get(e.title_field) or ""),
        updated_at=str(row.get("updated_at") or ""),
        subtitle=" · ".join(str(values[n]) for n in _SUBTITLE[entity] if values.get(n)),
        text=(title, body, field, facets(entity, row, owner)),
        # Long texts first, then the short fields (the owner's name last): a deferred document indexes the tail.
        short_from=long_len + (1 if len(body) > long_len else 0) if long_len else 0,
        core_len=len(core),
    )


# Tokens of a document's own texts made elsewhere: core length, then unigrams and bigrams of title, body core
# and field.
Known = tuple[int, tuple[str, ...]]


# A row's own (title, body, field) texts as a second process saw them, and their unigrams and bigrams in that
# order (`search_text.tokenize_groups`).
KnownTexts = tuple[tuple[str, str, str], tuple[str, ...]]


def known_tokens(doc: Doc, known: Mapping[str, KnownTexts] | None) -> Known | None:
    """The document's own tokens made elsewhere, if made from exactly its texts (else it is tokenized here)."""
    found = known.get(doc.row_id) if known else None
    if found is None:
        return None
    (title, core, field), tokens = found
    if title != doc.text[0] or field != doc.text[2] or core != doc.text[1][: doc.core_len]:
        return None  # the row was rebased over local edits or kept full values over a masked copy
    return doc.core_len, tokens


def fts_values(text: tuple[str, str, str, str], short_from: int = 0, known: Known | None = None) -> tuple[str, ...]:
    """FTS column values of a document; with `short_from`, only that tail of the body (its short fields).

    `known` holds the tokens of the document's own texts when they were tokenized elsewhere already (then only
    the owner's name at the end of the body is tokenized here).
    """
    if known is not None and not short_from:
        core_len, (title_uni, title_bi, core_uni, core_bi, field_uni, field_bi) = known
        if core_len == len(text[1]):
            return title_uni, title_bi, core_uni, core_bi, field_uni, field_bi, text[3]
        body = search_text.concat(search_text.Columns(core_uni, core_bi), search_text.tokenize([text[1][core_len:]]))
        return title_uni, title_bi, body.uni, body.bi, field_uni, field_bi, text[3]
    else:
        title, field = search_text.tokenize([text[0]]), search_text.tokenize([text[2]])
        body = search_text.tokenize([text[1][short_from:]])
    return title.uni, title.bi, body.uni, body.bi, field.uni, field.bi, text[3]


@functools.cache
def read_columns(entity: str) -> tuple[ColumnElement[Any], ...]:
    """The columns a document is built from (reading fewer columns saves decoding JSON nobody indexes)."""
    names = {"id", "updated_at", "institution_id", "trl", "address", "org_type", "region_code", "name"}
    names |= {*title_fields(entity), *body_fields(entity), *_FIELD_TEXT[entity], *_SUBTITLE[entity]}
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


def live_rows(conn: Connection, entity: str, column: str, ids: Sequence[str]) -> list[Row]:
    """The live rows of `entity` whose `column` is one of `ids`, with the columns a document is built from."""
    table = ENTITY_TABLES[entity]
    found: list[Row] = []
    for chunk in chunks(ids):
        query = select(*read_columns(entity)).where(table.c[column].in_(chunk), table.c.deleted.is_(False))
        found.extend(r._mapping for r in conn.execute(query))
    return found
