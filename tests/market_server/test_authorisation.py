"""Who may write what: every rule of "Who sees what", closed by default."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from market_server.tables import ENTITY_TABLES
from sync.ids import uuid7
from tests.market_server.conftest import achievement, add_rows, add_user, institution, login


def _create(entity: str, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": uuid7(), "op": "create", "fields": fields}


def _outcomes(results: list[dict[str, Any]]) -> list[str]:
    return [r["outcome"] if r["outcome"] != "rejected" else f"rejected:{r['reason']}" for r in results]


def test_specialist_writes_only_for_assigned_institutions(client: TestClient, engine: Engine) -> None:
    mine, theirs = institution(), institution()
    add_rows(engine, mine, theirs)
    me = login(client, add_user(engine, assigned=[mine[1]["id"]]))
    for inst_id, expected in ((mine[1]["id"], "applied"), (theirs[1]["id"], "rejected:permission")):
        visit = _create("visit", institution_id=inst_id, status="planned")
        ach = _create("achievement", institution_id=inst_id, title="成果")
        results = me.push(
            _create("contact", institution_id=inst_id, name="李工"),
            visit,
            _create("follow_up", visit_id=visit["id"], action="寄送资料"),
            ach,
            _create("ip_item", achievement_id=ach["id"], kind="invention"),
            _create("demand", institution_id=inst_id, title="需求", demand_type="tackling"),
            _create("attachment", owner_entity="visit", owner_id=visit["id"], filename="a.jpg",
                    mime_type="image/jpeg", size=10, sha256="a" * 64),
        )
        if expected == "applied":
            assert _outcomes(results) == ["applied"] * 7
        else:
            # Children of refused parents are refused too (their parent does not exist).
            assert set(_outcomes(results)) <= {"rejected:permission", "rejected:not_found"}
            assert _outcomes(results)[0] == "rejected:permission"


def test_specialist_cannot_edit_or_delete_other_institutions_rows(client: TestClient, engine: Engine) -> None:
    inst = institution()
    ach = achievement(inst[1]["id"])
    add_rows(engine, inst, ach)
    me = login(client, add_user(engine))
    results = me.push(
        {"entity": "achievement", "id": ach[1]["id"], "op": "update", "fields": {"title": "改"},
         "base": {"title": ach[1]["title"]}},
        {"entity": "achievement", "id": ach[1]["id"], "op": "delete", "base": {}},
        {"entity": "institution", "id": inst[1]["id"], "op": "update", "fields": {"address": "x"}},
    )
    assert _outcomes(results) == ["rejected:permission"] * 3
    assert "没有权限" in results[0]["message"]


def test_achievement_without_institution_needs_an_admin(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    admin = login(client, add_user(engine, role="admin"))
    row = _create("achievement", title="无主成果")
    assert _outcomes(me.push(row)) == ["rejected:permission"]
    assert _outcomes(admin.push(row)) == ["applied"]


def test_experts_are_written_by_admins_only(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    admin = login(client, add_user(engine, role="admin"))
    expert = _create("expert", name="张教授")
    assert _outcomes(me.push(expert)) == ["rejected:permission"]
    assert _outcomes(admin.push(expert)) == ["applied"]


def test_proposed_institution_is_pending_and_editable_by_its_proposer(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    other = login(client, add_user(engine))
    admin = login(client, add_user(engine, role="admin"))
    proposal = _create("institution", name="新发现的企业", org_type="enterprise", status="active",
                       proposed_by="someone")
    contact = _create("contact", institution_id=proposal["id"], name="赵经理")
    assert _outcomes(me.push(proposal, contact)) == ["applied", "applied"]
    table = ENTITY_TABLES["institution"]
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == proposal["id"])).one()
    assert row.status == "pending" and row.proposed_by == me.username
    edit = {"entity": "institution", "id": proposal["id"], "op": "update", "fields": {"address": "长春市"},
            "base": {"address": None}}
    assert _outcomes(me.push(edit)) == ["applied"]
    assert _outcomes(other.push(edit)) == ["rejected:permission"]
    # Visible to the proposer (full) and admins, not to others.
    mine = {c["id"] for c in me.pull_all()[0]}
    assert {proposal["id"], contact["id"]} <= mine
    assert proposal["id"] not in {c["id"] for c in other.pull_all()[0]}
    assert proposal["id"] in {c["id"] for c in admin.pull_all()[0]}
    # Once approved by an admin the proposer can no longer edit it.
    approve = {"entity": "institution", "id": proposal["id"], "op": "update", "fields": {"status": "active"},
               "base": {"status": "pending"}}
    assert _outcomes(admin.push(approve)) == ["applied"]
    assert _outcomes(me.push({**edit, "fields": {"address": "吉林市"}, "base": {"address": "长春市"}})) == [
        "rejected:permission"]


def test_server_managed_fields_cannot_be_set_by_specialists(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    me = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    ach = _create("achievement", institution_id=inst[1]["id"], title="成果", collected_by="mallory")
    me.push(ach)
    me.push({"entity": "achievement", "id": ach["id"], "op": "update", "fields": {"collected_by": "mallory"},
             "base": {"collected_by": me.username}})
    table = ENTITY_TABLES["achievement"]
    with engine.connect() as conn:
        assert conn.execute(select(table.c.collected_by).where(table.c.id == ach["id"])).scalar() == me.username


def test_blob_download_needs_a_readable_attachment_row(client: TestClient, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    insider = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    outsider = login(client, add_user(engine))
    data = b"%PDF-1.4\n" + b"x" * 100
    sha = hashlib.sha256(data).hexdigest()
    assert client.put(f"/blobs/{sha}", content=data, headers=insider.headers).json()["complete"] is True
    visit = _create("visit", institution_id=inst[1]["id"], status="planned")
    insider.push(visit, _create("attachment", owner_entity="visit", owner_id=visit["id"], filename="a.pdf",
                                mime_type="application/pdf", size=len(data), sha256=sha))
    assert client.get(f"/blobs/{sha}", headers=insider.headers).content == data
    assert client.get(f"/blobs/{sha}", headers=outsider.headers).status_code == 404
