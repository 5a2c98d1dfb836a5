"""Pull: buckets, paging and cursor resume, tombstones, masking, assignment changes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
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
