"""Digests in the store: a page applied (newer replace older, deleted leave), searchable and marked as digests with
their province, kept across an index rebuild, and the full record kept once fetched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from specialist_app.services import digests as digest_service
from specialist_app.services import search as S
from specialist_app.services import sync_ops
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import digests, migrations
from specialist_app.store import search_index as ix
from specialist_app.store.db import Store, open_store

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
    with ReadUnitOfWork(store) as read:  # a column per field (the title once); lists as compact UTF-8 JSON
        stored = read.conn.exec_driver_sql(
            "SELECT title, keywords, trl, domain, extra FROM catalog_digest WHERE id = ?", (ACH,)).one()
    assert tuple(stored) == ("高效催化材料制备技术", '["纳米催化"]', 6, "新材料", None)
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


def test_a_digest_reads_back_as_sent_whatever_its_fields(store: Store) -> None:
    """Each field in its column; a money value as a float; a field without a column, or of another type than the
    contract's, kept as sent (in `extra`); None left out."""
    demand = {"title": "秸秆综合利用", "institution_id": INST, "demand_type": "tech", "keywords": ["秸秆", "饲料"],
              "industry": "农业", "budget": 50, "coop_modes": ["license"], "valid_until": "2027-06-30",
              "status": "open", "summary": None, "new_field": {"a": 1}, "trl": 5}
    odd = {"title": "磁悬浮轴承", "trl": "7", "price": 12.5, "transfer_modes": "license", "domain": "装备"}
    institution = {"name": "北京催化研究院", "org_type": "institute", "region_code": "110108", "address": "海淀区"}
    sync_ops.apply_digest_page(store, _page(_digest("demand", "d1", 1, **demand),
                                            _digest("achievement", "a1", 2, **odd),
                                            _digest("institution", INST, 3, **institution), cursor=3))
    with ReadUnitOfWork(store) as read:
        rows = {i: digests.get(read.conn, i) for i in ("d1", "a1", INST)}
        extra = read.conn.exec_driver_sql("SELECT id, extra FROM catalog_digest WHERE extra IS NOT NULL"
                                          " ORDER BY id").all()
    assert rows["d1"] is not None and rows["d1"].fields == {
        k: v for k, v in demand.items() if v is not None} | {"budget": 50.0}
    assert isinstance(rows["d1"].fields["budget"], float)
    assert rows["a1"] is not None and rows["a1"].fields == odd and rows["a1"].title == "磁悬浮轴承"
    assert rows[INST] is not None and rows[INST].fields == institution and rows[INST].org_type == "institute"
    assert [(i, json.loads(e)) for i, e in extra] == [
        ("a1", {"trl": "7", "transfer_modes": "license"}), ("d1", {"new_field": {"a": 1}, "trl": 5})]


def test_a_v9_store_keeps_its_digests_their_index_and_full_records(tmp_path: Path) -> None:
    """Migration 10 moves v9's JSON `fields` into the columns by the rules a new digest follows: the same fields read
    back, the same search hits, and the index still forgets exactly the old tokens when the digests change."""
    sent = [
        _digest("institution", INST, 1, name="北京催化研究院", org_type="institute", region_code="110108",
                address="海淀区", website="https://cat.example.cn"),
        _digest("achievement", ACH, 2, title="高效催化材料制备技术", institution_id=INST, keywords=["纳米催化", "载体"],
                category="patent", stage="pilot", trl=6, domain="新材料", industry="化工",
                strategic_industry="新材料产业",
                transfer_modes=["license", "transfer"], price_mode="negotiable", price=80),
        _digest("achievement", "a-odd", 3, title="磁悬浮轴承", trl="7", transfer_modes="license", price=1.5,
                unknown="kept"),
        _digest("demand", "d1", 4, title="秸秆综合利用", institution_id=INST, demand_type="tech", keywords=["秸秆"],
                industry="农业", budget=50.0, coop_modes=["license"], valid_until="2027-06-30", status="open"),
    ]
    path = tmp_path / "store.sqlite3"
    store = open_store(path)
    S.prepare_index(store)
    sync_ops.apply_digest_page(store, _page(*sent, cursor=4))
    digest_service.keep_full(store, ACH, {"row": {"entity": "achievement", "id": ACH, "fields": {"summary": "全文"}}})
    with ReadUnitOfWork(store) as read:
        before = {d["id"]: digests.get(read.conn, d["id"]) for d in sent}
    hits = {q: [(h.id, h.subtitle, h.snippet) for h in _search(store, q, e)]
            for q, e in (("催化", "achievement"), ("催化", "institution"), ("秸秆", "demand"), ("轴承", "achievement"))}
    store.close()

    conn = sqlite3.connect(path)  # as v9 kept them: the fields the server sent as one JSON object
    full = conn.execute("SELECT full_record, fetched_at FROM catalog_digest WHERE id = ?", (ACH,)).fetchone()
    conn.execute("DROP TABLE catalog_digest")
    conn.execute(migrations.STEPS[9][0])
    conn.executemany(
        "INSERT INTO catalog_digest (id, entity, version, province, institution_name, org_type, title, fields,"
        " updated_at, full_record, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(d["id"], d["entity"], d["version"], d["province"], d["institution_name"], d["org_type"],
          d["fields"].get("name") or d["fields"].get("title"), json.dumps(d["fields"], ensure_ascii=d["id"] == ACH),
          d["updated_at"], *(full if d["id"] == ACH else (None, None))) for d in sent])
    for later in ("ix_achievement_collected_by", "ix_demand_collected_by"):  # migration 12's
        conn.execute(f"DROP INDEX {later}")
    conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()

    store = open_store(path)
    try:
        assert store.migrated_from == 9
        with ReadUnitOfWork(store) as read:
            assert {d["id"]: digests.get(read.conn, d["id"]) for d in sent} == before
        assert before[ACH] is not None and before[ACH].full is not None
        assert before["a-odd"] is not None and before["a-odd"].fields == {
            "title": "磁悬浮轴承", "trl": "7", "transfer_modes": "license", "price": 1.5, "unknown": "kept"}
        assert {q: [(h.id, h.subtitle, h.snippet) for h in _search(store, q, e)]
                for q, e in (("催化", "achievement"), ("催化", "institution"), ("秸秆", "demand"),
                             ("轴承", "achievement"))} == hits
        # Newer versions replace them: their old documents are built from the migrated rows and must match.
        sync_ops.apply_digest_page(store, _page(*({**d, "version": d["version"] + 10, "fields": {
            **d["fields"], ("name" if d["entity"] == "institution" else "title"): "更新后的标题"}} for d in sent),
            cursor=20))
        assert _search(store, "催化", "institution") == [] and _search(store, "综合利用", "demand") == []
        with ReadUnitOfWork(store) as read:
            vocab = read.conn.exec_driver_sql(f"SELECT term, doc, cnt FROM {ix.VOCAB} ORDER BY term").all()
        with UnitOfWork(store) as uow:
            ix.rebuild(uow.conn)
            uow.commit()
        with ReadUnitOfWork(store) as read:
            assert read.conn.exec_driver_sql(f"SELECT term, doc, cnt FROM {ix.VOCAB} ORDER BY term").all() == vocab
    finally:
        store.close()
