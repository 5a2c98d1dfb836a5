"""Catalog search: achievements, demands, experts and institutions by Chinese substring or keyword, with filters.

A record matches "in its title/text" when every part of the query is in its own title, keywords or texts (or,
for an institution or expert, the pinyin of its name); it matches "by institution or people" when some part
is found only in its units and people (owner institution, completing units, inventors, an expert's unit).
Relevance lists an exact title first, then the title/text hits, then the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection

from specialist_app.services import search_suggest
from specialist_app.services.uow import Reads, ReadUnitOfWork, UnitOfWork
from specialist_app.store import digest_docs, search_text
from specialist_app.store import digests as store_digests
from specialist_app.store import search_index as ix
from specialist_app.store.db import Store
from sync.entities import ENTITIES

MAX_LIMIT = 200
# Up to this many matches, relevance is bm25 and the title sort a plain sort; above it both would cost tens of
# ms at 100,000 achievements, so relevance becomes "title/keyword hits first, newest first" (streamed by FTS5)
# and the title sort walks the title index. See docs/performance.md.
RANK_LIMIT = 1_000
# Totals are counted exactly up to this many matches; above it a page says "more than COUNT_CAP" (total_capped)
# instead of counting on: FTS5 streams a doclist, so a capped count stops early, where an exact one read all of
# a one-character query's 100,000-500,000 matches at 1,000,000 achievements. See docs/performance.md.
COUNT_CAP = 10_000
# Browsing (no query: the page as it opens, a filter alone) counts on to this many: a province's whole catalog reads
# as its number (共 22,836 条, not "more than 10,000"), for ~2 ms more at 23,000 achievements; a national store
# stops here.
BROWSE_COUNT_CAP = 100_000


class SearchSort(StrEnum):
    RELEVANCE = "relevance"  # exact title, then own-text hits by bm25 (title and keywords weigh 8x), then by-hits
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
    by_only: bool = False  # found only through its units or people, not its own title and text
    # A digest of a record outside the home province (its long texts come when it is opened): the province's
    # 2-digit prefix ("" unknown). None: the record is held in full.
    digest_province: str | None = None


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    total: int  # number of matches: exact (total_text + total_by) unless total_capped
    total_capped: bool  # True: more than `total` (= COUNT_CAP) match; counting stopped there
    limit: int
    offset: int
    total_text: int | None = 0  # matches in their own title and text; None when total_capped (not counted)
    total_by: int | None = 0  # matches only through their units or people; None when total_capped
    suggestion: str | None = None  # "did you mean": a close query with matches, when this one has none
    unsearchable: bool = False  # the query holds text but nothing searchable (only symbols such as % or ≥)


@dataclass(frozen=True, slots=True)
class _Narrowing:
    """The entity choice and filters as FTS5 expressions: `keep` must match (ANDed), `drop` must not (NOT)."""

    keep: str | None = None
    drop: str | None = None

    def apply(self, match: str | None) -> str | None:
        """`match` narrowed; None only when there is neither a match nor a filter (everything)."""
        kept = _both(match, self.keep)
        if self.drop is None or kept is None:  # `_filter_match` drops entities only from something that matches
            return kept
        return f"({kept}) NOT ({self.drop})"


def _filter_match(
    conn: Connection, entities: Sequence[str], f: SearchFilters, has_text: bool
) -> tuple[_Narrowing, bool]:
    """(the entity choice and filters as FTS5 expressions, whether nothing can match)."""
    parts: list[str] = []
    drop: str | None = None
    by_trl = f.trl_min is not None or f.trl_max is not None
    if by_trl and not any(ENTITIES[e].has("trl") for e in entities):
        return _Narrowing(), True
    if f.org_types:
        parts.append(search_text.facet_any("org_type", f.org_types))
    if f.field_text and f.field_text.strip():
        field = search_text.translate(f.field_text, "{field_uni}", "{field_bi}").match
        if field is None:
            return _Narrowing(), True
        parts.append(field)
    if by_trl:
        low, high = max(1, f.trl_min or 1), min(9, 9 if f.trl_max is None else f.trl_max)
        if low > high:
            return _Narrowing(), True
        parts.append(search_text.facet_any("trl", [str(k) for k in range(low, high + 1)]))
    if f.transfer_modes:
        parts.append(search_text.facet_any("mode", f.transfer_modes))
    if f.region_prefix and f.region_prefix.strip():
        prefix = f.region_prefix.strip()
        if not prefix.isdigit():
            return _Narrowing(), True
        whole = len(prefix) in ix.REGION_LEVELS
        parts.append(search_text.facet_any("region", [prefix]) if whole else search_text.facet_prefix("region", prefix))
    # Only achievements carry TRL tokens, so a TRL filter already names the entity: one doclist fewer to AND.
    others = [e for e in ix.SEARCH_ENTITIES if e not in entities]
    if others and not by_trl:
        # FTS5 reads the whole doclist of a token it ANDs: the achievement token's is nearly every document. When
        # the entities left out hold fewer documents than those asked for, leaving them out (NOT) reads less.
        sizes = _entity_sizes(conn) if has_text or parts else {}
        if sizes and sum(sizes.get(e, 0) for e in others) < sum(sizes.get(e, 0) for e in entities):
            drop = search_text.facet_any("entity", others)
        else:
            parts.insert(0, search_text.facet_any("entity", entities))
    return _Narrowing(" AND ".join(f"({p})" for p in parts) if parts else None, drop), False


# Documents per entity, by store file: (the highest doc_id when counted, the counts). Only the choice between
# AND and NOT depends on it (never a result), so it is counted again only when the index has grown or shrunk
# by a tenth since (~13 ms at 238,000 documents).
_SIZES: dict[str, tuple[int, dict[str, int]]] = {}
SIZE_CAP = 100_000  # up to this many documents (the highest doc_id), each entity is counted
SIZE_SAMPLE = 2_000  # above it, the entities of this many doc ids spread over the index give the shares


def _entity_sizes(conn: Connection) -> dict[str, int]:
    """Documents per entity in the index (counted up to SIZE_CAP documents, estimated above), at most a tenth out of
    date."""
    path = str(conn.exec_driver_sql("PRAGMA database_list").all()[0][2])
    top = int(conn.exec_driver_sql(f"SELECT coalesce(max(doc_id), 0) FROM {ix.DOC}").scalar_one())
    known = _SIZES.get(path) if path else None
    if known is None or abs(top - known[0]) > known[0] // 10:
        known = (top, _counted_sizes(conn) if top <= SIZE_CAP else _sampled_sizes(conn, top))
        if path:
            _SIZES[path] = known
    return known[1]


def _counted_sizes(conn: Connection) -> dict[str, int]:
    # Each entity counted through an index (up to SIZE_CAP): a GROUP BY over every document took 0.2-3.7 s at
    # 1,000,000 (the first search of a process).
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {ix.DOC} WHERE entity = ? LIMIT ?)"
    return {e: int(conn.exec_driver_sql(sql, (e, SIZE_CAP)).scalar_one()) for e in ix.SEARCH_ENTITIES}


def _sampled_sizes(conn: Connection, top: int) -> dict[str, int]:
    """Estimated from the entities of SIZE_SAMPLE doc ids evenly spread over 1..top (5-8 ms at 1,000,000, where
    counting up to SIZE_CAP each took ~20 ms, the session's first search): the shares are what the choice needs,
    and a wrong choice only when two sides are nearly equal costs about the same either way."""
    ids = sorted({1 + k * (top - 1) // (SIZE_SAMPLE - 1) for k in range(SIZE_SAMPLE)})
    counts = dict.fromkeys(ix.SEARCH_ENTITIES, 0)
    for entity, n in conn.exec_driver_sql(
            f"SELECT entity, count(*) FROM {ix.DOC} WHERE doc_id IN ({','.join(map(str, ids))}) GROUP BY entity"):
        if entity in counts:
            counts[entity] = int(n)
    return {e: n * top // len(ids) for e, n in counts.items()}


def _both(match: str | None, other: str | None) -> str | None:
    if match is None or other is None:
        return match or other
    return f"({match}) AND ({other})"


_MATCH = f"{ix.FTS} MATCH ?"
_JOIN = f"{ix.FTS} f CROSS JOIN {ix.DOC} d ON d.doc_id = f.rowid"


def _rows(conn: Connection, sql: str, *args: Any) -> list[tuple[int, float, bool]]:
    return [(int(r[0]), float(r[1]), bool(r[2])) for r in conn.exec_driver_sql(sql, args)]


@dataclass(frozen=True, slots=True)
class _Matches:
    """FTS5 expressions of one search: `match` everything found (None: browse all), `own` the title/text hits,
    `in_title` the title hits (None when the query has no text), `exact` doc ids whose title is the query."""

    match: str | None
    own: str | None
    in_title: str | None
    exact: tuple[int, ...] = ()


def _not_exact(exact: Sequence[int]) -> str:
    return f" AND rowid NOT IN ({','.join(map(str, exact))})" if exact else ""


def _by_title(conn: Connection, entities: Sequence[str], match: str | None, page: tuple[int, int]
              ) -> list[tuple[int, float, bool]]:
    """A page of the documents of `entities` (those matching `match`, if given) in title order, then doc_id: one walk
    of the (entity, title) index per entity, merged by SQLite (a compound SELECT whose parts come in its order),
    without sorting; there is no index on the title alone (v10: ~110 MB at 1,000,000 documents)."""
    where = f" AND doc_id IN (SELECT rowid FROM {ix.FTS} WHERE {_MATCH})" if match is not None else ""
    part = f"SELECT doc_id, 0.0, 0, title FROM {ix.DOC} INDEXED BY ix_{ix.DOC}_entity_title WHERE entity = ?{where}"
    sql = " UNION ALL ".join([part] * len(entities)) + " ORDER BY title, doc_id LIMIT ? OFFSET ?"
    return _rows(conn, sql, *(a for e in entities for a in ((e, match) if match is not None else (e,))), *page)


def _page(
    conn: Connection, m: _Matches, sort: SearchSort, small: bool, page: tuple[int, int], entities: Sequence[str],
    one_entity: str | None
) -> list[tuple[int, float, bool]]:
    """(doc_id, score, by_only) of one page. `one_entity` names the only entity asked for when there are no
    other filters. Relevance pages never hold the exact-title documents (`query_index` puts them first)."""
    match = m.match
    if match is None and sort is SearchSort.TITLE:  # everything by title
        return _by_title(conn, ix.SEARCH_ENTITIES, None, page)
    if match is None:  # everything: walk the doc table
        return _rows(conn, f"SELECT doc_id, 0.0, 0 FROM {ix.DOC} ORDER BY doc_id DESC LIMIT ? OFFSET ?", *page)
    if m.in_title is None and sort is SearchSort.TITLE and one_entity:  # one entity's list by title
        return _by_title(conn, (one_entity,), None, page)
    if sort is SearchSort.TITLE and small:
        sql = f"SELECT d.doc_id, 0.0, 0 FROM {_JOIN} WHERE {_MATCH} ORDER BY d.title, d.doc_id LIMIT ? OFFSET ?"
        return _rows(conn, sql, match, *page)
    if sort is SearchSort.TITLE:
        return _by_title(conn, entities, match, page)
    if m.in_title is None or m.own is None or sort is SearchSort.NEWEST:
        sql = f"SELECT rowid, 0.0, 0 FROM {ix.FTS} WHERE {_MATCH} ORDER BY rowid DESC LIMIT ? OFFSET ?"
        return _rows(conn, sql, match, *page)
    skip = _not_exact(m.exact)
    if small:
        weights = ", ".join(map(str, ix.BM25_WEIGHTS))
        sql = (f"SELECT rowid, -bm25({ix.FTS}, {weights}) AS score,"
               f" rowid NOT IN (SELECT rowid FROM {ix.FTS} WHERE {_MATCH}) AS by_only"
               f" FROM {ix.FTS} WHERE {_MATCH}{skip} ORDER BY by_only, score DESC, rowid DESC LIMIT ? OFFSET ?")
        return _rows(conn, sql, m.own, match, *page)
    # Many matches: own title/keyword hits, own text hits, then by-hits, each newest first; FTS5 streams all
    # three in rowid order.
    tier = f"SELECT * FROM (SELECT rowid, %s FROM {ix.FTS} WHERE {_MATCH}{skip} ORDER BY rowid DESC)"
    sql = f"{tier % '2.0, 0'} UNION ALL {tier % '1.0, 0'} UNION ALL {tier % '0.5, 1'} LIMIT ? OFFSET ?"
    return _rows(conn, sql, m.in_title, f"({m.own}) NOT ({m.in_title})", f"({match}) NOT ({m.own})", *page)


def _count(conn: Connection, match: str | None, upto: int) -> int:
    """Matches of `match` (None: every document), counted up to `upto` + 1: FTS5 streams the doclists, so the
    LIMIT stops reading there."""
    source = f"SELECT 1 FROM {ix.FTS} WHERE {_MATCH}" if match is not None else f"SELECT 1 FROM {ix.DOC}"
    args = (match, upto + 1) if match is not None else (upto + 1,)
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM ({source} LIMIT ?)", args).scalar_one())


def _exact_titles(conn: Connection, query: str, match: str, entities: Sequence[str]) -> tuple[int, ...]:
    """Doc ids (newest first) whose title is exactly the query, among the matches."""
    # The title index first (almost always nothing), then FTS5 checks those few rowids: an IN (all matches)
    # subquery would list every match of a one-character query.
    same = [int(r[0]) for r in conn.exec_driver_sql(
        f"SELECT doc_id FROM {ix.DOC} WHERE entity IN ({','.join('?' * len(entities))}) AND title = ?"
        " ORDER BY doc_id DESC LIMIT 20", (*entities, query.strip()))]
    if not same:
        return ()
    sql = f"SELECT rowid FROM {ix.FTS} WHERE {_MATCH} AND rowid IN ({','.join('?' * len(same))}) ORDER BY rowid DESC"
    return tuple(int(r[0]) for r in conn.exec_driver_sql(sql, (match, *same)))


def _relevance_page(conn: Connection, m: _Matches, small: bool, limit: int, offset: int, entities: Sequence[str]
                    ) -> list[tuple[int, float, bool]]:
    """Exact titles first, then `_page`'s order without them."""
    head = [(d, 1e9, False) for d in m.exact[offset:offset + limit]]
    rest_offset = max(0, offset - len(m.exact))
    if len(head) >= limit:
        return head
    return head + _page(conn, m, SearchSort.RELEVANCE, small, (limit - len(head), rest_offset), entities, None)


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
    q = search_text.translate(query, ix.ALL_UNI_COLUMNS, ix.ALL_BI_COLUMNS, ix.PINYIN_COLUMNS)
    if q.match is None and query.strip():  # only symbols: nothing to look for, not "everything"
        return SearchPage((), 0, False, limit, offset, unsearchable=True)
    narrowing, impossible = _filter_match(conn, entities, filters, q.match is not None)
    if impossible:
        return SearchPage((), 0, False, limit, offset)
    match = narrowing.apply(q.match)
    m = _Matches(match, None, None)
    if q.match is not None:
        own = search_text.translate(query, ix.UNI_COLUMNS, ix.BI_COLUMNS, ix.PINYIN_COLUMNS).match
        in_title = search_text.translate(query, "{title_uni}", "{title_bi}").match
        m = _Matches(match, narrowing.apply(own), narrowing.apply(in_title))
    cap = COUNT_CAP if q.match is not None else max(COUNT_CAP, BROWSE_COUNT_CAP)
    # Counted up to the larger of the cap and RANK_LIMIT, so that which order a page uses never depends on the cap.
    counted = _count(conn, match, max(cap, RANK_LIMIT))
    capped = counted > cap
    total = min(counted, cap)
    small = counted <= RANK_LIMIT
    total_text: int | None = None  # above the cap, the own-text matches are not counted either
    if not capped:  # own-text matches are among the matches: at most `total`, an exact count
        total_text = _count(conn, m.own, total) if m.own is not None and total else total
    one_entity = entities[0] if len(entities) == 1 and filters == SearchFilters() else None
    rows: list[tuple[int, float, bool]] = []
    more = capped or total > offset  # past a capped total, pages go on while there are rows
    if more and sort is SearchSort.RELEVANCE and m.own is not None and match is not None:
        m = _Matches(m.match, m.own, m.in_title, _exact_titles(conn, query, match, entities))
        rows = _relevance_page(conn, m, small, limit, offset, entities)
    elif more:
        rows = _page(conn, m, sort, small, (limit, offset), entities, one_entity)
    found: dict[int, Any] = {}
    if rows:
        marks = ",".join("?" * len(rows))
        texts = digest_docs.texts(conn, [r[0] for r in rows])  # a digest's are built from its row
        found = {r[0]: (*r, texts[r[0]][0], texts[r[0]][1][1]) for r in conn.exec_driver_sql(
            f"SELECT doc_id, entity, row_id, title FROM {ix.DOC} WHERE doc_id IN ({marks})",
            tuple(r[0] for r in rows),
        ) if r[0] in texts}
    digests = store_digests.provinces(conn, [d[2] for d in found.values()]) if found else {}
    hits = tuple(
        SearchHit(
            entity=d[1],
            id=d[2],
            title=d[3],
            subtitle=d[4],
            snippet=search_text.snippet(d[5], q.terms),
            score=score,
            by_only=by_only,
            digest_province=digests.get(d[2]),
        )
        for doc_id, score, by_only in rows
        if (d := found.get(doc_id)) is not None
    )
    suggestion = search_suggest.did_you_mean(conn, query) if total == 0 and q.match is not None else None
    total_by = None if total_text is None else total - total_text
    return SearchPage(hits, total, capped, limit, offset, total_text, total_by, suggestion)


def prepare_index(store: Store) -> None:
    """Build the search index if the store has none of this version yet (never searched nor synced, or the index
    format changed): a write, done once, before searching through a ReadUnitOfWork."""
    with ReadUnitOfWork(store) as read:
        if ix.has_index(read.conn):
            return
    with UnitOfWork(store) as uow:
        if ix.ensure_index(uow.conn):
            uow.commit()


def search(
    uow: Reads,
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
    if not ix.has_index(uow.conn):  # see prepare_index: nothing is indexed yet
        return SearchPage((), 0, False, limit, offset)
    return query_index(uow.conn, query, chosen, filters or SearchFilters(), SearchSort(sort), limit, offset)
