"""A digest's search document keeps no text in the index: it is forgotten by the tokens built again from its
catalog_digest row, which must still be the old one. The index after updates, deletes and a full record taking a
digest's place must hold exactly the tokens a rebuild from scratch holds."""

from __future__ import annotations

from typing import Any

from specialist_app.services import search as S
from specialist_app.services import sync_ops
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import meta as store_meta
from specialist_app.store import search_index as ix
from specialist_app.store.db import Store

INST = "0192a3b4-0000-7000-8000-000000000011"
ACH = "0192a3b4-0000-7000-8000-000000000012"
OTHER = "0192a3b4-0000-7000-8000-000000000013"


def _digest(entity: str, row_id: str, version: int, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": row_id, "version": version, "deleted": False, "province": "44",
            "institution_name": "广州储能研究所", "org_type": "institute",
            "updated_at": f"2026-12-01T00:00:{version:02d}Z", "fields": fields}


def _apply(store: Store, *digests: dict[str, Any]) -> None:
    sync_ops.apply_digest_page(store, {"digests": list(digests), "cursor": max(d["version"] for d in digests),
                                       "has_more": False, "home_province": "22"})


def _ids(store: Store, query: str, entity: str = "achievement") -> list[str]:
    with ReadUnitOfWork(store) as read:
        return [h.id for h in S.search(read, query, entities=[entity]).hits]


def _vocab(store: Store) -> list[tuple[str, int, int]]:
    with ReadUnitOfWork(store) as read:
        return [tuple(r) for r in read.conn.exec_driver_sql(f"SELECT term, doc, cnt FROM {ix.VOCAB} ORDER BY term")]


def _text_rows(store: Store) -> int:
    with ReadUnitOfWork(store) as read:
        return int(read.conn.exec_driver_sql(f"SELECT count(*) FROM {ix.TEXT}").scalar_one())


def _same_as_a_rebuild(store: Store) -> None:
    """Every token count in the index equals a rebuild's (a delete with other tokens than inserted would not)."""
    incremental = _vocab(store)
    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql(f"INSERT INTO {ix.FTS} ({ix.FTS}) VALUES ('integrity-check')")
        ix.rebuild(uow.conn)
        uow.commit()
    assert incremental == _vocab(store)


def test_a_digest_updated_then_removed_leaves_exactly_its_tokens(store: Store) -> None:
    S.prepare_index(store)
    _apply(store, _digest("institution", INST, 1, name="广州储能研究所", org_type="institute", region_code="440106"),
           _digest("achievement", ACH, 2, title="钠离子电池正极材料", institution_id=INST, keywords=["层状氧化物"],
                   trl=4, domain="新能源"),
           _digest("achievement", OTHER, 3, title="固态电解质薄膜", institution_id=INST, trl=7))
    assert _text_rows(store) == 0  # digests keep no second copy of their text in the index
    assert _ids(store, "层状氧化物") == [ACH]
    with ReadUnitOfWork(store) as read:  # the hit's subtitle and snippet come from the digest's row
        hit = S.search(read, "钠离子", entities=["achievement"]).hits[0]
    assert "广州储能研究所" in hit.subtitle and hit.digest_province == "44"
    with ReadUnitOfWork(store) as read:  # one TRL token per document; a range is the OR of its levels
        def trl(low: int | None, high: int | None) -> list[str]:
            found = S.search(read, "", entities=["achievement"], filters=S.SearchFilters(trl_min=low, trl_max=high))
            return sorted(h.id for h in found.hits)
        assert trl(3, 5) == [ACH] and trl(5, 7) == [OTHER] and trl(4, 7) == sorted([ACH, OTHER])
        assert trl(None, 3) == [] and trl(8, None) == [] and trl(1, None) == sorted([ACH, OTHER])
        facets = [str(r[0]) for r in read.conn.exec_driver_sql(f"SELECT term FROM {ix.VOCAB}")]
        assert sum(t.startswith("\ue004") for t in facets) == 2  # levels 4 and 7, not a ladder of 10 each

    _apply(store, _digest("achievement", ACH, 4, title="锂硫电池隔膜", institution_id=INST, keywords=["多孔碳"], trl=8))
    assert _ids(store, "层状氧化物") == [] and _ids(store, "钠离子") == [] and _ids(store, "新能源") == []
    assert _ids(store, "锂硫电池") == [ACH] and _ids(store, "多孔碳") == [ACH]
    with ReadUnitOfWork(store) as read:  # the TRL facets moved with it: 4 is no more, 8 is
        trl = S.search(read, "", entities=["achievement"], filters=S.SearchFilters(trl_min=8))
        assert [h.id for h in trl.hits] == [ACH]
        assert S.search(read, "", entities=["achievement"], filters=S.SearchFilters(trl_max=4)).total == 0
    _same_as_a_rebuild(store)

    _apply(store, {"entity": "achievement", "id": ACH, "version": 5, "deleted": True, "fields": {}})
    assert _ids(store, "锂硫电池") == [] and _ids(store, "电池") == [] and _ids(store, "薄膜") == [OTHER]
    _same_as_a_rebuild(store)
    _apply(store, _digest("institution", INST, 6, name="广州新能源研究院", org_type="institute", region_code="440106"))
    assert _ids(store, "储能", "institution") == [] and _ids(store, "新能源研究院", "institution") == [INST]
    _same_as_a_rebuild(store)


def test_a_digest_superseded_by_a_full_record_loses_its_own_tokens(store: Store) -> None:
    S.prepare_index(store)
    _apply(store, _digest("achievement", ACH, 7, title="钙钛矿光伏组件", keywords=["叠层电池"], trl=5))
    # Its institution assigned since: the record arrives in full (other words), then a newer digest of it.
    sync_ops.apply_pull_page(store, {"changes": [{
        "entity": "achievement", "id": ACH, "version": 8, "deleted": False, "scope": None, "updated_by": "admin",
        "updated_at": "2026-12-02T00:00:00Z", "fields": {"title": "有机光伏薄膜", "summary": "全文讲卷对卷印刷",
                                                          "institution_id": INST},
        "masked": []}], "cursors": {"catalog": 8}, "buckets": ["catalog"]})
    with UnitOfWork(store) as uow:  # a newer digest never replaces a row of an own institution (digest_moves.py)
        store_meta.replace_assigned(uow.conn, [INST])
        uow.commit()
    assert _ids(store, "叠层电池") == [] and _ids(store, "钙钛矿") == []
    assert _ids(store, "卷对卷印刷") == [ACH] and _text_rows(store) == 1  # the full record's texts are kept
    _apply(store, _digest("achievement", ACH, 9, title="第三代光伏", trl=6))
    assert _ids(store, "第三代") == [] and _ids(store, "有机光伏") == [ACH]  # the full document stays
    _same_as_a_rebuild(store)
