"""Matching on a real store file: demand -> achievements and experts, achievement -> demands, with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from specialist_app.matching import engine
from specialist_app.matching import profile as P
from specialist_app.matching.reasons import render
from specialist_app.services import records as R
from specialist_app.services.search import prepare_index
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "store.sqlite3")
    yield s
    s.close()


@pytest.fixture
def ids(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    with UnitOfWork(store) as uow:
        out["changchun"] = R.create(uow, "institution", {"name": "吉林大学", "org_type": "university",
                                                         "region_code": "220102"})
        out["jilin"] = R.create(uow, "institution", {"name": "吉林化纤集团有限责任公司", "org_type": "enterprise",
                                                     "region_code": "220204"})
        out["far"] = R.create(uow, "institution", {"name": "广州某研究院", "org_type": "institute",
                                                   "region_code": "440104"})
        out["D"] = R.create(uow, "demand", {
            "title": "玉米秸秆综合利用技术需求", "institution_id": out["jilin"], "demand_type": "adoption",
            "problem": "玉米秸秆综合利用率低，现有酶法糖化工艺能耗高，希望引进秸秆酶解制备功能糖的成熟技术。",
            "keywords": ["秸秆综合利用", "酶解"], "industry": "农产品加工", "budget": 200.0,
            "coop_modes": ["transfer", "license"]})
        out["good"] = R.create(uow, "achievement", {
            "title": "玉米秸秆酶解制备低聚木糖技术", "institution_id": out["changchun"], "trl": 7,
            "keywords": ["秸秆综合利用", "低聚木糖", "酶解"], "domain": "农产品加工",
            "summary": "以玉米秸秆为原料，经预处理和酶解制备低聚木糖，酶法糖化能耗降低30%。",
            "transfer_modes": ["license"], "price_mode": "fixed", "price": 150.0})
        out["early"] = R.create(uow, "achievement", {
            "title": "秸秆纤维素酶解机理研究", "institution_id": out["far"], "trl": 2,
            "keywords": ["酶解", "纤维素"], "domain": "生物化工", "summary": "研究了秸秆纤维素的酶解动力学。",
            "transfer_modes": ["joint_dev"], "price_mode": "fixed", "price": 500.0})
        out["other"] = R.create(uow, "achievement", {
            "title": "汽车铝合金副车架轻量化设计", "institution_id": out["changchun"], "trl": 8,
            "keywords": ["汽车轻量化"], "domain": "汽车制造", "summary": "采用拓扑优化设计铝合金副车架。"})
        out["expert"] = R.create(uow, "expert", {
            "name": "王秸秆", "unit": "吉林农业大学", "discipline": "农产品加工及贮藏工程",
            "specialties": "玉米秸秆综合利用与酶解制备功能糖"})
        out["expert2"] = R.create(uow, "expert", {"name": "李汽车", "specialties": "汽车轻量化设计"})
        uow.commit()
    prepare_index(store)
    return out


def _suggest(store: Store, source: str, source_id: str, target: str) -> engine.Result:
    with ReadUnitOfWork(store) as read:
        result = engine.suggest(read.conn, source, source_id, target)
    assert result is not None
    return result


def test_demand_to_achievements_ranks_the_fitting_one_first_with_reasons(store: Store, ids: dict[str, str]) -> None:
    result = _suggest(store, "demand", ids["D"], "achievement")
    order = [s.id for s in result.suggestions]
    assert order == [ids["good"], ids["early"]]  # the car part shares no word: not suggested
    best, early = result.suggestions
    codes = {r.code for r in best.reasons}
    assert {"shared_terms", "same_field", "trl_mature", "modes_fit", "within_budget", "same_province"} <= codes
    assert "秸秆综合利用" in best.shared and "酶解" in best.shared
    against = {r.code for r in early.reasons if r.against}
    assert against == {"trl_early", "modes_differ", "over_budget"}
    texts = [render(r, "zh_CN") for r in best.reasons]
    assert any("共同关键词" in t and "秸秆综合利用" in t for t in texts)
    assert any("技术许可" not in t and "许可" in t for t in texts)  # transfer mode shown by its label
    assert all(render(r, "en") for r in best.reasons + early.reasons)


def test_achievement_to_demands_and_demand_to_experts(store: Store, ids: dict[str, str]) -> None:
    assert [s.id for s in _suggest(store, "achievement", ids["good"], "demand").suggestions] == [ids["D"]]
    assert [s.id for s in _suggest(store, "demand", ids["D"], "expert").suggestions] == [ids["expert"]]


def test_traditional_text_in_the_demand_still_matches(store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        d = R.create(uow, "demand", {"title": "玉米秸稈酶解製備低聚木糖", "institution_id": ids["jilin"],
                                     "demand_type": "adoption"})
        uow.commit()
    assert _suggest(store, "demand", d, "achievement").suggestions[0].id == ids["good"]


def test_unknown_record_and_direction(store: Store, ids: dict[str, str]) -> None:
    with ReadUnitOfWork(store) as read:
        assert engine.suggest(read.conn, "demand", "no-such-id", "achievement") is None
        with pytest.raises(ValueError):
            engine.suggest(read.conn, "expert", ids["expert"], "demand")


def test_the_institutions_own_record_counts_against(store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        own = R.create(uow, "achievement", {
            "title": "玉米秸秆酶解制备功能糖成套技术", "institution_id": ids["jilin"], "trl": 8,
            "keywords": ["秸秆综合利用", "酶解"], "transfer_modes": ["license"]})
        uow.commit()
    result = _suggest(store, "demand", ids["D"], "achievement")
    mine = next(s for s in result.suggestions if s.id == own)
    assert [r.code for r in mine.reasons if r.code != "shared_terms"] == ["same_owner"]
    assert mine.reasons[-1].against and result.suggestions[0].id == ids["good"]


def test_an_experts_specialties_list_counts_like_keywords() -> None:
    text = "秸稈綜合利用、纤维素降解；饲料加工\n长期从事玉米秸秆酶解与功能糖制备研究的技术推广"
    listed = P.phrases("expert", {"specialties": text})
    assert listed == {"秸秆综合利用", "纤维素降解", "饲料加工"}  # folded; a prose item is no term
    assert P.phrases("achievement", {"keywords": ["酶解", " 低聚木糖 "]}) == {"酶解", "低聚木糖"}
    assert P.phrases("demand", {"keywords": None}) == frozenset()


def test_an_expert_listing_the_demands_keyword_comes_before_one_whose_prose_holds_it(
        store: Store, ids: dict[str, str]) -> None:
    with UnitOfWork(store) as uow:
        listed = R.create(uow, "expert", {"name": "赵列举", "specialties": "秸秆综合利用、饲料加工、青贮技术"})
        prose = R.create(uow, "expert", {"name": "钱叙述", "specialties": "从事玉米秸秆综合利用推广工作"})
        uow.commit()
    prepare_index(store)
    order = [s.id for s in _suggest(store, "demand", ids["D"], "expert").suggestions]
    assert order.index(listed) < order.index(prose)
