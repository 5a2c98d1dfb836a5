"""The search index on entity tables created straight from tables.metadata: tokens, bulk paths, big result sets."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine

from specialist_app.services import search as S
from specialist_app.store import search_index as ix
from specialist_app.store import search_text
from specialist_app.store.tables import ENTITY_TABLES, metadata
from sync.demo import achievements_only


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = create_engine(f"sqlite+pysqlite:///{tmp_path / 'index.sqlite3'}")
    metadata.create_all(eng)
    yield eng
    eng.dispose()


def _achievement(n: int, title: str, summary: str = "", **extra: Any) -> dict[str, Any]:
    return {"id": f"a{n:04d}", "title": title, "summary": summary or None,
            "updated_at": f"2025-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}Z", "deleted": False, **extra}


def _insert(conn: Connection, entity: str, rows: list[dict[str, Any]]) -> None:
    table = ENTITY_TABLES[entity]
    conn.execute(table.insert(), [{c: r.get(c) for c in [col.name for col in table.columns]} for r in rows])


def _ids(conn: Connection, query: str, **kw: Any) -> list[str]:
    page = S.query_index(conn, query, list(ix.SEARCH_ENTITIES), kw.pop("filters", S.SearchFilters()),
                         S.SearchSort(kw.pop("sort", "relevance")), kw.pop("limit", 50), kw.pop("offset", 0))
    return [h.id for h in page.hits]


def test_tokens_unigrams_once_bigrams_per_run_and_lowercase_words() -> None:
    cols = search_text.tokenize(["光电光电，电池Ｐｌｃ控制", "关键"])
    assert cols.uni == "光 电 池 plc lc 控 制 关 键"  # a word and its suffixes of 2+ characters
    brk = search_text.RUN_BREAK
    assert cols.bi == f"光电 电光 光电 {brk} 电池 {brk} 控制 {brk} 关键"


def test_query_translation_quotes_every_token_and_drops_operators() -> None:
    q = search_text.translate('电 电池 "钙钛矿" PLC* AND (x) -:', "{u}", "{b}")
    assert q.match == ('{u} : "电" AND {b} : "电池" AND {b} : "钙钛 钛矿" AND {u} : "plc" *'
                       ' AND {u} : "and" * AND {u} : "x" *')
    assert search_text.translate('"*():-^', "{u}", "{b}").match is None


def test_a_phrase_never_joins_two_runs(engine: Engine) -> None:
    with engine.begin() as conn:
        _insert(conn, "achievement", [_achievement(1, "太阳能电池，池板支架")])
        ix.rebuild(conn)
        assert _ids(conn, "池板") == ["a0001"]
        assert _ids(conn, "电池板") == []  # bigrams 电池 and 池板 are adjacent tokens but different runs
        assert _ids(conn, "能电池") == ["a0001"]


def test_index_rows_drops_rows_flagged_deleted(engine: Engine) -> None:
    rows = [_achievement(1, "钙钛矿电池"), _achievement(2, "钙钛矿薄膜")]
    with engine.begin() as conn:
        _insert(conn, "achievement", rows)
        ix.index_rows(conn, "achievement", rows)
        assert sorted(_ids(conn, "钙钛矿")) == ["a0001", "a0002"]
        ix.index_rows(conn, "achievement", [{**rows[0], "deleted": True}])
        assert _ids(conn, "钙钛矿") == ["a0002"]
        ix.remove_rows(conn, "achievement", ["a0002"])
        assert _ids(conn, "钙钛矿") == []


def test_rebuild_equals_incremental_index_tables(engine: Engine) -> None:
    rows = [_achievement(i, f"第{i}号钙钛矿电池", "溶液法制备薄膜", trl=i % 9 + 1) for i in range(30)]
    with engine.begin() as conn:
        _insert(conn, "institution", [{"id": "i1", "name": "吉林大学", "org_type": "university",
                                       "region_code": "220102", "updated_at": "2025-01-01T00:00:00Z",
                                       "deleted": False}])
        rows = [{**r, "institution_id": "i1"} for r in rows]
        _insert(conn, "achievement", rows)
        ix.reindex_rows(conn, "institution", ["i1"])
        for r in rows:
            ix.reindex_rows(conn, "achievement", [r["id"]])
        ix.remove_rows(conn, "achievement", ["a0003"])
        conn.execute(ENTITY_TABLES["achievement"].update().where(ENTITY_TABLES["achievement"].c.id == "a0003")
                     .values(deleted=True))

        def contents() -> list[tuple[Any, ...]]:
            return sorted(tuple(r) for r in conn.exec_driver_sql(
                f"SELECT d.entity, d.row_id, d.title, d.updated_at, t.subtitle, t.title_text, t.body_text,"
                f" t.field_text, t.facets FROM {ix.DOC} d JOIN {ix.TEXT} t USING (doc_id)"))

        incremental, hits = contents(), sorted(_ids(conn, "钙钛矿", limit=100))
        assert ix.rebuild(conn) == 30
        assert contents() == incremental
        assert sorted(_ids(conn, "钙钛矿", limit=100)) == hits
        assert len(hits) == 29


def test_deferred_long_texts_are_searchable_after_completion_and_deletable_before(engine: Engine) -> None:
    rows = [_achievement(n, f"标题{n}", f"摘要讲钙钛矿{n}", inventors=["王磊"]) for n in range(1, 6)]
    with engine.begin() as conn:
        ix.ensure_index(conn)
        _insert(conn, "achievement", rows)
        ix.index_rows(conn, "achievement", rows, defer_long=True)
        assert ix.deferred_count(conn) == 5
        assert len(_ids(conn, "标题")) == 5 and len(_ids(conn, "王磊")) == 5  # short fields: at once
        assert _ids(conn, "钙钛矿") == []
        # A deferred document can be re-indexed and removed: its FTS row is deleted with the tokens it holds.
        ix.reindex_rows(conn, "achievement", ["a0001"])
        ix.remove_rows(conn, "achievement", ["a0002"])
        assert ix.deferred_count(conn) == 3
        assert ix.complete_deferred(conn, limit=2) == 2
        assert ix.complete_deferred(conn, limit=2) == 1
        assert ix.complete_deferred(conn) == 0
        assert sorted(_ids(conn, "钙钛矿")) == ["a0001", "a0003", "a0004", "a0005"]
        incremental = sorted(_ids(conn, "钙钛矿"))
        conn.exec_driver_sql(f"INSERT INTO {ix.FTS} ({ix.FTS}) VALUES ('integrity-check')")
        table = ENTITY_TABLES["achievement"]
        conn.execute(table.update().where(table.c.id == "a0002").values(deleted=True))
        assert ix.rebuild(conn) == 4
        assert sorted(_ids(conn, "钙钛矿")) == incremental and sorted(_ids(conn, "王磊")) == incremental

def _doc_ids(conn: Connection) -> dict[str, int]:
    return {str(r[0]): int(r[1]) for r in conn.exec_driver_sql(f"SELECT row_id, doc_id FROM {ix.DOC}")}


def test_a_row_indexed_again_unchanged_keeps_its_document_and_is_not_tokenized(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full copy over a masked one at the same version (or a bucket pulled again) changes nothing searchable."""
    rows = [_achievement(n, f"标题{n}", f"摘要讲钙钛矿{n}") for n in range(1, 4)]
    with engine.begin() as conn:
        ix.ensure_index(conn)
        _insert(conn, "achievement", rows)
        ix.index_rows(conn, "achievement", rows)
        before = _doc_ids(conn)
        with monkeypatch.context() as patched:
            patched.setattr(search_text, "tokenize", lambda texts: pytest.fail("tokenized an unchanged row"))
            ix.index_rows(conn, "achievement", [{**r, "price": 9.0} for r in rows])  # not an indexed field
        assert _doc_ids(conn) == before
        changed = {**rows[0], "updated_at": "2025-02-01T00:00:00Z"}  # a newer version of the same text
        ix.index_rows(conn, "achievement", [changed])
        after = _doc_ids(conn)
        assert after["a0001"] > max(before.values()) and after["a0002"] == before["a0002"]
        assert sorted(_ids(conn, "钙钛矿")) == ["a0001", "a0002", "a0003"]
        conn.exec_driver_sql(f"INSERT INTO {ix.FTS} ({ix.FTS}) VALUES ('integrity-check')")


def test_a_row_whose_summary_changed_tokenizes_its_other_texts_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forgetting a document needs its old tokens; the texts that did not change are tokenized once for the
    delete and the insert (three rows: each title, old and new summary, and the empty by/field text once)."""
    rows = [_achievement(n, f"标题{n}", f"摘要讲钙钛矿{n}") for n in range(1, 4)]
    with engine.begin() as conn:
        ix.ensure_index(conn)
        _insert(conn, "achievement", rows)
        ix.index_rows(conn, "achievement", rows)
        tokenized: list[str] = []
        real = search_text.tokenize

        def spy(texts: list[str]) -> search_text.Columns:
            tokenized.extend(texts)
            return real(texts)

        monkeypatch.setattr(search_text, "tokenize", spy)
        ix.index_rows(conn, "achievement", [{**r, "summary": f"新摘要讲薄膜{r['id']}",
                                             "updated_at": "2025-02-01T00:00:00Z"} for r in rows])
        assert len(tokenized) == 3 * 3 + 1 and len(set(tokenized)) == len(tokenized)
        assert _ids(conn, "钙钛矿") == [] and sorted(_ids(conn, "薄膜")) == ["a0001", "a0002", "a0003"]
        assert sorted(_ids(conn, "标题")) == ["a0001", "a0002", "a0003"]
        conn.exec_driver_sql(f"INSERT INTO {ix.FTS} ({ix.FTS}) VALUES ('integrity-check')")


def test_ensure_index_replaces_an_older_version(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE search_doc_v0 (x)")
        conn.exec_driver_sql("CREATE VIRTUAL TABLE search_fts_v0 USING fts5(a)")
        _insert(conn, "achievement", [_achievement(1, "光学元件")])
        assert ix.ensure_index(conn) is True
        assert ix.ensure_index(conn) is False
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert not {"search_doc_v0", "search_fts_v0"} & names
        assert _ids(conn, "光学") == ["a0001"]


@pytest.fixture
def many(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Connection]:
    """40 achievements, with the big-result-set limits lowered so the streamed paths run."""
    monkeypatch.setattr(S, "RANK_LIMIT", 5)
    rows = [_achievement(i, f"标题{i:02d}控制" if i % 4 == 0 else f"标题{i:02d}", "正文讲控制系统", trl=i % 9 + 1)
            for i in range(40)]
    with engine.begin() as conn:
        _insert(conn, "achievement", rows)
        ix.rebuild(conn)
        yield conn


def test_big_sets_rank_title_hits_first_then_newest(many: Connection) -> None:
    found = _ids(many, "控制", limit=40)
    title_hits = [f"a{i:04d}" for i in range(39, -1, -1) if i % 4 == 0]
    assert found[:10] == title_hits
    assert found[10:] == [f"a{i:04d}" for i in range(39, -1, -1) if i % 4]


def test_big_sets_sort_by_title_and_newest_and_page(many: Connection) -> None:
    by_title = [f"a{i:04d}" for i in range(40)]  # 标题00控制 < 标题01 < ... < 标题39
    assert _ids(many, "控制", sort="title", limit=40) == by_title
    assert _ids(many, "控制", sort="newest", limit=40) == by_title[::-1]
    paged = [i for o in range(0, 40, 7) for i in _ids(many, "控制", sort="newest", limit=7, offset=o)]
    assert paged == by_title[::-1]


def test_totals_are_exact_with_filters_and_pages_follow_them(many: Connection) -> None:
    filters = S.SearchFilters(trl_min=2, trl_max=8)
    expected = [f"a{i:04d}" for i in range(39, -1, -1) if 2 <= i % 9 + 1 <= 8]
    page = S.query_index(many, "控制", ["achievement"], filters, S.SearchSort.NEWEST, 50, 0)
    assert (page.total, page.total_capped) == (len(expected), False)
    assert [h.id for h in page.hits] == expected
    browse = S.query_index(many, "", ["achievement"], filters, S.SearchSort.TITLE, 50, 0)
    assert [h.id for h in browse.hits] == sorted(expected)
    assert S.query_index(many, "控制", ["expert"], S.SearchFilters(), S.SearchSort.RELEVANCE, 50, 0).total == 0


@pytest.mark.parametrize("sort", ["relevance", "newest", "title"])
def test_the_entities_left_out_are_dropped_when_they_are_fewer(many: Connection, sort: str) -> None:
    """40 achievements and 2 experts: "achievements only" leaves the experts out (NOT) instead of ANDing the
    achievement token, whose doclist is nearly every document; the page and its totals are the same."""
    _insert(many, "expert", [{"id": f"e{n}", "name": f"控制专家{n}", "unit": "控制研究所", "deleted": False,
                              "updated_at": "2025-01-02T00:00:00Z"} for n in (1, 2)])
    ix.rebuild(many)
    narrowing, _ = S._filter_match(many, ["achievement"], S.SearchFilters(), True)
    assert narrowing.drop is not None and narrowing.keep is None
    assert S._filter_match(many, ["expert"], S.SearchFilters(), True)[0].drop is None
    expected = sorted(f"a{i:04d}" for i in range(40))
    for filters in (S.SearchFilters(), S.SearchFilters(trl_min=3), S.SearchFilters(region_prefix="22")):
        page = S.query_index(many, "控制", ["achievement"], filters, S.SearchSort(sort), 50, 0)
        wanted = [i for i in expected if filters.trl_min is None or int(i[1:]) % 9 + 1 >= 3]
        wanted = [] if filters.region_prefix else wanted  # no institution, so no region
        assert (page.total, sorted(h.id for h in page.hits)) == (len(wanted), wanted)
    experts = S.query_index(many, "控制", ["expert"], S.SearchFilters(), S.SearchSort(sort), 50, 0)
    assert sorted(h.id for h in experts.hits) == ["e1", "e2"]
    both = S.query_index(many, "控制", ["achievement", "expert"], S.SearchFilters(), S.SearchSort(sort), 50, 0)
    assert both.total == 42


def test_entity_sizes_are_counted_or_sampled_and_still_choose(many: Connection,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The sizes only choose between AND and NOT: counted per entity through an index up to SIZE_CAP documents,
    estimated above it from the entities of SIZE_SAMPLE doc ids spread over the index (never a scan of every
    document), the bigger one still the bigger."""
    _insert(many, "expert", [{"id": f"e{n}", "name": f"控制专家{n}", "deleted": False,
                              "updated_at": "2025-01-02T00:00:00Z"} for n in (1, 2)])
    ix.rebuild(many)
    exact = {"achievement": 40, "demand": 0, "expert": 2, "institution": 0}
    monkeypatch.setattr(S, "_SIZES", {})
    assert S._entity_sizes(many) == exact  # counted: 42 documents
    monkeypatch.setattr(S, "SIZE_CAP", 10)
    monkeypatch.setattr(S, "_SIZES", {})
    assert S._entity_sizes(many) == exact  # sampled, but the sample holds every one of the 42 doc ids
    monkeypatch.setattr(S, "SIZE_SAMPLE", 8)
    monkeypatch.setattr(S, "_SIZES", {})
    sizes = S._entity_sizes(many)  # 8 of 42 doc ids: an estimate
    assert sizes["achievement"] >= 30 and sizes["achievement"] > sizes["expert"] and sizes["demand"] == 0
    assert S._filter_match(many, ["achievement"], S.SearchFilters(), True)[0].drop is not None
    assert S.query_index(many, "控制", ["achievement"], S.SearchFilters(), S.SearchSort.RELEVANCE, 50, 0).total == 40


def test_facet_tokens_cannot_be_typed() -> None:
    token = search_text.facet("entity", "achievement")
    assert search_text.translate(token, "{u}", "{b}").match == '{u} : "achievement" *'


def _fts_pages(conn: Connection) -> int:
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {ix.FTS}_data").scalar_one())


def test_writes_do_not_merge_and_tidy_merges_later(engine: Engine) -> None:
    rows = [{**r, "updated_at": "2025-01-01T00:00:00Z", "deleted": False}
            for r in itertools.islice(achievements_only(360, seed=5), 360)]
    with engine.begin() as conn:
        ix.ensure_index(conn)
    pages = []
    for first in range(0, 360, 30):  # twelve syncs' worth of writes, one commit each
        with engine.begin() as conn:
            _insert(conn, "achievement", rows[first : first + 30])
            ix.index_rows(conn, "achievement", rows[first : first + 30])
            pages.append(_fts_pages(conn))
    assert pages == sorted(set(pages))  # no commit merged (FTS5's automerge would, from the fifth segment on)
    with engine.begin() as conn:
        before = (_fts_pages(conn), _ids(conn, "激光", limit=400), _ids(conn, "材料", limit=400))
        ix.tidy(conn)
        assert _fts_pages(conn) < before[0]  # segments merged into fewer
        assert (_ids(conn, "激光", limit=400), _ids(conn, "材料", limit=400)) == before[1:] and before[1]


def test_tidy_turns_automerge_off_in_an_index_made_before(engine: Engine) -> None:
    with engine.begin() as conn:
        ix.ensure_index(conn)
        conn.exec_driver_sql(f"INSERT INTO {ix.FTS} ({ix.FTS}, rank) VALUES ('automerge', 4)")
        ix.tidy(conn)
        assert conn.exec_driver_sql(f"SELECT v FROM {ix.FTS}_config WHERE k = 'automerge'").scalar() == 0


def test_title_order_across_entities_merges_each_entitys_walk(many: Connection) -> None:
    """Title order over several entities without an index on the title alone: each entity's (entity, title) walk,
    merged and paged by SQLite without sorting, as sorting all the documents by title; exact titles in any entity."""
    _insert(many, "expert", [{"id": f"e{n}", "name": f"标题{n:02d}控制专家", "unit": "控制研究所", "deleted": False,
                              "updated_at": "2025-01-02T00:00:00Z"} for n in (5, 17, 30)])
    _insert(many, "institution", [{"id": "i1", "name": "标题21", "deleted": False,
                                   "updated_at": "2025-01-03T00:00:00Z"}])
    ix.rebuild(many)
    docs = many.exec_driver_sql(f"SELECT row_id, title, doc_id, entity FROM {ix.DOC}").all()
    everything = [r[0] for r in sorted(docs, key=lambda r: (r[1], r[2]))]
    with_text = [r[0] for r in sorted(docs, key=lambda r: (r[1], r[2])) if "控制" in r[1] or r[3] == "achievement"]

    def paged(query: str, entities: list[str]) -> list[str]:
        return [h.id for o in range(0, 50, 6)
                for h in S.query_index(many, query, entities, S.SearchFilters(), S.SearchSort.TITLE, 6, o).hits]

    assert paged("", list(ix.SEARCH_ENTITIES)) == everything
    assert paged("控制", ["achievement", "expert"]) == with_text  # more than RANK_LIMIT: the index walks
    assert paged("", ["expert"]) == ["e5", "e17", "e30"]
    plan = " ".join(str(r[3]) for r in many.exec_driver_sql(
        "EXPLAIN QUERY PLAN " + " UNION ALL ".join([f"SELECT doc_id, title FROM {ix.DOC} WHERE entity = ?"] * 4)
        + " ORDER BY title, doc_id LIMIT 10", ix.SEARCH_ENTITIES))
    assert "MERGE" in plan and "TEMP B-TREE" not in plan, plan
    page = S.query_index(many, "标题21", list(ix.SEARCH_ENTITIES), S.SearchFilters(), S.SearchSort.RELEVANCE, 5, 0)
    assert [h.id for h in page.hits][:2] == ["i1", "a0021"]  # the exact titles first (two entities), newest first
