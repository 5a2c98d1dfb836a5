"""Catalog search: achievements, demands, experts and institutions by Chinese substring or keyword, with filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Connection

from specialist_app.store import search_index as ix
from specialist_app.store import search_text

MAX_LIMIT = 200
# Counting stops here: "10,000+" is as useful to a reader as an exact figure and costs far less to get.
COUNT_CAP = 10_000


class UnitOfWorkLike(Protocol):
    """What search needs from a unit of work (specialist_app.services.uow.UnitOfWork)."""

    @property
    def conn(self) -> Connection: ...

    def commit(self) -> None: ...


class SearchSort(StrEnum):
    RELEVANCE = "relevance"  # title and keyword hits first (bm25); newest first without a query
    NEWEST = "newest"  # last updated first
    TITLE = "title"  # by title, in code point order


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Narrowing conditions, all optional and combined with AND. A filter that does not apply to an entity
    (TRL for an expert, say) excludes that entity's rows while it is set."""

    org_types: tuple[str, ...] = ()  # sync.codes.ORG_TYPE values: the institution's own or the owner's
    field_text: str | None = None  # substring of the domain / industry fields (achievement, demand, expert)
    trl_min: int | None = None
    trl_max: int | None = None
    transfer_modes: tuple[str, ...] = ()  # any of: achievement transfer modes / demand cooperation modes
    region_prefix: str | None = None  # GB/T 2260 prefix of the (owning) institution's region, e.g. "2201"


@dataclass(frozen=True, slots=True)
class SearchHit:
    entity: str
    id: str
    title: str
    subtitle: str  # owner institution and domain, an expert's unit and title, an institution's address
    snippet: str  # text around the first hit in the indexed body
    score: float  # higher is better; 0.0 when not sorted by relevance


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    total: int  # number of matches, or COUNT_CAP when `total_capped`
    total_capped: bool  # True: at least `total` matches exist (the count stopped at COUNT_CAP)
    limit: int
    offset: int


def _conditions(entities: Sequence[str], f: SearchFilters) -> tuple[list[str], list[Any]]:
    where: list[str] = [f"d.entity IN ({','.join('?' * len(entities))})"]
    params: list[Any] = list(entities)
    if f.org_types:
        where.append(f"d.org_type IN ({','.join('?' * len(f.org_types))})")
        params.extend(f.org_types)
    if f.field_text and f.field_text.strip():
        where.append("instr(lower(d.field_text), ?) > 0")
        params.append(search_text.fold(f.field_text.strip()))
    if f.trl_min is not None:
        where.append("d.trl >= ?")
        params.append(f.trl_min)
    if f.trl_max is not None:
        where.append("d.trl <= ?")
        params.append(f.trl_max)
    if f.transfer_modes:
        where.append("(" + " OR ".join("instr(d.modes, ?) > 0" for _ in f.transfer_modes) + ")")
        params.extend(f" {m} " for m in f.transfer_modes)
    if f.region_prefix and f.region_prefix.strip():
        prefix = f.region_prefix.strip()
        where.append("substr(d.region_code, 1, ?) = ?")
        params.extend((len(prefix), prefix))
    return where, params


def _order(sort: SearchSort, has_query: bool) -> str:
    if sort is SearchSort.TITLE:
        return "d.title, d.doc_id"
    if sort is SearchSort.RELEVANCE and has_query:
        return "score, d.updated_at DESC, d.doc_id"
    return "d.updated_at DESC, d.doc_id DESC"


def _count(conn: Connection, source: str, where: Iterable[str], params: Sequence[Any]) -> tuple[int, bool]:
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {' AND '.join(where)} LIMIT {COUNT_CAP + 1})"
    n = int(conn.exec_driver_sql(sql, tuple(params)).scalar_one())
    return (COUNT_CAP, True) if n > COUNT_CAP else (n, False)


def query_index(
    conn: Connection,
    query: str,
    entities: Sequence[str],
    filters: SearchFilters,
    sort: SearchSort,
    limit: int,
    offset: int,
) -> SearchPage:
    """Search the index on an open connection (the index must exist: see `search`)."""
    translated = search_text.translate(query, ix.UNI_COLUMNS, ix.BI_COLUMNS)
    where, params = _conditions(entities, filters)
    if translated.match is None:
        source = f"{ix.DOC} d"
        score = "0.0"
    else:
        source = f"{ix.FTS} f CROSS JOIN {ix.DOC} d ON d.doc_id = f.rowid"
        where.insert(0, f"{ix.FTS} MATCH ?")
        params.insert(0, translated.match)
        relevance = sort is SearchSort.RELEVANCE
        score = f"bm25({ix.FTS}, {', '.join(map(str, ix.BM25_WEIGHTS))})" if relevance else "0.0"
    total, capped = _count(conn, source, where, params)
    rows = conn.exec_driver_sql(
        f"SELECT d.entity, d.row_id, d.title, d.subtitle, d.body_text, {score} AS score FROM {source}"
        f" WHERE {' AND '.join(where)} ORDER BY {_order(sort, translated.match is not None)} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    hits = tuple(
        SearchHit(
            entity=r[0],
            id=r[1],
            title=r[2],
            subtitle=r[3],
            snippet=search_text.snippet(r[4], translated.terms),
            score=-float(r[5]),
        )
        for r in rows
    )
    return SearchPage(hits, total, capped, limit, offset)


def search(
    uow: UnitOfWorkLike,
    query: str,
    *,
    entities: Iterable[str] | None = None,
    filters: SearchFilters | None = None,
    sort: SearchSort | str = SearchSort.RELEVANCE,
    limit: int = 50,
    offset: int = 0,
) -> SearchPage:
    """One page of catalog records matching `query` (any text; an empty query lists everything filtered).

    Chinese text matches as a substring from one character up; other words match by prefix, case-insensitive;
    space-separated parts must all match. Unknown entity names are ignored; `limit` is clamped to 1..200.
    """
    chosen = [e for e in (entities or ix.SEARCH_ENTITIES) if e in ix.SEARCH_ENTITIES]
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    if not chosen:
        return SearchPage((), 0, False, limit, offset)
    if ix.ensure_index(uow.conn):
        uow.commit()  # the index was missing and has just been built: keep it
    return query_index(uow.conn, query, chosen, filters or SearchFilters(), SearchSort(sort), limit, offset)
