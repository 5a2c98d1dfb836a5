"""One batch, one transaction: later mutations see what earlier ones of the same batch wrote."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from market_server.tables import ENTITY_TABLES
from sync.ids import uuid7
from tests.market_server.conftest import add_rows, add_user, institution, login


def _create(entity: str, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": uuid7(), "op": "create", "fields": fields}


def _stored(engine: Engine, entity: str, row_id: str) -> Any:
    table = ENTITY_TABLES[entity]
    with engine.connect() as conn:
        return conn.execute(select(table).where(table.c.id == row_id)).one()


def test_a_row_created_in_a_batch_is_changed_and_parented_later_in_it(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    me = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    visit = _create("visit", institution_id=inst[1]["id"], status="planned", purpose="首访")
    follow_up = _create("follow_up", visit_id=visit["id"], action="寄送资料")
    results = me.push(
        visit,
        {"entity": "visit", "id": visit["id"], "op": "update", "fields": {"notes": "同批修改"},
         "base": {"notes": None}},
        follow_up,
        {**visit, "fields": {**visit["fields"], "location": "长春"}},  # a create resent in the same batch
    )
    assert [r["outcome"] for r in results] == ["applied"] * 4
    assert len({r["version"] for r in results}) == 4
    stored = _stored(engine, "visit", visit["id"])
    assert (stored.notes, stored.location, stored.version) == ("同批修改", "长春", results[3]["version"])
    assert _stored(engine, "follow_up", follow_up["id"]).scope_id == inst[1]["id"]


def test_a_parent_deleted_earlier_in_a_batch_refuses_later_children(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    me = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    visit = _create("visit", institution_id=inst[1]["id"], status="planned")
    first, second = (_create("follow_up", visit_id=visit["id"], action=a) for a in ("电话", "寄送资料"))
    results = me.push(visit, first, {"entity": "visit", "id": visit["id"], "op": "delete", "base": {}}, second)
    assert [r["outcome"] for r in results] == ["applied", "applied", "applied", "rejected"]
    assert results[3]["reason"] == "not_found"
    assert _stored(engine, "visit", visit["id"]).deleted


def test_children_moved_earlier_in_a_batch_are_read_again(client: TestClient, engine: Engine) -> None:
    old, new = institution(), institution()
    add_rows(engine, old, new)
    me = login(client, add_user(engine, assigned=[old[1]["id"], new[1]["id"]]))
    ach = _create("achievement", institution_id=old[1]["id"], title="成果")
    item = _create("ip_item", achievement_id=ach["id"], kind="invention")
    created = me.push(ach, item)
    assert [r["outcome"] for r in created] == ["applied", "applied"]
    moved, unchanged = me.push(
        {"entity": "achievement", "id": ach["id"], "op": "update", "fields": {"institution_id": new[1]["id"]},
         "base": {"institution_id": old[1]["id"]}},
        {"entity": "ip_item", "id": item["id"], "op": "update", "fields": {"kind": "invention"},
         "base": {"kind": "invention"}},  # changes nothing: answered with the row's current version
    )
    assert moved["outcome"] == "applied" and unchanged["outcome"] == "applied"
    stored = _stored(engine, "ip_item", item["id"])
    assert stored.scope_id == new[1]["id"]
    assert unchanged["version"] == stored.version != created[1]["version"]  # the version the move gave it
