"""Search totals counted up to a cap: above it a page says "more than", its hits and paging stay the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import records as R
from specialist_app.services import search as S
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store, open_store

OWN, BY = 12, 6  # achievements with 玉米 in their own title, and found only by their owner's name


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "store.sqlite3")
    with UnitOfWork(s) as uow:
        inst = R.create(uow, "institution", {"name": "吉林省玉米研究所", "org_type": "institute",
                                             "region_code": "220102"})
        R.create(uow, "institution", {"name": "长春大豆中心", "org_type": "institute", "region_code": "220104"})
        R.create(uow, "achievement", {"title": "玉米", "institution_id": inst, "trl": 5})  # an exact title
        for n in range(OWN - 1):
            R.create(uow, "achievement", {"title": f"玉米育种技术{n}", "institution_id": inst, "trl": 3 + n % 5,
                                          "summary": "玉米" * (1 + n % 3)})
        for n in range(BY):
            R.create(uow, "achievement", {"title": f"大豆栽培方法{n}", "institution_id": inst, "trl": 4})
        R.create(uow, "expert", {"name": "王玉米", "unit": "吉林大学", "discipline": "作物学"})
        uow.commit()
    yield s
    s.close()


def _search(store: Store, query: str, **kw: Any) -> S.SearchPage:
    with UnitOfWork(store) as uow:
        return S.search(uow, query, **kw)


def _pages(store: Store, query: str, step: int, **kw: Any) -> tuple[list[S.SearchPage], list[tuple[str, float, bool]]]:
    """Every page of a search, `step` hits at a time, until one comes back short."""
    pages: list[S.SearchPage] = []
    while not pages or len(pages[-1].hits) == step:
        pages.append(_search(store, query, limit=step, offset=step * len(pages), **kw))
    return pages, [(h.id, h.score, h.by_only) for p in pages for h in p.hits]


def test_above_the_cap_the_total_is_more_than_the_cap_and_paging_reaches_every_row(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    exact, _ = _pages(store, "玉米", 5, entities=["achievement"])
    assert (exact[0].total, exact[0].total_capped, exact[0].total_text, exact[0].total_by) == (OWN + BY, False,
                                                                                                OWN, BY)
    monkeypatch.setattr(S, "COUNT_CAP", 10)
    pages, hits = _pages(store, "玉米", 5, entities=["achievement"])
    assert [(p.total, p.total_capped, p.total_text, p.total_by) for p in pages] == [(10, True, None, None)] * 4
    assert [len(p.hits) for p in pages] == [5, 5, 5, 3]  # on past the cap while pages come back full
    assert hits == [(h.id, h.score, h.by_only) for p in exact for h in p.hits]  # the same hits in the same order
    assert pages[0].hits[0].title == "玉米" and sum(b for _, _, b in hits) == BY


@pytest.mark.parametrize("cap", [OWN + BY - 1, OWN + BY])
def test_at_the_cap_the_count_is_exact_and_one_more_is_capped(
        store: Store, monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    monkeypatch.setattr(S, "COUNT_CAP", cap)
    page = _search(store, "玉米", entities=["achievement"])
    if cap == OWN + BY:
        assert (page.total, page.total_capped, page.total_text, page.total_by) == (OWN + BY, False, OWN, BY)
    else:
        assert (page.total, page.total_capped, page.total_text, page.total_by) == (cap, True, None, None)


@pytest.mark.parametrize("kw", [
    {},  # all entities
    {"entities": ["achievement"], "sort": "newest"},
    {"entities": ["achievement"], "sort": "title"},
    {"entities": ["achievement", "expert"]},
    {"entities": ["achievement"], "filters": S.SearchFilters(trl_min=4)},
    {"entities": ["achievement"], "filters": S.SearchFilters(org_types=("institute",), region_prefix="22")},
    {"filters": S.SearchFilters(region_prefix="220")},  # a prefix of the region facet
])
def test_every_match_form_is_capped_with_the_same_hits(
        store: Store, monkeypatch: pytest.MonkeyPatch, kw: dict[str, Any]) -> None:
    for query in ("玉米", ""):  # a query, and browsing (everything or the entity's list, filtered)
        _, exact_hits = _pages(store, query, 4, **kw)
        assert len(exact_hits) > 5, (query, kw)
        monkeypatch.setattr(S, "COUNT_CAP", 5)
        monkeypatch.setattr(S, "BROWSE_COUNT_CAP", 5)
        pages, hits = _pages(store, query, 4, **kw)
        monkeypatch.undo()
        assert hits == exact_hits, (query, kw)
        assert {(p.total, p.total_capped) for p in pages} == {(5, True)}, (query, kw)


def test_a_capped_count_keeps_the_big_set_order_of_the_uncapped_one(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below RANK_LIMIT matches a page is ranked by bm25, whatever the cap (the order never depends on it)."""
    monkeypatch.setattr(S, "COUNT_CAP", 3)
    page = _search(store, "玉米", entities=["achievement"], limit=50)
    assert page.total_capped and all(h.score not in (2.0, 1.0, 0.5) for h in page.hits[1:])  # bm25, not tiers


def test_browsing_counts_on_to_its_own_cap(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The list as it opens (no query, filtered or not) says how many there are up to BROWSE_COUNT_CAP, where a
    typed query stops counting at COUNT_CAP."""
    monkeypatch.setattr(S, "COUNT_CAP", 5)
    typed = _search(store, "玉米", entities=["achievement"])
    assert (typed.total, typed.total_capped) == (5, True)
    browsed = _search(store, "", entities=["achievement"])
    assert (browsed.total, browsed.total_capped, browsed.total_text) == (OWN + BY, False, OWN + BY)
    filtered = _search(store, "", entities=["achievement"], filters=S.SearchFilters(trl_min=4))
    assert not filtered.total_capped and filtered.total == sum(
        1 for p in _pages(store, "", 4, entities=["achievement"], filters=S.SearchFilters(trl_min=4))[0]
        for _ in p.hits)
    monkeypatch.setattr(S, "BROWSE_COUNT_CAP", OWN + BY - 1)
    assert _search(store, "", entities=["achievement"]).total_capped
