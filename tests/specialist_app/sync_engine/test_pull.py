"""Pull page application on a real store: upserts, cursors, rebase over pending edits, tombstones, scope changes."""

from __future__ import annotations

from typing import Any

import pytest

from specialist_app.services import pull_apply, records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta, search_index
from specialist_app.store.db import Store
from sync.ids import uuid7

INST = uuid7()
BUCKET = f"inst:{INST}"


def change(entity: str, row_id: str, version: int, fields: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    return {"entity": entity, "id": row_id, "version": version, "fields": fields or {},
            "updated_at": "2025-03-01T08:00:00Z", **kw}


def page(changes: list[dict[str, Any]], cursors: dict[str, int], buckets: list[str] | None = None) -> dict[str, Any]:
    return {"changes": changes, "cursors": cursors, "buckets": buckets if buckets is not None else ["catalog", BUCKET],
            "has_more": False, "server_time": "2025-03-01T08:00:00Z"}


def apply(store: Store, body: dict[str, Any]) -> pull_apply.PageResult:
    with UnitOfWork(store) as uow:
        result = pull_apply.apply_page(uow.conn, body)
        uow.commit()
    return result


def row(store: Store, entity: str, row_id: str) -> dict[str, Any] | None:
    with UnitOfWork(store) as uow:
        found = uow.conn.exec_driver_sql(f"SELECT * FROM {entity} WHERE id = ?", (row_id,)).mappings().first()
        return dict(found) if found else None


def scalar(store: Store, sql: str, *params: Any) -> Any:
    with UnitOfWork(store) as uow:
        return uow.conn.exec_driver_sql(sql, params).scalar()


def seed(store: Store) -> str:
    """An assigned institution and one achievement of it with a confidential price."""
    ach = uuid7()
    apply(store, page([
        change("institution", INST, 1, {"name": "浙江大学", "org_type": "university"}),
        change("achievement", ach, 2, {"title": "高效光伏电池", "institution_id": INST, "price": 120.0,
                                        "summary": "钙钛矿叠层", "confidential_fields": ["price"]}),
    ], {"catalog": 2, BUCKET: 2}))
    return ach


def test_page_rows_and_cursors_land_together_and_are_searchable(store: Store) -> None:
    ach = seed(store)
    assert row(store, "achievement", ach)["title"] == "高效光伏电池"  # type: ignore[index]
    assert row(store, "achievement", ach)["server_version"] == 2  # type: ignore[index]
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": 2, BUCKET: 2}
    assert scalar(store, "SELECT institution_id FROM assigned_institution") == INST
    assert scalar(store, f"SELECT count(*) FROM {search_index.DOC} WHERE row_id = ?", ach) == 1


def test_pending_local_fields_are_rebased_on_top_of_the_server_row(store: Store) -> None:
    ach = seed(store)
    with UnitOfWork(store) as uow:
        records.update(uow, "achievement", ach, {"title": "我的标题"})
        uow.commit()
    result = apply(store, page([change("achievement", ach, 9, {"title": "服务器标题", "institution_id": INST,
                                                              "summary": "新简介", "price": 120.0})],
                               {BUCKET: 9}))
    got = row(store, "achievement", ach)
    assert result.rebased == 1
    assert got is not None and got["title"] == "我的标题" and got["summary"] == "新简介"
    assert got["server_version"] == 9 and got["base_version"] == 2
    assert scalar(store, "SELECT count(*) FROM outbox") == 1


def test_tombstones_delete_unless_the_row_has_pending_edits(store: Store) -> None:
    ach = seed(store)
    other = uuid7()
    apply(store, page([change("achievement", other, 3, {"title": "另一项", "institution_id": INST})], {BUCKET: 3}))
    with UnitOfWork(store) as uow:
        records.update(uow, "achievement", ach, {"title": "改过"})
        uow.commit()
    result = apply(store, page([change("achievement", ach, 10, deleted=True),
                                change("achievement", other, 11, deleted=True)], {BUCKET: 11}))
    assert result.kept_deleted == 1
    assert row(store, "achievement", other) is None
    assert row(store, "achievement", ach)["title"] == "改过"  # type: ignore[index]
    assert scalar(store, f"SELECT count(*) FROM {search_index.DOC} WHERE row_id = ?", other) == 0


def test_a_masked_catalog_copy_never_overwrites_full_values(store: Store) -> None:
    ach = seed(store)
    apply(store, page([change("achievement", ach, 12, {"title": "高效光伏电池 v2", "institution_id": INST,
                                                       "confidential_fields": ["price"]}, masked=["price"])],
                      {"catalog": 12}))
    got = row(store, "achievement", ach)
    assert got is not None and got["price"] == 120.0 and got["title"] == "高效光伏电池 v2" and got["masked"] is None
    fresh = uuid7()
    apply(store, page([change("achievement", fresh, 13, {"title": "无权限", "confidential_fields": ["price"]},
                              masked=["price"])], {"catalog": 13}))
    assert row(store, "achievement", fresh)["masked"] == '["price"]'  # type: ignore[index]


def test_an_unassigned_institution_leaves_only_its_catalog_copy_and_unsent_edits(store: Store) -> None:
    ach = seed(store)
    visit_kept, visit_gone, contact = uuid7(), uuid7(), uuid7()
    apply(store, page([
        change("contact", contact, 4, {"institution_id": INST, "name": "张三"}),
        change("visit", visit_kept, 5, {"institution_id": INST, "status": "planned", "purpose": "调研"}),
        change("visit", visit_gone, 6, {"institution_id": INST, "status": "done", "purpose": "回访",
                                        "visited_at": "2025-02-01T08:00:00Z"}),
    ], {BUCKET: 6}))
    with UnitOfWork(store) as uow:
        records.update(uow, "visit", visit_kept, {"notes": "离线写的纪要"})
        uow.commit()
    result = apply(store, page([], {"catalog": 6}, buckets=["catalog"]))
    assert result.removed_buckets == [BUCKET]
    assert row(store, "visit", visit_gone) is None and row(store, "contact", contact) is None
    assert row(store, "visit", visit_kept)["notes"] == "离线写的纪要"  # type: ignore[index]
    got = row(store, "achievement", ach)
    assert got is not None and got["price"] is None and got["title"] == "高效光伏电池"
    assert row(store, "institution", INST) is not None
    assert scalar(store, "SELECT count(*) FROM assigned_institution") == 0
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": 6}


def test_a_match_stays_while_one_of_its_two_institutions_is_still_assigned(store: Store) -> None:
    """A match record is governed by its demand's and its achievement's institutions: losing one keeps it; losing
    the last one drops it (rows with unsent edits stay, as always)."""
    ach = seed(store)
    enterprise, demand = uuid7(), uuid7()
    other = f"inst:{enterprise}"
    kept, gone, mine = uuid7(), uuid7(), uuid7()
    match = {"demand_id": demand, "achievement_id": ach, "source": "algorithm", "stage": "recommended"}
    apply(store, page([
        change("institution", enterprise, 3, {"name": "长春光谱仪器有限公司", "org_type": "enterprise"}),
        change("demand", demand, 4, {"title": "光谱仪产线改造", "institution_id": enterprise,
                                     "demand_type": "tackling", "status": "open"}),
        change("match_record", kept, 5, match), change("match_record", gone, 6, match),
        change("match_record", mine, 7, {**match, "achievement_id": None}),
    ], {BUCKET: 7, other: 7}, buckets=["catalog", BUCKET, other]))
    result = apply(store, page([], {}, buckets=["catalog", BUCKET]))  # the enterprise taken away
    assert result.removed_buckets == [other]
    assert row(store, "match_record", kept) is not None and row(store, "match_record", gone) is not None
    assert row(store, "match_record", mine) is None  # governed by the enterprise alone
    with UnitOfWork(store) as uow:
        records.update(uow, "match_record", kept, {"notes": "离线写的"})
        uow.commit()
    apply(store, page([], {}, buckets=["catalog"]))  # and the university
    assert row(store, "match_record", gone) is None
    assert row(store, "match_record", kept)["notes"] == "离线写的"  # type: ignore[index]


def test_a_big_page_merges_index_segments_as_it_commits_and_a_small_one_does_not(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    automerge = f"SELECT v FROM {search_index.FTS}_config WHERE k = 'automerge'"
    monkeypatch.setattr(pull_apply, "DEFER_FROM_ROWS", 3)
    apply(store, page([change("achievement", uuid7(), v, {"title": f"光伏{v}"}) for v in (1, 2, 3)], {"catalog": 3}))
    assert scalar(store, automerge) == search_index.AUTOMERGE_BULK
    apply(store, page([change("achievement", uuid7(), 4, {"title": "储能"})], {"catalog": 4}))
    assert scalar(store, automerge) == 0
