"""Digests in the store: a page applied (newer replace older, deleted leave), searchable and marked as digests with
their province, kept across an index rebuild, and the full record kept once fetched."""

from __future__ import annotations

from typing import Any

from specialist_app.services import digests as digest_service
from specialist_app.services import search as S
from specialist_app.services import sync_ops
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import digests
from specialist_app.store import search_index as ix
from specialist_app.store.db import Store

INST = "0192a3b4-0000-7000-8000-000000000001"
ACH = "0192a3b4-0000-7000-8000-000000000002"


def _digest(entity: str, row_id: str, version: int, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": row_id, "version": version, "deleted": False, "province": "11",
            "institution_name": "北京催化研究院", "org_type": "institute", "updated_at": "2026-12-01T00:00:00Z",
            "fields": fields}


def _page(*digests_: dict[str, Any], cursor: int) -> dict[str, Any]:
    return {"digests": list(digests_), "cursor": cursor, "has_more": False, "home_province": "22"}


def _search(store: Store, query: str, entity: str = "achievement") -> list[S.SearchHit]:
    with ReadUnitOfWork(store) as read:
        return list(S.search(read, query, entities=[entity]).hits)


def test_digests_are_searchable_as_digests_and_follow_their_versions(store: Store) -> None:
    S.prepare_index(store)
    changed = sync_ops.apply_digest_page(store, _page(
        _digest("institution", INST, 5, name="北京催化研究院", org_type="institute", region_code="110108"),
        _digest("achievement", ACH, 7, title="高效催化材料制备技术", institution_id=INST, keywords=["纳米催化"],
                trl=6, domain="新材料"), cursor=40))
    assert changed == 2 and sync_ops.digest_cursor(store) == 40
    with ReadUnitOfWork(store) as read:  # compact UTF-8 JSON, not \u escapes (half the bytes of Chinese text)
        stored = read.conn.exec_driver_sql("SELECT fields FROM catalog_digest WHERE id = ?", (ACH,)).scalar_one()
    assert '"keywords":["纳米催化"]' in stored
    hits = _search(store, "催化")
    assert [(h.id, h.digest_province) for h in hits] == [(ACH, "11")]
    assert "北京催化研究院" in hits[0].subtitle
    assert [h.id for h in _search(store, "北京催化", "institution")] == [INST]
    with ReadUnitOfWork(store) as read:  # the province is a region facet, like a full record's
        page = S.search(read, "", entities=["achievement"], filters=S.SearchFilters(region_prefix="11"))
        assert [h.id for h in page.hits] == [ACH]
        assert S.search(read, "", entities=["achievement"], filters=S.SearchFilters(trl_min=7)).total == 0

    sync_ops.apply_digest_page(store, _page(_digest("achievement", ACH, 6, title="旧的标题"), cursor=30))
    assert [h.title for h in _search(store, "催化")] == ["高效催化材料制备技术"]  # an older version: ignored
    assert sync_ops.digest_cursor(store) == 40  # the cursor never goes back

    sync_ops.apply_digest_page(store, _page(_digest("achievement", ACH, 9, title="新型电池隔膜", institution_id=INST),
                                            cursor=50))
    assert _search(store, "纳米") == [] and [h.id for h in _search(store, "隔膜")] == [ACH]

    with UnitOfWork(store) as uow:  # a rebuilt index (a new index version) keeps the digests
        ix.rebuild(uow.conn)
        uow.commit()
    assert [h.digest_province for h in _search(store, "隔膜")] == ["11"]

    sync_ops.apply_digest_page(store, _page({"entity": "achievement", "id": ACH, "version": 10, "deleted": True,
                                             "fields": {}}, cursor=60))
    assert _search(store, "隔膜") == []
    with ReadUnitOfWork(store) as read:
        assert digest_service.load(read, ACH) is None


def test_the_full_record_is_kept_until_a_newer_digest(store: Store) -> None:
    sync_ops.apply_digest_page(store, _page(_digest("achievement", ACH, 7, title="催化技术"), cursor=7))
    record = {"row": {"entity": "achievement", "id": ACH, "version": 7,
                      "fields": {"title": "催化技术", "summary": "全文简介"}}, "children": []}
    assert digest_service.keep_full(store, ACH, record)
    with ReadUnitOfWork(store) as read:
        row = digest_service.load(read, ACH)
    assert row is not None and row.full == record and row.fetched_at
    assert digest_service.full_fields(row)["summary"] == "全文简介"
    sync_ops.apply_digest_page(store, _page(_digest("achievement", ACH, 8, title="催化技术二"), cursor=8))
    with ReadUnitOfWork(store) as read:
        row = digest_service.load(read, ACH)
    assert row is not None and row.full is None and digest_service.full_fields(row)["title"] == "催化技术二"
    assert not digest_service.keep_full(store, "no-such-id", record)
    with ReadUnitOfWork(store) as read:
        assert digests.provinces(read.conn, [ACH, "other"]) == {ACH: "11"}
    # Its institution assigned since: the record arrives in full, and is no digest any more where it is listed.
    sync_ops.apply_pull_page(store, {"changes": [{
        "entity": "achievement", "id": ACH, "version": 9, "deleted": False, "scope": None, "updated_by": "admin",
        "updated_at": "2026-12-02T00:00:00Z", "fields": {"title": "催化技术二", "summary": "全文"}, "masked": []}],
        "cursors": {"catalog": 9}, "buckets": ["catalog"]})
    assert [(h.id, h.digest_province) for h in _search(store, "催化技术二")] == [(ACH, None)]
