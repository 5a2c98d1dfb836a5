"""Catalog search through the record services on a real store file: substrings, keywords, filters, paging."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import records as R
from specialist_app.services.search import SearchFilters, SearchPage, SearchSort, search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import search_index
from specialist_app.store.db import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "store.sqlite3")
    yield s
    s.close()


@pytest.fixture
def ids(store: Store) -> dict[str, str]:
    """A small catalog: three institutions, four achievements, a demand, an expert."""
    out: dict[str, str] = {}
    with UnitOfWork(store) as uow:
        out["I1"] = R.create(uow, "institution", {
            "name": "吉林大学", "org_type": "university", "region_code": "220102"})
        out["I2"] = R.create(uow, "institution", {
            "name": "中国科学院长春光学精密机械与物理研究所", "org_type": "institute", "region_code": "220104"})
        out["I3"] = R.create(uow, "institution", {
            "name": "吉林化纤集团有限责任公司", "org_type": "enterprise", "region_code": "220204"})
        out["A1"] = R.create(uow, "achievement", {
            "title": "高效钙钛矿太阳能电池制备技术", "institution_id": out["I1"], "keywords": ["钙钛矿", "光伏"],
            "trl": 6, "transfer_modes": ["license"], "domain": "新能源",
            "summary": "采用溶液法制备大面积钙钛矿薄膜，转换效率达到22%，可为5G基站供电。"})
        out["A2"] = R.create(uow, "achievement", {
            "title": "基于PLC的智能灌溉控制系统", "institution_id": out["I3"], "keywords": ["PLC", "节水灌溉"],
            "trl": 8, "transfer_modes": ["transfer"], "domain": "现代农业",
            "summary": "系统采用PLC控制，实现精准灌溉。"})
        out["A3"] = R.create(uow, "achievement", {
            "title": "CRISPR基因编辑玉米育种方法", "institution_id": out["I1"], "keywords": ["CRISPR", "玉米"],
            "trl": 3, "transfer_modes": ["joint_dev"], "domain": "生物育种"})
        out["A4"] = R.create(uow, "achievement", {
            "title": "光学元件超精密加工装备", "institution_id": out["I2"], "trl": 7,
            "transfer_modes": ["license", "service"], "domain": "高端装备", "summary": "面向空间光学系统的镜面加工。"})
        out["D1"] = R.create(uow, "demand", {
            "title": "汽车零部件表面涂层技术需求", "institution_id": out["I3"], "problem": "涂层耐磨性不足",
            "industry": "汽车制造", "coop_modes": ["joint_dev"], "demand_type": "tackling"})
        out["E1"] = R.create(uow, "expert", {
            "name": "王光明", "unit": "吉林大学", "discipline": "材料科学", "specialties": "钙钛矿材料与光伏器件"})
        uow.commit()
    return out


def _search(store: Store, query: str, **kw: Any) -> SearchPage:
    with UnitOfWork(store) as uow:
        return search(uow, query, **kw)


def _found(store: Store, query: str, **kw: Any) -> set[str]:
    return {h.id for h in _search(store, query, limit=200, **kw).hits}


def _names(ids: dict[str, str], found: set[str]) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    return {by_id[i] for i in found}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("矿", {"A1", "E1"}),  # 1 character: title, keywords, an expert's specialties
        ("鑫", set()),
        ("玉米", {"A3"}),  # 2 characters
        ("米玉", set()),
        ("钛矿太阳", {"A1"}),  # 4 characters across several bigrams
        ("太阳电能", set()),
        ("薄膜转换", set()),  # both halves occur, but a comma separates them in the text
        ("钙钛矿光伏", set()),  # two keywords in a row are two fields, not one text
        ("光学精密", {"I2", "A4"}),  # an achievement is found by its owner institution's name
    ],
)
def test_chinese_substrings(store: Store, ids: dict[str, str], query: str, expected: set[str]) -> None:
    page = _search(store, query)
    assert _names(ids, {h.id for h in page.hits}) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plc", {"A2"}),
        ("PL", {"A2"}),  # prefix
        ("ＰＬＣ", {"A2"}),  # full-width letters
        ("5g", {"A1"}),
        ("crispr", {"A3"}),
        ("plcx", set()),
        ("PLC 灌溉", {"A2"}),  # mixed query: every part must match
        ("PLC 玉米", set()),
        ("CRISPR玉米", {"A3"}),  # no space needed between a word and Chinese
    ],
)
def test_keywords_and_mixed(store: Store, ids: dict[str, str], query: str, expected: set[str]) -> None:
    assert _names(ids, _found(store, query)) == expected


def test_hits_carry_title_subtitle_snippet_and_entity(store: Store, ids: dict[str, str]) -> None:
    [hit] = _search(store, "灌溉控制").hits
    assert (hit.entity, hit.id, hit.title) == ("achievement", ids["A2"], "基于PLC的智能灌溉控制系统")
    assert "吉林化纤集团有限责任公司" in hit.subtitle
    assert hit.score > 0


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"entities": ["demand"]}, {"D1"}),
        ({"filters": SearchFilters(org_types=("university",))}, {"I1", "A1", "A3"}),
        ({"filters": SearchFilters(field_text="农业")}, {"A2"}),
        ({"filters": SearchFilters(trl_min=6, trl_max=7)}, {"A1", "A4"}),
        ({"filters": SearchFilters(trl_min=8)}, {"A2"}),
        ({"filters": SearchFilters(transfer_modes=("license",))}, {"A1", "A4"}),
        ({"filters": SearchFilters(transfer_modes=("joint_dev", "transfer"))}, {"A2", "A3", "D1"}),
        ({"filters": SearchFilters(trl_max=3)}, {"A3"}),
        ({"entities": ["achievement"], "filters": SearchFilters(trl_min=6)}, {"A1", "A2", "A4"}),
        ({"entities": ["expert", "demand"], "filters": SearchFilters(trl_min=1)}, set()),
        ({"filters": SearchFilters(trl_min=7, trl_max=6)}, set()),
        ({"filters": SearchFilters(region_prefix="2201")}, {"I1", "I2", "A1", "A3", "A4"}),
        ({"filters": SearchFilters(region_prefix="220204")}, {"I3", "A2", "D1"}),
        ({"filters": SearchFilters(region_prefix="220")}, {"I1", "I2", "I3", "A1", "A2", "A3", "A4", "D1"}),
        ({"filters": SearchFilters(region_prefix="长春")}, set()),
        ({"filters": SearchFilters(region_prefix="2202", org_types=("enterprise",))}, {"I3", "A2", "D1"}),
    ],
)
def test_filters(store: Store, ids: dict[str, str], kw: dict[str, Any], expected: set[str]) -> None:
    assert _names(ids, _found(store, "", **kw)) == expected
    # The same filter combined with a query that matches many records.
    assert _names(ids, _found(store, "技术 需求", **kw)) == expected & {"D1"}


def test_paging_covers_everything_once(store: Store, ids: dict[str, str]) -> None:
    pages = [_search(store, "", entities=["achievement"], sort="title", limit=3, offset=o) for o in (0, 3, 6)]
    seen = [h.id for p in pages for h in p.hits]
    assert sorted(seen) == sorted(ids[k] for k in ("A1", "A2", "A3", "A4"))
    assert [p.total for p in pages] == [4, 4, 4]
    assert [h.title for p in pages for h in p.hits] == sorted(h.title for p in pages for h in p.hits)


def test_deleted_rows_are_never_found(store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        R.delete(uow, "achievement", ids["A3"])
        uow.commit()
    assert _found(store, "玉米") == set()
    assert ids["A3"] not in _found(store, "", entities=["achievement"])
    assert _search(store, "crispr").total == 0


def test_updates_are_reindexed_and_come_first_when_newest(store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        R.update(uow, "achievement", ids["A2"], {"title": "滴灌水肥一体化装置"})
        uow.commit()
    assert _found(store, "智能") == set()
    assert _names(ids, _found(store, "水肥")) == {"A2"}
    assert _search(store, "", sort=SearchSort.NEWEST).hits[0].id == ids["A2"]


def test_institution_rename_reaches_its_achievements_and_demands(store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        R.update(uow, "institution", ids["I3"], {"name": "吉林碳纤维集团"})
        uow.commit()
    assert _names(ids, _found(store, "碳纤维")) == {"I3", "A2", "D1"}
    assert _found(store, "化纤") == set()


@pytest.mark.parametrize(
    "query", ['"', "*", "AND", "(", "-", ":", "NOT 光", '"光', "a:b", "^", "NEAR(", "{title_uni}:光", ")", "'", "光*"]
)
def test_fts_syntax_in_the_query_never_raises(store: Store, ids: dict[str, str], query: str) -> None:
    page = _search(store, query)
    assert page.total == len(page.hits)


def test_rebuild_gives_the_same_results_as_incremental_indexing(store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        R.update(uow, "achievement", ids["A1"], {"keywords": ["钙钛矿", "薄膜电池"]})
        R.delete(uow, "demand", ids["D1"])
        uow.commit()
    queries = ["", "光", "电池", "钙钛矿", "plc", "吉林", "加工装备"]
    sorts = list(SearchSort)

    def snapshot() -> list[tuple[str, str, int, list[tuple[str, str, str, str, float]]]]:
        # Same hits, totals and scores; the order of equal-scored hits may differ (a rebuild numbers
        # documents by updated_at, which has one-second resolution), except in title order.
        out = []
        for q in queries:
            for sort in sorts:
                page = _search(store, q, sort=sort)
                hits = [(h.id, h.title, h.subtitle, h.snippet, round(h.score, 9)) for h in page.hits]
                out.append((q, sort.value, page.total, hits if sort is SearchSort.TITLE else sorted(hits)))
        return out

    incremental = snapshot()
    with UnitOfWork(store) as uow:
        assert search_index.rebuild(uow.conn) == 8  # 3 institutions, 4 achievements, 1 expert
        uow.commit()
    assert snapshot() == incremental


def _add(store: Store, entity: str, values: dict[str, Any]) -> str:
    with UnitOfWork(store) as uow:
        new_id = R.create(uow, entity, values)
        uow.commit()
    return new_id


def test_traditional_characters_find_simplified_text(store: Store, ids: dict[str, str]) -> None:
    assert _names(ids, _found(store, "太陽能電池")) == {"A1"}
    assert _names(ids, _found(store, "鈣鈦礦")) == {"A1", "E1"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("jldx", {"I1"}), ("JLDX", {"I1"}), ("jilin", {"I1", "I3"}), ("daxue", {"I1"}), ("wgm", {"E1"}),
     ("wangguangming", {"E1"}), ("jlhx", {"I3"})],
)
def test_names_of_institutions_and_experts_are_found_by_pinyin(
        store: Store, ids: dict[str, str], query: str, expected: set[str]) -> None:
    assert _names(ids, _found(store, query)) == expected


def test_a_chinese_typo_gets_a_suggestion_that_finds_something(store: Store, ids: dict[str, str]) -> None:
    _add(store, "achievement", {"title": "基于神经网络的故障诊断方法", "institution_id": ids["I1"]})
    _add(store, "achievement", {"title": "卷积神经网络图像识别", "institution_id": ids["I2"]})
    page = _search(store, "神经网路")
    assert (page.total, page.suggestion) == (0, "神经网络")
    assert _search(store, page.suggestion).total == 2
    assert _search(store, "神经网络").suggestion is None  # found: no suggestion


def test_latin_inside_a_longer_word_is_found(store: Store, ids: dict[str, str]) -> None:
    a = _add(store, "achievement", {"title": "mRNA疫苗递送载体", "institution_id": ids["I1"],
                                    "summary": "采用rDNA技术与BiFeO3薄膜传感。"})
    for query in ("RNA", "rna", "DNA", "Fe", "feo3", "mRNA"):
        assert a in _found(store, query), query
    assert a not in _found(store, "rnb")


@pytest.mark.parametrize("query", ["%", "+", "≥", "（", "% + ≥", "——"])
def test_a_query_of_symbols_only_finds_nothing_and_says_so(store: Store, ids: dict[str, str], query: str) -> None:
    page = _search(store, query)
    assert (page.total, page.hits, page.unsearchable) == (0, (), True)
    assert _search(store, "").total == len(ids)  # an empty query still lists everything


def test_text_after_the_first_thousand_characters_of_a_summary_is_found(store: Store, ids: dict[str, str]) -> None:
    a = _add(store, "achievement", {"title": "长文本成果", "institution_id": ids["I1"],
                                    "summary": "本项目研究内容。" * 250 + "末尾独有的氢燃料电堆"})
    assert _found(store, "氢燃料电堆") == {a}


def test_hits_only_by_institution_or_people_are_counted_apart_and_ranked_last(
        store: Store, ids: dict[str, str]) -> None:
    page = _search(store, "吉林大学")
    assert (page.total, page.total_text, page.total_by) == (4, 1, 3)
    assert page.hits[0].id == ids["I1"] and not page.hits[0].by_only
    assert _names(ids, {h.id for h in page.hits[1:]}) == {"A1", "A3", "E1"}
    assert all(h.by_only for h in page.hits[1:])
    page = _search(store, "光学")  # own text of I2 and A4 (title and summary) and, for A4, its owner too
    assert page.total_by == 0 and _names(ids, {h.id for h in page.hits}) == {"I2", "A4"}


def test_achievements_are_found_by_every_completing_unit(store: Store, ids: dict[str, str]) -> None:
    a = _add(store, "achievement", {"title": "玉米秸秆还田机械", "institution_id": ids["I1"],
                                    "completing_units": ["吉林农业大学", "长春理工大学"], "inventors": ["李四"]})
    for query in ("长春理工", "吉林农业大学", "李四"):
        page = _search(store, query)
        assert [(h.id, h.by_only) for h in page.hits] == [(a, True)], query
        assert (page.total_text, page.total_by) == (0, 1)


def test_an_exact_title_comes_first(store: Store, ids: dict[str, str]) -> None:
    # A long summary and no keywords: bm25 alone ranks it below the shorter records that repeat its title.
    exact = _add(store, "achievement", {"title": "梅花鹿病虫害绿色防控装置及方法", "institution_id": ids["I1"],
                                        "summary": "养殖场鹿舍的日常管理与饲喂记录。" * 60})
    for n in range(3):
        _add(store, "achievement", {
            "title": f"梅花鹿病虫害绿色防控装置及方法的改进{n}", "institution_id": ids["I2"],
            "keywords": ["梅花鹿病虫害绿色防控装置及方法"], "summary": "梅花鹿病虫害绿色防控装置及方法。" * 3})
    page = _search(store, "梅花鹿病虫害绿色防控装置及方法")
    assert page.total == 4 and page.hits[0].id == exact
    assert [h.id for h in _search(store, "梅花鹿病虫害绿色防控装置及方法", limit=1, offset=1).hits] == [
        page.hits[1].id]


def test_a_homophone_typo_is_corrected_to_the_word_that_sounds_alike(store: Store, ids: dict[str, str]) -> None:
    for title in ("有限元模型分析方法", "有限元模型修正技术", "有限元法计算平台"):
        _add(store, "achievement", {"title": title, "institution_id": ids["I1"]})
    assert _search(store, "有限元发").suggestion == "有限元法"  # fa for fa, though 有限元模 is more common
    assert _search(store, "有限元法计算平台的数值仿真与优化").suggestion is None  # long text: no suggestion
