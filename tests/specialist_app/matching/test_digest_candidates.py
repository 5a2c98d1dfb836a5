"""Matching reaches digests (records outside the home province, sync/digests.py): scored on the fields a digest
holds, marked with their province, and the reasons claim nothing the digest does not hold."""

from __future__ import annotations

from typing import Any

from specialist_app.matching import engine
from specialist_app.services import records as R
from specialist_app.services import sync_ops
from specialist_app.services.search import prepare_index
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store

BJ_INST = "0192a3b4-0000-7000-8000-00000000b001"
BJ_ACH = "0192a3b4-0000-7000-8000-00000000b002"
BJ_DEMAND = "0192a3b4-0000-7000-8000-00000000b003"


def _digest(entity: str, row_id: str, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": row_id, "version": 3, "deleted": False, "province": "11",
            "institution_name": "北京生物质研究院", "org_type": "institute", "updated_at": "2026-12-01T00:00:00Z",
            "fields": fields}


def _seed(store: Store) -> dict[str, str]:
    ids: dict[str, str] = {}
    with UnitOfWork(store) as uow:
        ids["jilin"] = R.create(uow, "institution", {"name": "吉林化纤集团有限责任公司", "org_type": "enterprise",
                                                     "region_code": "220204"})
        ids["changchun"] = R.create(uow, "institution", {"name": "吉林大学", "org_type": "university",
                                                         "region_code": "220102"})
        ids["D"] = R.create(uow, "demand", {
            "title": "玉米秸秆综合利用技术需求", "institution_id": ids["jilin"], "demand_type": "adoption",
            "problem": "玉米秸秆综合利用率低，希望引进秸秆酶解制备功能糖的成熟技术。",
            "keywords": ["秸秆综合利用", "酶解"], "industry": "农产品加工", "budget": 200.0,
            "coop_modes": ["transfer", "license"]})
        ids["full"] = R.create(uow, "achievement", {
            "title": "秸秆酶解工艺研究", "institution_id": ids["changchun"], "trl": 4, "keywords": ["酶解"],
            "domain": "生物化工", "summary": "研究了玉米秸秆纤维素的酶解工艺与能耗。"})
        ids["A"] = R.create(uow, "achievement", {
            "title": "秸秆酶解制备低聚木糖技术", "institution_id": ids["changchun"], "trl": 7,
            "keywords": ["秸秆综合利用", "低聚木糖"], "domain": "农产品加工",
            "summary": "以玉米秸秆为原料酶解制备低聚木糖。", "transfer_modes": ["license"]})
        uow.commit()
    prepare_index(store)
    sync_ops.apply_digest_page(store, {"cursor": 9, "has_more": False, "home_province": "22", "digests": [
        _digest("institution", BJ_INST, name="北京生物质研究院", org_type="institute", region_code="110108"),
        _digest("achievement", BJ_ACH, title="玉米秸秆酶解制备功能糖技术", institution_id=BJ_INST,
                keywords=["秸秆综合利用", "酶解", "功能糖"], domain="农产品加工", trl=7,
                transfer_modes=["license"], price_mode="fixed", price=120.0),
        _digest("demand", BJ_DEMAND, title="低聚木糖规模化生产技术需求", institution_id=BJ_INST,
                demand_type="adoption", keywords=["低聚木糖", "秸秆综合利用"], industry="农产品加工",
                coop_modes=["license"], budget=80.0)]})
    return ids


def _suggest(store: Store, entity: str, row_id: str, target: str) -> engine.Result:
    with ReadUnitOfWork(store) as read:
        result = engine.suggest(read.conn, entity, row_id, target)
    assert result is not None
    return result


def test_a_demand_is_matched_to_an_out_of_province_digest(store: Store) -> None:
    ids = _seed(store)
    result = _suggest(store, "demand", ids["D"], "achievement")
    by_id = {s.id: s for s in result.suggestions}
    assert BJ_ACH in by_id, [s.title for s in result.suggestions]
    digest = by_id[BJ_ACH]
    assert digest.digest_province == "11" and digest.title == "玉米秸秆酶解制备功能糖技术"
    assert by_id[ids["full"]].digest_province is None
    codes = {r.code for r in digest.reasons}
    # Every fact a digest holds speaks: keywords and title, field, maturity, mode, price within the budget.
    assert codes == {"shared_terms", "same_field", "trl_mature", "modes_fit", "within_budget"}
    assert not {"same_city", "same_province"} & codes  # Beijing, not Jilin: no place claimed
    assert {"秸秆综合利用", "酶解"} <= set(digest.shared)
    # Without a summary it still comes before a full record sharing fewer words and less fitting facts.
    order = [s.id for s in result.suggestions]
    assert order.index(BJ_ACH) < order.index(ids["full"])


def test_an_achievement_is_matched_to_an_out_of_province_demand_digest(store: Store) -> None:
    ids = _seed(store)
    result = _suggest(store, "achievement", ids["A"], "demand")
    digest = next(s for s in result.suggestions if s.id == BJ_DEMAND)
    assert digest.digest_province == "11"
    codes = {r.code for r in digest.reasons}
    assert {"shared_terms", "same_field", "trl_mature", "modes_fit"} <= codes
    assert "same_province" not in codes and "same_city" not in codes


def test_a_digest_held_in_full_is_scored_as_the_full_record(store: Store) -> None:
    """A row the store holds in full (an institution assigned since) is no digest, whatever digest is kept."""
    ids = _seed(store)
    sync_ops.apply_digest_page(store, {"cursor": 10, "has_more": False, "home_province": "22", "digests": [
        _digest("achievement", ids["A"], title="秸秆酶解制备低聚木糖技术", institution_id=ids["changchun"])]})
    result = _suggest(store, "demand", ids["D"], "achievement")
    assert next(s for s in result.suggestions if s.id == ids["A"]).digest_province is None
