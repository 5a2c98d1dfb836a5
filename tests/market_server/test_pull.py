"""Pull: buckets, paging and cursor resume, tombstones, masking, assignment changes."""

from __future__ import annotations

import copy
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
from sync.entities import ENTITIES
from sync.ids import uuid7
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login


def _by_id(changes: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {c["id"]: c for c in changes}


def test_paging_resumes_from_cursors_in_version_order(client: TestClient, engine: Engine) -> None:
    inst = institution()
    rows = [achievement(inst[1]["id"]) for _ in range(25)]
    add_rows(engine, inst, *rows)
    me = login(client, add_user(engine))
    seen: list[dict[str, object]] = []
    cursors: dict[str, int] = {}
    pages = 0
    while True:
        page = me.pull(cursors, limit=7)
        pages += 1
        assert len(page["changes"]) <= 7
        # Every change of a page lies between the previous cursor and the new one.
        before, after = cursors.get("catalog", 0), page["cursors"]["catalog"]
        assert all(before < int(str(c["version"])) <= after for c in page["changes"])
        seen.extend(page["changes"])
        cursors.update(page["cursors"])
        if not page["has_more"]:
            break
    ids = [c["id"] for c in seen]
    assert {r[1]["id"] for r in rows} | {inst[1]["id"]} <= set(ids)
    assert len(ids) == len(set(ids))
    assert pages >= 4
    # Nothing new: an incremental pull is empty.
    assert me.pull(cursors)["changes"] == []


def test_new_change_and_tombstone_arrive_incrementally(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    me = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    _, last = me.pull_all()
    visit_id = uuid7()
    me.push({"entity": "visit", "id": visit_id, "op": "create",
             "fields": {"institution_id": inst[1]["id"], "status": "planned"}})
    changes, last = me.pull_all(last["cursors"])
    assert [c["id"] for c in changes] == [visit_id]
    assert changes[0]["scope"] == inst[1]["id"]
    me.push({"entity": "visit", "id": visit_id, "op": "delete", "base": {}})
    changes, _ = me.pull_all(last["cursors"])
    assert changes == [{**changes[0], "id": visit_id, "deleted": True, "fields": {}}]


def test_catalog_masks_confidential_fields_for_others_only(client: TestClient, engine: Engine) -> None:
    inst = institution()
    secret = achievement(inst[1]["id"], price=120.0, price_mode="fixed", indicators="保密指标",
                         confidential_fields=["price", "indicators"])
    add_rows(engine, inst, secret)
    outsider = login(client, add_user(engine))
    insider = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    admin = login(client, add_user(engine, role="admin"))
    seen = _by_id(outsider.pull_all()[0])[secret[1]["id"]]
    assert seen["masked"] == ["price", "indicators"]
    fields = seen["fields"]
    assert isinstance(fields, dict) and "price" not in fields and "indicators" not in fields
    assert fields["title"] == secret[1]["title"]
    for session in (insider, admin):
        full = _by_id(session.pull_all()[0])[secret[1]["id"]]
        assert full["masked"] == [] and full["fields"]["price"] == 120.0  # type: ignore[index]


def test_private_rows_only_reach_assigned_specialists(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    insider = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    outsider = login(client, add_user(engine))
    contact_id, visit_id = uuid7(), uuid7()
    results = insider.push(
        {"entity": "contact", "id": contact_id, "op": "create",
         "fields": {"institution_id": inst[1]["id"], "name": "王老师"}},
        {"entity": "visit", "id": visit_id, "op": "create",
         "fields": {"institution_id": inst[1]["id"], "status": "planned"}},
    )
    assert [r["outcome"] for r in results] == ["applied", "applied"]
    outsider_ids = _by_id(outsider.pull_all()[0])
    assert contact_id not in outsider_ids and visit_id not in outsider_ids
    assert inst[1]["id"] in outsider_ids  # the catalog part
    page = insider.pull()
    assert f"inst:{inst[1]['id']}" in page["buckets"]
    assert {contact_id, visit_id} <= set(_by_id(insider.pull_all()[0]))


def test_pending_institutions_stay_out_of_the_catalog(client: TestClient, engine: Engine) -> None:
    pending = institution(status="pending")
    add_rows(engine, pending)
    outsider = login(client, add_user(engine))
    assert pending[1]["id"] not in _by_id(outsider.pull_all()[0])


def test_assign_downloads_history_and_unassign_drops_the_bucket(client: TestClient, engine: Engine) -> None:
    inst = institution()
    secret = achievement(inst[1]["id"], advantages="内部优势", confidential_fields=["advantages"])
    add_rows(engine, inst, secret)
    writer = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    visit_id = uuid7()
    writer.push({"entity": "visit", "id": visit_id, "op": "create",
                 "fields": {"institution_id": inst[1]["id"], "status": "planned"}})
    name = add_user(engine)
    me: Session = login(client, name)
    _, last = me.pull_all()
    with engine.begin() as conn:
        accounts.assign(conn, name, [inst[1]["name"]])
    changes, last = me.pull_all(last["cursors"])
    bucket = f"inst:{inst[1]['id']}"
    assert bucket in last["buckets"]
    got = _by_id(changes)
    assert visit_id in got and got[secret[1]["id"]]["masked"] == []
    with engine.begin() as conn:
        accounts.unassign(conn, name, [inst[1]["id"]])
    changes, last = me.pull_all(last["cursors"])
    assert bucket not in last["buckets"]
    got = _by_id(changes)
    # The catalog copy comes again, masked; the private visit does not.
    assert got[secret[1]["id"]]["masked"] == ["advantages"]
    assert visit_id not in got


def test_unknown_cursor_buckets_are_ignored(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    page = me.pull({"inst:00000000-0000-7000-8000-000000000000": 5, "catalog": 0})
    assert "inst:00000000-0000-7000-8000-000000000000" not in page["cursors"]
    assert page["buckets"] == ["own", "catalog"]


def test_pull_response_is_gzip_compressed(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst, *(achievement(inst[1]["id"], summary="很长的简介" * 20) for _ in range(20)))
    me = login(client, add_user(engine))
    response = client.post("/sync/pull", json={"device_id": me.device_id, "cursors": {}},
                           headers={**me.headers, "Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


_MASKABLE = {f.name for e in ENTITIES.values() for f in e.fields if f.can_be_confidential}


def _python_rule(full: dict[str, Any], created_by: str, viewer: str) -> dict[str, Any]:
    """What a masked catalog copy is, applied in Python to the full copy (the rule the database must follow)."""
    change = copy.deepcopy(full)
    if change["deleted"]:
        change["fields"], change["masked"] = {}, []
        return change
    entity = ENTITIES[change["entity"]]
    if created_by == viewer or not any(f.can_be_confidential for f in entity.fields):
        return change
    fields = change["fields"]
    masked = [n for n in fields.get("confidential_fields") or [] if n in fields and n in _MASKABLE]
    for name in masked:
        del fields[name]
    change["masked"] = masked
    return change


def test_database_built_pages_follow_the_masking_rule(client: TestClient, engine: Engine) -> None:
    inst = institution()
    author = add_user(engine)
    tricky = '保密\n指标 "引号" \\ 反斜杠 \t 😀'
    others = [
        achievement(None, price=5.5, keywords=["玉米", "秸秆"], trl=3),
        achievement(None, price=120.0, price_mode="fixed", indicators=tricky, advantages="优势",
                    confidential_fields=["advantages", "price", "indicators"]),
        achievement(None, title="标题", price=7.0, confidential_fields=["title", "price", "no_such_field"]),
        achievement(None, confidential_fields=[]),
        achievement(None, indicators="要删除", confidential_fields=["indicators"]),
        ("demand", {"id": uuid7(), "title": "需求", "institution_id": inst[1]["id"], "budget": 30.0,
                    "indicators": "需求指标", "confidential_fields": ["budget"]}),
        ("expert", {"id": uuid7(), "name": "专家", "unit": "单位"}),
    ]
    mine = achievement(None, price=9.0, indicators="我的", confidential_fields=["price", "indicators"])
    add_rows(engine, inst, *others)
    add_rows(engine, mine, user=author)
    admin = login(client, add_user(engine, role="admin"))
    gone = others[4][1]["id"]
    assert admin.push({"entity": "achievement", "id": gone, "op": "delete", "base": {}})[0]["outcome"] == "applied"
    created_by = {r[1]["id"]: "seed" for r in [inst, *others]} | {mine[1]["id"]: author}
    full = {c["id"]: c for c in admin.pull_all()[0] if c["id"] in created_by}
    assert len(full) == len(created_by) and all(c["masked"] == [] for c in full.values())
    assert full[gone]["deleted"] and full[gone]["fields"] == {}
    seen = {}
    for session in (login(client, add_user(engine)), login(client, author)):
        changes, _ = session.pull_all(limit=3)  # several pages: rows cut at page ends
        seen[session.username] = got = {c["id"]: c for c in changes if c["id"] in created_by}
        assert got == {i: _python_rule(c, created_by[i], session.username) for i, c in full.items()}
    secret, outsider = others[1][1]["id"], next(name for name in seen if name != author)
    assert seen[outsider][secret]["masked"] == ["advantages", "price", "indicators"]
    assert seen[outsider][others[2][1]["id"]]["fields"]["title"] == "标题"  # not a maskable field
    assert seen[outsider][mine[1]["id"]]["masked"] == ["price", "indicators"]
    assert seen[author][mine[1]["id"]]["fields"]["indicators"] == "我的"


def test_each_entity_arrives_in_version_order_within_a_page(client: TestClient, engine: Engine) -> None:
    rows = [achievement(None, indicators="指标", confidential_fields=["indicators"] if i % 3 else None)
            for i in range(12)]
    add_rows(engine, *rows)
    page = login(client, add_user(engine)).pull({}, limit=5000)
    versions = [int(str(c["version"])) for c in page["changes"] if c["entity"] == "achievement"]
    assert len(versions) >= 12
    if engine.dialect.name == "sqlite":
        assert versions == sorted(versions)
    else:  # PostgreSQL: the masked copies (edited in Python) follow the others, each run in version order
        kinds = [bool(c["masked"]) for c in page["changes"] if c["entity"] == "achievement"]
        assert kinds == sorted(kinds) and 0 < sum(kinds) < len(kinds)
        for run in (False, True):
            part = [v for v, k in zip(versions, kinds, strict=True) if k is run]
            assert part == sorted(part)


def test_a_skipped_bucket_is_not_paged_and_its_cursor_comes_back_unchanged(client: TestClient, engine: Engine) -> None:
    mine, other = institution(), institution()
    add_rows(engine, mine, other, achievement(mine[1]["id"]), achievement(other[1]["id"]))
    me = login(client, add_user(engine, assigned=[mine[1]["id"]]))
    response = client.post("/sync/pull", headers=me.headers, json={
        "device_id": me.device_id, "cursors": {"catalog": 0}, "limit": 1, "skip": ["catalog"]})
    assert response.status_code == 200, response.text
    first = response.json()
    assert first["cursors"]["catalog"] == 0 and "catalog" in first["buckets"]
    cursors, changes, page = first["cursors"], list(first["changes"]), first
    while page["has_more"]:
        page = client.post("/sync/pull", headers=me.headers, json={
            "device_id": me.device_id, "cursors": cursors, "limit": 1, "skip": ["catalog"]}).json()
        cursors, changes = page["cursors"], [*changes, *page["changes"]]
    assert {c["scope"] for c in changes} == {mine[1]["id"]} and len(changes) == 2
    assert page["cursors"]["catalog"] == 0
    assert other[1]["id"] in _by_id(me.pull_all(cursors)[0])  # asked for, the catalog comes after


def test_a_pull_asked_to_count_says_how_many_rows_are_left(client: TestClient, engine: Engine) -> None:
    mine, other = institution(), institution()
    add_rows(engine, mine, other, *[achievement(mine[1]["id"]) for _ in range(3)], achievement(other[1]["id"]))
    me = login(client, add_user(engine, assigned=[mine[1]["id"]]))

    def pull(cursors: dict[str, int], **extra: Any) -> dict[str, Any]:
        response = client.post("/sync/pull", headers=me.headers, json={
            "device_id": me.device_id, "cursors": cursors, "limit": 2, **extra})
        assert response.status_code == 200, response.text
        return dict(response.json())

    assert "total" not in pull({})  # not asked: the answer is as before
    first = pull({}, count_total=True)
    changes, _ = me.pull_all()
    assert first["total"] == len(changes) >= 6  # the total covers every page, the first included
    assert len(first["changes"]) == 2
    later = pull(first["cursors"], count_total=True)
    assert later["total"] == first["total"] - 2  # from the cursors sent
    assert pull({}, count_total=True, skip=["catalog"])["total"] == 4  # skipped buckets are not counted
