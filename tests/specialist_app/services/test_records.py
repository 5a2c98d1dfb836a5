"""Record services on a real store file: validation, references, outbox coalescing, deletes, rollback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from specialist_app.services import records as R
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.tables import ENTITY_TABLES, outbox

UowFactory = Callable[[], UnitOfWork]


def _outbox(uow: UnitOfWork, row_id: str | None = None) -> list[dict[str, Any]]:
    query = select(outbox).order_by(outbox.c.seq)
    if row_id:
        query = query.where(outbox.c.row_id == row_id)
    return [dict(r) for r in uow.conn.execute(query).mappings()]


def _raw(uow: UnitOfWork, entity: str, id: str) -> dict[str, Any] | None:
    table = ENTITY_TABLES[entity]
    row = uow.conn.execute(select(table).where(table.c.id == id)).mappings().first()
    return dict(row) if row else None


def _mark_synced(uow: UnitOfWork, entity: str, id: str, version: int) -> None:
    """What the sync engine does on acknowledgement: the row has a server version, its entries are gone."""
    table = ENTITY_TABLES[entity]
    uow.conn.execute(table.update().where(table.c.id == id).values(server_version=version, base_version=None))
    uow.conn.execute(outbox.delete().where(outbox.c.row_id == id))


def _institution(uow: UnitOfWork, name: str = "吉林大学") -> str:
    return R.create(uow, "institution", {"name": name, "org_type": "高等院校", "region_code": "220102"})


def test_create_get_normalizes_and_writes_outbox(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        got = R.get(uow, "institution", inst)
        assert got is not None and got["id"] == inst and got["org_type"] == "university"
        assert got["name"] == "吉林大学" and got["website"] is None
        [entry] = _outbox(uow)
        assert entry["op"] == "create" and entry["row_id"] == inst and entry["base"] == {}
        assert entry["fields"] == {"name": "吉林大学", "org_type": "university", "region_code": "220102"}
        assert _raw(uow, "institution", inst)["server_version"] is None  # type: ignore[index]
        uow.commit()
    with uow_factory() as uow:
        assert R.get(uow, "institution", inst) is not None
        assert R.record_counts(uow)["institution"] == 1 and R.outbox_counts(uow)["institution"] == 1


def test_invalid_values_raise_with_all_problems(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(R.RecordInvalid) as info:
        R.create(uow, "institution", {"org_type": "学校", "website": "not a url", "bogus": 1})
    codes = {(p.field, p.code) for p in info.value.problems}
    assert {("name", "required"), ("org_type", "bad_code"), ("website", "bad_url"), ("bogus", "unknown_field")} <= codes
    assert info.value.entity == "institution"
    assert "必填" in info.value.message() and "required" in info.value.message("en")


def test_server_managed_fields(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        with pytest.raises(R.RecordInvalid) as info:
            R.create(uow, "institution", {"name": "甲", "org_type": "企业", "status": "approved"})
        assert [(p.field, p.code) for p in info.value.problems] == [("status", "server_managed")]
        inst = R.create(uow, "institution", {"name": "甲", "org_type": "企业", "status": None})
        R.update(uow, "institution", inst, {**R.get(uow, "institution", inst), "name": "乙"})  # type: ignore[dict-item]
        assert R.get(uow, "institution", inst)["name"] == "乙"  # type: ignore[index]


def test_references_must_be_live(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        ghost = "01900000-0000-7000-8000-000000000000"
        with pytest.raises(R.RecordInvalid) as info:
            R.create(uow, "contact", {"institution_id": ghost, "name": "王"})
        assert [(p.field, p.code) for p in info.value.problems] == [("institution_id", "missing_ref")]
        visit = R.create(uow, "visit", {"institution_id": inst, "status": "planned", "planned_at": "2025-03-18 09:00"})
        with pytest.raises(R.RecordInvalid):
            R.create(uow, "visit", {"institution_id": inst, "status": "done", "visited_at": "2025-03-18",
                                    "contacts_met": [ghost]})
        with pytest.raises(R.RecordInvalid) as info:
            R.create(uow, "attachment", {"owner_entity": "demand", "owner_id": visit, "filename": "a.jpg",
                                         "mime_type": "image/jpeg", "size": 1, "sha256": "0" * 64})
        assert info.value.problems[0].code == "missing_ref"
        R.create(uow, "attachment", {"owner_entity": "visit", "owner_id": visit, "filename": "a.jpg",
                                     "mime_type": "image/jpeg", "size": 1, "sha256": "0" * 64})


def test_follow_up_due_date_not_before_visit_date(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        # 07:00 in Changchun is the previous day in UTC: the local date counts.
        visit = R.create(uow, "visit", {"institution_id": inst, "status": "done", "visited_at": "2025-03-18 07:00"})
        with pytest.raises(R.RecordInvalid) as info:
            R.create(uow, "follow_up", {"visit_id": visit, "action": "寄样品", "due_date": "2025-03-17"})
        assert [(p.field, p.code) for p in info.value.problems] == [("due_date", "date_order")]
        fu = R.create(uow, "follow_up", {"visit_id": visit, "action": "寄样品", "due_date": "2025-03-18"})
        with pytest.raises(R.RecordInvalid):
            R.update(uow, "follow_up", fu, {"due_date": "2025-03-01"})
        R.update(uow, "follow_up", fu, {"done": "是"})  # other fields stay editable


def test_update_update_coalesces_and_noop_writes_nothing(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        _mark_synced(uow, "institution", inst, 5)
        R.update(uow, "institution", inst, {"name": "吉林大学"})
        assert _outbox(uow) == []
        R.update(uow, "institution", inst, {"name": "吉大", "address": "长春"})
        assert _raw(uow, "institution", inst)["base_version"] == 5  # type: ignore[index]
        R.update(uow, "institution", inst, {"name": "吉林大学（前卫）"})
        [entry] = _outbox(uow)
        assert entry["op"] == "update" and entry["base_version"] == 5
        assert entry["fields"] == {"name": "吉林大学（前卫）", "address": "长春"}
        assert entry["base"] == {"name": "吉林大学", "address": None}
        R.update(uow, "institution", inst, {"name": "吉林大学", "address": None})  # back to base: nothing left
        assert _outbox(uow) == []
        assert _raw(uow, "institution", inst)["base_version"] is None  # type: ignore[index]


def test_sent_entry_is_never_coalesced(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        uow.conn.execute(outbox.update().values(sent_at="2025-03-18T00:00:00Z"))
        R.update(uow, "institution", inst, {"name": "新名"})
        entries = _outbox(uow)
        assert [e["op"] for e in entries] == ["create", "update"]
        assert entries[0]["fields"]["name"] == "吉林大学"
        assert entries[1]["base"] == {"name": "吉林大学"} and entries[1]["base_version"] is None


def test_create_update_stays_create(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        R.update(uow, "institution", inst, {"address": "长春市", "region_code": None})
        [entry] = _outbox(uow)
        assert entry["op"] == "create"
        assert entry["fields"] == {"name": "吉林大学", "org_type": "university", "address": "长春市"}


def test_create_delete_vanishes(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        contact = R.create(uow, "contact", {"institution_id": inst, "name": "王老师"})
        R.delete(uow, "institution", inst)
        assert _outbox(uow) == []
        assert _raw(uow, "institution", inst) is None and _raw(uow, "contact", contact) is None


def test_update_delete_becomes_delete_with_server_base(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        contact = R.create(uow, "contact", {"institution_id": inst, "name": "王老师", "phone": "13800000000"})
        _mark_synced(uow, "institution", inst, 3)
        _mark_synced(uow, "contact", contact, 4)
        R.update(uow, "contact", contact, {"name": "王教授"})
        R.delete(uow, "institution", inst)
        entries = _outbox(uow)
        # Children first, each a single delete entry.
        assert [(e["entity"], e["op"]) for e in entries] == [("contact", "delete"), ("institution", "delete")]
        assert entries[0]["base"]["name"] == "王老师" and entries[0]["base"]["phone"] == "13800000000"
        assert entries[0]["fields"] == {} and entries[0]["base_version"] == 4
        assert entries[1]["base"]["name"] == "吉林大学" and entries[1]["base_version"] == 3
        assert _raw(uow, "contact", contact)["deleted"] is True  # type: ignore[index]
        assert R.get(uow, "institution", inst) is None and R.get(uow, "contact", contact) is None
        assert R.record_counts(uow)["contact"] == 0
        with pytest.raises(R.RecordNotFound):
            R.update(uow, "contact", contact, {"name": "x"})
        with pytest.raises(R.RecordNotFound):
            R.delete(uow, "contact", contact)


def test_delete_refused_while_required_by_others(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        R.create(uow, "demand", {"title": "需求", "institution_id": inst, "demand_type": "tackling"})
        with pytest.raises(R.RecordInvalid) as info:
            R.delete(uow, "institution", inst)
        assert info.value.problems[0].code == "in_use" and info.value.problems[0].params["count"] == 1


def test_rollback_leaves_nothing(uow_factory: UowFactory) -> None:
    with pytest.raises(RuntimeError), uow_factory() as uow:
        inst = _institution(uow)
        R.create_many(uow, "achievement", [{"title": "甲", "institution_id": inst}])
        raise RuntimeError("boom")
    with uow_factory() as uow:
        _institution(uow)  # left without commit()
    with uow_factory() as uow:
        assert R.record_counts(uow)["institution"] == 0 and R.record_counts(uow)["achievement"] == 0
        assert sum(R.outbox_counts(uow).values()) == 0


def test_create_many_reports_every_row(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        rows = [
            {"title": "好成果", "institution_id": inst, "trl": "6"},
            {"title": "", "trl": "12"},
            {"title": "坏引用", "institution_id": "01900000-0000-7000-8000-000000000000"},
        ]
        with pytest.raises(R.RecordInvalid) as info:
            R.create_many(uow, "achievement", rows)
        found = {(p.params["row"], p.field, p.code) for p in info.value.problems}
        assert found == {(1, "title", "required"), (1, "trl", "out_of_range"), (2, "institution_id", "missing_ref")}
        assert R.record_counts(uow)["achievement"] == 0
        given = "01900000-0000-7000-8000-00000000abcd"
        ids = R.create_many(uow, "achievement", [rows[0], {"title": "二"}], ids=[given, None])
        assert ids[0] == given and len(set(ids)) == 2
        assert R.get(uow, "achievement", ids[1])["title"] == "二"  # type: ignore[index]
        assert [e["op"] for e in _outbox(uow, ids[0])] == ["create"]
        assert R.outbox_counts(uow)["achievement"] == 2


def test_delete_after_sent_create_keeps_tombstone(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        uow.conn.execute(outbox.update().values(sent_at="2025-03-18T00:00:00Z"))  # pushed, no answer yet
        R.delete(uow, "institution", inst)
        assert [(e["op"], e["sent_at"]) for e in _outbox(uow)] == [("create", "2025-03-18T00:00:00Z"), ("delete", None)]
        assert _raw(uow, "institution", inst)["deleted"] is True  # type: ignore[index]


def test_an_edit_after_a_refused_create_is_the_create_again(uow_factory: UowFactory) -> None:
    """The walk in the real window: a new achievement refused (no institution), fixed in its editor and synced: the
    fix went out as an update and came back 服务器上找不到该记录, a second refusal, the record still not on the
    market."""
    with uow_factory() as uow:
        inst = _institution(uow)
        _mark_synced(uow, "institution", inst, 1)
        achievement = R.create(uow, "achievement", {"title": "测试回车键"})
        uow.conn.execute(outbox.delete().where(outbox.c.row_id == achievement))  # the refusal took its entry
        R.update(uow, "achievement", achievement, {"institution_id": inst})
        [entry] = _outbox(uow, achievement)
        assert entry["op"] == "create" and entry["base_version"] is None
        assert entry["fields"] == {"title": "测试回车键", "institution_id": inst}
        R.update(uow, "achievement", achievement, {"keywords": ["回车"]})  # later edits join it, as for any create
        [entry] = _outbox(uow, achievement)
        assert entry["op"] == "create" and entry["fields"]["keywords"] == ["回车"]


def test_an_edit_of_a_row_the_server_has_is_an_update(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = _institution(uow)
        _mark_synced(uow, "institution", inst, 4)
        R.update(uow, "institution", inst, {"address": "长春市"})
        [entry] = _outbox(uow, inst)
        assert (entry["op"], entry["fields"], entry["base_version"]) == ("update", {"address": "长春市"}, 4)
