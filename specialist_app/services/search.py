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
# Totals are exact for text and entity type alone (FTS5 counts its own doclist in a few ms). With field filters
# every match must be joined to its filter columns, so counting stops here and the page says "1,000+".
COUNT_CAP = 1_000
# Up to this many matches, relevance is bm25 and the title sort a plain sort; above it both would cost 30+ ms
# at 100,000 achievements, so relevance becomes "title/keyword hits first, newest first" (streamed by FTS5)
# and the title sort walks the title index. See docs/performance.md.
RANK_LIMIT = 2_000


class UnitOfWorkLike(Protocol):
    """What search needs from a unit of work (specialist_app.services.uow.UnitOfWork)."""

    @property
    def conn(self) -> Connection: ...

    def commit(self) -> None: ...


class SearchSort(StrEnum):
    RELEVANCE = "relevance"  # bm25 (title and keywords weigh 8x); title hits first for big result sets
    NEWEST = "newest"  # last changed (indexed) first
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
    score: float  # higher is better: -bm25, or 2.0 title hit / 1.0 body hit for big sets; 0.0 other sorts


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    total: int  # number of matches, or COUNT_CAP when `total_capped`
    total_capped: bool  # True: at least `total` matches exist (the count stopped at COUNT_CAP)
    limit: int
    offset: int


def _conditions(f: SearchFilters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
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


_JOIN = f"{ix.FTS} f CROSS JOIN {ix.DOC} d ON d.doc_id = f.rowid"
_COLUMNS = "d.doc_id, d.entity, d.row_id, d.title"


def _and(where: Sequence[str]) -> str:
    return " AND ".join(where) if where else "1"


def _both(match: str | None, other: str | None) -> str | None:
    if match is None or other is None:
        return match or other
    return f"({match}) AND {other}"


@dataclass(frozen=True, slots=True)
class _Plan:
    match: str | None  # text and entity conditions for FTS5; None: browse the doc table
    in_title: str | None  # the same with the text restricted to title and keywords; None without text
    where: list[str]  # filter conditions on the doc table `d`
    params: list[Any]
    entities: Sequence[str]


def _count(conn: Connection, plan: _Plan) -> tuple[int, bool]:
    if not plan.where:
        if plan.match is None:
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM {ix.DOC}").scalar_one()), False
        sql = f"SELECT count(*) FROM {ix.FTS} WHERE {ix.FTS} MATCH ?"
        return int(conn.exec_driver_sql(sql, (plan.match,)).scalar_one()), False
    if plan.match is None:
        source, clause, args = f"{ix.DOC} d", _and(plan.where), plan.params
    else:
        source, clause, args = _JOIN, _and([f"{ix.FTS} MATCH ?", *plan.where]), [plan.match, *plan.params]
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {clause} LIMIT {COUNT_CAP + 1})"
    n = int(conn.exec_driver_sql(sql, tuple(args)).scalar_one())
    return (COUNT_CAP, True) if n > COUNT_CAP else (n, False)


def _page_rows(conn: Connection, plan: _Plan, sort: SearchSort, small: bool, page: tuple[int, int]) -> list[Any]:
    """(doc_id, entity, row_id, title, score) of one page."""
    where, params = plan.where, plan.params
    if plan.match is None or (plan.in_title is None and sort is SearchSort.TITLE):
        # Browsing: walk the doc table by title (its index) or by doc_id.
        kinds = [f"d.entity IN ({','.join('?' * len(plan.entities))})", *where]
        order = "d.title, d.doc_id" if sort is SearchSort.TITLE else "d.doc_id DESC"
        sql = f"SELECT {_COLUMNS}, 0.0 FROM {ix.DOC} d WHERE {_and(kinds)} ORDER BY {order} LIMIT ? OFFSET ?"
        return list(conn.exec_driver_sql(sql, (*plan.entities, *params, *page)))
    matched = [f"{ix.FTS} MATCH ?", *where]
    args = (plan.match, *params)
    if plan.in_title is None or sort is SearchSort.NEWEST or (sort is SearchSort.TITLE and small):
        order = "d.title, d.doc_id" if sort is SearchSort.TITLE else "f.rowid DESC"
        sql = f"SELECT {_COLUMNS}, 0.0 FROM {_JOIN} WHERE {_and(matched)} ORDER BY {order} LIMIT ? OFFSET ?"
        return list(conn.exec_driver_sql(sql, (*args, *page)))
    if sort is SearchSort.TITLE:
        sql = (f"SELECT {_COLUMNS}, 0.0 FROM {ix.DOC} d INDEXED BY ix_{ix.DOC}_title WHERE d.doc_id IN"
               f" (SELECT rowid FROM {ix.FTS} WHERE {ix.FTS} MATCH ?) AND {_and(where)}"
               " ORDER BY d.title, d.doc_id LIMIT ? OFFSET ?")
        return list(conn.exec_driver_sql(sql, (*args, *page)))
    if small:
        weights = ", ".join(map(str, ix.BM25_WEIGHTS))
        sql = (f"SELECT {_COLUMNS}, -bm25({ix.FTS}, {weights}) AS score FROM {_JOIN} WHERE {_and(matched)}"
               " ORDER BY score DESC, f.rowid DESC LIMIT ? OFFSET ?")
        return list(conn.exec_driver_sql(sql, (*args, *page)))
    # Big result set: title/keyword hits, then the others, each newest first; FTS5 streams both in rowid order.
    tier = f"SELECT * FROM (SELECT {_COLUMNS}, %s FROM {_JOIN} WHERE {_and(matched)} ORDER BY f.rowid DESC)"
    sql = f"{tier % '2.0'} UNION ALL {tier % '1.0'} LIMIT ? OFFSET ?"
    body_only = f"({plan.match}) NOT ({plan.in_title})"
    return list(conn.exec_driver_sql(sql, (plan.in_title, *params, body_only, *params, *page)))


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
    q = search_text.translate(query, ix.UNI_COLUMNS, ix.BI_COLUMNS)
    kinds = None if set(entities) >= set(ix.SEARCH_ENTITIES) else ix.entity_match(entities)
    where, params = _conditions(filters)
    in_title = None
    if q.match is not None:
        in_title = _both(search_text.translate(query, "{title_uni}", "{title_bi}").match, kinds)
    plan = _Plan(_both(q.match, kinds), in_title, where, params, entities)
    total, capped = _count(conn, plan)
    small = not capped and total <= RANK_LIMIT
    rows = _page_rows(conn, plan, sort, small, (limit, offset)) if total > offset else []
    texts: dict[int, tuple[str, str]] = {}
    if rows:
        found = conn.exec_driver_sql(
            f"SELECT doc_id, subtitle, body_text FROM {ix.TEXT} WHERE doc_id IN ({','.join('?' * len(rows))})",
            tuple(r[0] for r in rows),
        )
        texts = {r[0]: (r[1], r[2]) for r in found}
    hits = tuple(
        SearchHit(
            entity=r[1],
            id=r[2],
            title=r[3],
            subtitle=texts.get(r[0], ("", ""))[0],
            snippet=search_text.snippet(texts.get(r[0], ("", ""))[1], q.terms),
            score=float(r[4]),
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
