"""Pull's public view (view="public"): administrators only, the catalog bucket as nobody's own, every row masked."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
from sync.ids import uuid7
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login


def _public(session: Session, cursors: dict[str, int] | None = None, limit: int = 1000,
            device_id: str | None = None) -> Any:
    return session.client.post("/sync/pull", headers=session.headers, json={
        "device_id": device_id or session.device_id, "cursors": cursors or {}, "limit": limit, "view": "public"})


def _public_all(session: Session, limit: int = 1000) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Every change of the public view, by id, paging with `limit`; and the last page."""
    cursors: dict[str, int] = {}
    changes: dict[str, dict[str, Any]] = {}
    while True:
        response = _public(session, cursors, limit)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["buckets"] == ["catalog"] and list(page["cursors"]) == ["catalog"]
        for change in page["changes"]:
            changes[change["id"]] = change
        cursors.update(page["cursors"])
        if not page["has_more"]:
            return changes, page


def test_only_administrators_may_pull_the_public_view(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    specialist = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    refused = _public(specialist)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    admin = login(client, add_user(engine, role="admin"))
    wrong_device = _public(admin, device_id="dev-someone-else")
    assert wrong_device.status_code == 403 and wrong_device.json()["code"] == "wrong_device"
    assert _public(admin).status_code == 200
    assert _public(admin).json()["buckets"] == ["catalog"]


def test_public_view_masks_every_row_even_the_administrators_own(client: TestClient, engine: Engine) -> None:
    admin_name = add_user(engine, role="admin")
    admin = login(client, admin_name)
    inst = institution()
    seeded = achievement(inst[1]["id"], price=80.0, price_mode="fixed", indicators="保密指标",
                         confidential_fields=["price", "indicators"])
    demand = ("demand", {"id": uuid7(), "title": "需求", "institution_id": inst[1]["id"], "budget": 30.0,
                         "confidential_fields": ["budget"]})
    add_rows(engine, inst, seeded, demand, user=admin_name)
    pushed = uuid7()
    result = admin.push({"entity": "achievement", "id": pushed, "op": "create", "fields": {
        "title": "管理员的成果", "advantages": "内部优势", "confidential_fields": ["advantages"]}})
    assert result[0]["outcome"] == "applied"
    with engine.begin() as conn:  # the administrator is even assigned the institution: no inst: bucket here
        accounts.assign(conn, admin_name, [inst[1]["id"]])
    changes, _ = _public_all(admin)
    assert changes[seeded[1]["id"]]["masked"] == ["price", "indicators"]
    assert "price" not in changes[seeded[1]["id"]]["fields"] and "indicators" not in changes[seeded[1]["id"]]["fields"]
    assert changes[seeded[1]["id"]]["fields"]["title"] == seeded[1]["title"]
    assert changes[demand[1]["id"]]["masked"] == ["budget"]
    assert changes[pushed]["masked"] == ["advantages"] and "advantages" not in changes[pushed]["fields"]
    # Every row naming maskable confidential fields is masked, whoever wrote it.
    for change in changes.values():
        named = [n for n in change["fields"].get("confidential_fields") or [] if n in {"price", "indicators",
                                                                                        "advantages", "budget"}]
        assert not set(named) & set(change["fields"]), change
    # The same rows reach the administrator's own pull unmasked.
    own = {c["id"]: c for c in admin.pull_all()[0]}
    assert own[seeded[1]["id"]]["masked"] == [] and own[pushed]["fields"]["advantages"] == "内部优势"


def test_public_view_holds_active_institutions_and_catalog_entities_only(client: TestClient, engine: Engine) -> None:
    admin = login(client, add_user(engine, role="admin"))
    active, pending, rejected = institution(), institution(status="pending"), institution(status="rejected")
    contact = ("contact", {"id": uuid7(), "institution_id": active[1]["id"], "name": "私密联系人"})
    visit = ("visit", {"id": uuid7(), "institution_id": active[1]["id"], "status": "planned"})
    expert = ("expert", {"id": uuid7(), "name": "专家"})
    add_rows(engine, active, pending, rejected, contact, visit, expert)
    changes, _ = _public_all(admin)
    assert active[1]["id"] in changes and expert[1]["id"] in changes
    assert pending[1]["id"] not in changes
    # A rejected institution is only a tombstone, which drops a copy held from before (#13 item 8).
    assert changes[rejected[1]["id"]]["deleted"] is True and changes[rejected[1]["id"]]["fields"] == {}
    assert contact[1]["id"] not in changes and visit[1]["id"] not in changes
    assert {c["entity"] for c in changes.values()} <= {"institution", "achievement", "ip_item", "demand", "expert"}
    assert all(c["fields"].get("status") == "active" for c in changes.values()
               if c["entity"] == "institution" and not c["deleted"])
    # The administrator's own pull has the other statuses (all of them are in their catalog).
    own = {c["id"] for c in admin.pull_all()[0]}
    assert {pending[1]["id"], rejected[1]["id"]} <= own


def test_public_view_is_what_a_specialist_with_nothing_of_their_own_pulls(client: TestClient, engine: Engine) -> None:
    author = add_user(engine)
    inst = institution()
    add_rows(engine, inst, *(achievement(inst[1]["id"], indicators=f"指标{i}", advantages="优势",
                                         confidential_fields=["indicators"] if i % 2 else []) for i in range(9)))
    add_rows(engine, achievement(None, price=3.0, confidential_fields=["price"]), user=author)
    admin = login(client, add_user(engine, role="admin"))
    paged, last = _public_all(admin, limit=4)  # several pages, cut inside tables
    fresh = login(client, add_user(engine))
    changes, fresh_last = fresh.pull_all()
    assert paged == {c["id"]: c for c in changes}
    assert last["cursors"]["catalog"] == fresh_last["cursors"]["catalog"]
    # A later pull from the cursor holds only what changed after it.
    again = _public(admin, {"catalog": last["cursors"]["catalog"]})
    assert again.status_code == 200 and again.json()["changes"] == []
    newer = achievement(None, indicators="新", confidential_fields=["indicators"])
    add_rows(engine, newer)
    later = _public(admin, {"catalog": last["cursors"]["catalog"]}).json()
    assert [c["id"] for c in later["changes"]] == [newer[1]["id"]] and later["changes"][0]["masked"] == ["indicators"]


def test_an_unknown_view_is_a_4xx_with_a_reason(client: TestClient, engine: Engine) -> None:
    admin = login(client, add_user(engine, role="admin"))
    response = client.post("/sync/pull", headers=admin.headers,
                           json={"device_id": admin.device_id, "cursors": {}, "view": "everything"})
    assert response.status_code == 422 and response.json()["code"] == "bad_request"
