"""Push: applied, merged, conflict, rejected, exactly-once retries, delete versus edit, conflict resolution."""

from __future__ import annotations

import json
import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from market_server.tables import ENTITY_TABLES, sync_conflict
from sync.ids import uuid7
from tests.market_server.conftest import Session, add_rows, add_user, institution, login


def _setup(client: TestClient, engine: Engine) -> tuple[Session, str]:
    inst = institution()
    add_rows(engine, inst)
    inst_id = inst[1]["id"]
    return login(client, add_user(engine, assigned=[inst_id])), inst_id


def _visit(inst_id: str, **fields: Any) -> dict[str, Any]:
    return {"entity": "visit", "id": uuid7(), "op": "create",
            "fields": {"institution_id": inst_id, "status": "planned", "purpose": "首访", **fields}}


def test_create_is_applied_with_a_version_and_server_fields(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    ach = {"entity": "achievement", "id": uuid7(), "op": "create",
           "fields": {"title": "新型材料", "institution_id": inst_id, "collected_by": "someone-else"}}
    [result] = me.push(ach)
    assert result["outcome"] == "applied" and result["version"] > 0
    table = ENTITY_TABLES["achievement"]
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == ach["id"])).one()
    assert row.collected_by == me.username and row.scope_id == inst_id and row.created_by == me.username


def test_demands_need_a_type_and_are_open_by_default(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    typed = {"entity": "demand", "id": uuid7(), "op": "create",
             "fields": {"title": "秸秆饲料化", "institution_id": inst_id, "demand_type": "tackling"}}
    untyped = {"entity": "demand", "id": uuid7(), "op": "create",
               "fields": {"title": "无类型", "institution_id": inst_id}}
    applied, refused = me.push(typed, untyped)
    assert applied["outcome"] == "applied"
    assert refused["outcome"] == "rejected" and refused["problems"][0]["code"] == "required"
    assert refused["problems"][0]["field"] == "demand_type"
    table = ENTITY_TABLES["demand"]
    with engine.begin() as conn:
        assert conn.execute(select(table.c.status).where(table.c.id == typed["id"])).scalar_one() == "open"
        conn.execute(table.update().where(table.c.id == typed["id"]).values(status=None))  # a row from before
    [edited] = me.push({"entity": "demand", "id": typed["id"], "op": "update", "fields": {"goal": "降本"},
                        "base": {"goal": None},
                        "base_version": applied["version"]})
    assert edited["outcome"] in ("applied", "merged"), edited


def test_retried_batch_is_a_no_op_with_the_same_answers(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    body = me.push_body(_visit(inst_id), _visit(inst_id, purpose=""), _visit(inst_id, status="bogus"))
    first = client.post("/sync/push", json=body, headers=me.headers).json()["results"]
    again = client.post("/sync/push", json=body, headers=me.headers).json()["results"]
    assert first == again
    assert [r["outcome"] for r in first] == ["applied", "applied", "rejected"]
    table = ENTITY_TABLES["visit"]
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(table).where(table.c.scope_id == inst_id)).scalar()
    assert count == 2


def test_rejected_mutation_does_not_block_the_rest(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    bad = _visit(inst_id, status="done")  # done needs visited_at
    results = me.push(bad, _visit(inst_id))
    assert results[0]["outcome"] == "rejected" and results[0]["reason"] == "validation"
    assert results[0]["problems"][0]["code"] == "visited_needs_date"
    assert "走访时间" in results[0]["message"]
    assert results[1]["outcome"] == "applied"


def test_unknown_entity_and_update_of_missing_row_are_rejected(client: TestClient, engine: Engine) -> None:
    me, _ = _setup(client, engine)
    results = me.push(
        {"entity": "spaceship", "id": uuid7(), "op": "create", "fields": {}},
        {"entity": "visit", "id": uuid7(), "op": "update", "fields": {"purpose": "x"}},
        {"entity": "visit", "id": "not-a-uuid", "op": "create", "fields": {}},
    )
    assert [r["reason"] for r in results] == ["bad_entity", "not_found", "validation"]


def test_different_fields_merge_same_field_conflicts(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    other = login(client, me.username)  # the same user's second laptop
    create = _visit(inst_id, notes="原纪要")
    [created] = me.push(create)
    base = {"purpose": "首访", "notes": "原纪要", "location": None}
    [a] = me.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"notes": "A 的纪要"},
                   "base": base, "base_version": created["version"]})
    [b] = other.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"location": "长春"},
                      "base": base, "base_version": created["version"]})
    assert a["outcome"] == "applied" and b["outcome"] == "merged"
    [c] = other.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"notes": "B 的纪要"},
                      "base": base, "base_version": created["version"]})
    assert c["outcome"] == "conflict"
    assert c["conflicts"][0] == {"id": c["conflict_id"], "field": "notes", "base": "原纪要",
                                 "theirs": "A 的纪要", "mine": "B 的纪要"}
    assert c["theirs_by"] == me.username
    listed = client.get("/sync/conflicts", headers=other.headers).json()
    assert [x["id"] for x in listed if x["row_id"] == create["id"]] == [c["conflict_id"]]
    # Resolve by keeping mine: an update based on theirs that names the conflict.
    [r] = other.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"notes": "B 的纪要"},
                      "base": {"notes": "A 的纪要"}, "resolves": c["conflict_id"]})
    assert r["outcome"] == "applied"
    listed = client.get("/sync/conflicts", headers=other.headers).json()
    assert all(x["id"] != c["conflict_id"] for x in listed)


def test_delete_versus_edit_is_a_conflict_and_nothing_is_lost(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    create = _visit(inst_id, notes="v1")
    me.push(create)
    row = {"institution_id": inst_id, "status": "planned", "purpose": "首访", "notes": "v1"}
    me.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"notes": "v2"}, "base": row})
    [deleted] = me.push({"entity": "visit", "id": create["id"], "op": "delete", "base": row})
    assert deleted["outcome"] == "conflict" and deleted["conflicts"][0]["field"] == "__deleted__"
    table = ENTITY_TABLES["visit"]
    with engine.connect() as conn:
        stored = conn.execute(select(table).where(table.c.id == create["id"])).one()
    assert not stored.deleted and stored.notes == "v2"
    # A delete from the current state wins; an edit after it is a conflict with the deleted row.
    [ok] = me.push({"entity": "visit", "id": create["id"], "op": "delete", "base": {**row, "notes": "v2"}})
    assert ok["outcome"] == "applied"
    [late] = me.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"notes": "v3"},
                      "base": {"notes": "v2"}})
    assert late["outcome"] == "conflict" and late["conflicts"][0]["field"] == "__deleted__"
    [again] = me.push({"entity": "visit", "id": create["id"], "op": "delete", "base": {}})
    assert again["outcome"] == "applied"


def test_keep_mine_after_a_delete_restores_the_row(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    create = _visit(inst_id, notes="v1")
    me.push(create)
    row = {"institution_id": inst_id, "status": "planned", "purpose": "首访", "notes": "v1"}
    [ok] = me.push({"entity": "visit", "id": create["id"], "op": "delete", "base": row})
    assert ok["outcome"] == "applied"
    [late] = me.push({"entity": "visit", "id": create["id"], "op": "update", "fields": {"notes": "v2"},
                      "base": {"notes": "v1"}})
    conflict_id = late["conflicts"][0]["id"]
    tombstone_version = late_version(engine, create["id"])
    # Only a change that resolves this very conflict restores the row; any other is still a conflict.
    [other] = me.push({"entity": "visit", "id": create["id"], "op": "create", "fields": {**row, "notes": "v2"},
                       "resolves": uuid7()})
    assert other["outcome"] == "conflict"
    [restored] = me.push({"entity": "visit", "id": create["id"], "op": "create", "fields": {**row, "notes": "v2"},
                          "resolves": conflict_id})
    assert restored["outcome"] == "applied" and restored["version"] > tombstone_version
    table = ENTITY_TABLES["visit"]
    with engine.connect() as conn:
        stored = conn.execute(select(table).where(table.c.id == create["id"])).one()
        open_conflicts = conn.execute(select(func.count()).select_from(sync_conflict).where(
            sync_conflict.c.id == conflict_id, sync_conflict.c.resolved.is_(False))).scalar_one()
    assert not stored.deleted and stored.notes == "v2"
    assert open_conflicts == 0
    changes, _ = me.pull_all()
    (pulled,) = [c for c in changes if c["id"] == create["id"]]
    assert not pulled["deleted"] and pulled["fields"]["notes"] == "v2"


def late_version(engine: Engine, row_id: str) -> int:
    table = ENTITY_TABLES["visit"]
    with engine.connect() as conn:
        return int(conn.execute(select(table.c.version).where(table.c.id == row_id)).scalar_one())


def test_server_managed_and_parent_fields(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    create = _visit(inst_id)
    me.push(create)
    other_inst = institution()
    add_rows(engine, other_inst)
    [moved] = me.push({"entity": "visit", "id": create["id"], "op": "update",
                       "fields": {"institution_id": other_inst[1]["id"]}, "base": {"institution_id": inst_id}})
    assert moved["outcome"] == "rejected" and moved["problems"][0]["code"] == "parent_not_changeable"


def test_resent_create_of_an_existing_row_merges(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    create = _visit(inst_id)
    me.push(create)
    [again] = me.push({**create, "fields": {**create["fields"], "location": "吉林"}})
    assert again["outcome"] == "applied"


def test_a_resent_batch_with_new_mutations_gets_the_old_answers_and_applies_the_new(
    client: TestClient, engine: Engine,
) -> None:
    me, inst_id = _setup(client, engine)
    sent = [_visit(inst_id), _visit(inst_id, status="bogus")]
    first = me.push(*sent, seqs=[1, 2])
    later = [_visit(inst_id), _visit(inst_id)]
    again = me.push(*sent, *later, seqs=[1, 2, 3, 4])  # the first answer was lost; the outbox grew meanwhile
    assert again[:2] == first
    assert [r["outcome"] for r in again] == ["applied", "rejected", "applied", "applied"]
    assert [r["id"] for r in again] == [m["id"] for m in (*sent, *later)]
    table = ENTITY_TABLES["visit"]
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(table).where(table.c.scope_id == inst_id)).scalar()
    assert count == 3


def test_first_pushes_of_one_device_at_once_all_get_the_same_answers(client: TestClient, engine: Engine) -> None:
    """A device's first batch sent several times at once (retries racing the original): each copy is answered,
    none with a 500 from two requests adding the device's progress row."""
    me, inst_id = _setup(client, engine)
    for device in range(6):
        laptop = login(client, me.username, device_id=f"racing-{device}")
        body = laptop.push_body(_visit(inst_id), _visit(inst_id))
        answers: list[tuple[int, Any]] = []

        def send(body: dict[str, Any] = body, answers: list[tuple[int, Any]] = answers,
                 headers: dict[str, str] = laptop.headers) -> None:
            response = client.post("/sync/push", json=body, headers=headers)
            answers.append((response.status_code, response.json()))

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [code for code, _ in answers] == [200] * 8, answers
        assert len({json.dumps(body["results"], sort_keys=True) for _, body in answers}) == 1


def test_a_specialist_submits_for_review_but_cannot_approve(client: TestClient, engine: Engine) -> None:
    me, inst_id = _setup(client, engine)
    created = {"entity": "achievement", "id": uuid7(), "op": "create",
               "fields": {"title": "自评通过的成果", "institution_id": inst_id, "review_status": "approved"}}
    [applied] = me.push(created)
    assert applied["outcome"] == "applied"
    table = ENTITY_TABLES["achievement"]

    def status() -> object:
        with engine.connect() as conn:
            return conn.execute(select(table.c.review_status).where(table.c.id == created["id"])).scalar_one()

    assert status() is None  # approving is the market's review, not the specialist's
    [submitted] = me.push({"entity": "achievement", "id": created["id"], "op": "update",
                           "fields": {"review_status": "pending"}, "base": {"review_status": None},
                           "base_version": applied["version"]})
    assert submitted["outcome"] in ("applied", "merged"), submitted
    assert status() == "pending"  # submitting for review is theirs
    [again] = me.push({"entity": "achievement", "id": created["id"], "op": "update",
                       "fields": {"review_status": "returned", "summary": "简介"},
                       "base": {"review_status": "pending", "summary": None}, "base_version": submitted["version"]})
    assert again["outcome"] in ("applied", "merged"), again
    assert status() == "pending"
