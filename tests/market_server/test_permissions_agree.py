"""The app's answer to "may I write this?" equals the server's, for every entity x role x assignment x proposal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
from market_server.scope import governing_institution, load_scope, second_governing_institution
from specialist_app.services import account
from specialist_app.services.refusals import rejection_text
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import rows as store_rows
from specialist_app.store.db import Store, open_store
from sync.entities import ENTITIES
from sync.ids import uuid7
from sync.permissions import Refusal
from sync.protocol import INSTITUTION_BUCKET_PREFIX, UserInfo
from tests.market_server.conftest import Session, add_rows, add_user, login

# The institution's review state, and who proposed it.
STATES = ("listed", "own_pending", "own_approved", "own_rejected", "other_pending")
ROLES = ("specialist", "admin")
# A field each entity's change writes (any field a specialist may set).
CHANGE = {"institution": "address", "contact": "notes", "visit": "purpose", "follow_up": "owner",
          "achievement": "domain", "ip_item": "title", "demand": "goal", "expert": "unit", "attachment": "caption",
          "match_record": "notes"}
SHA = "a" * 64


def _institution(state: str, username: str) -> dict[str, Any]:
    status, proposer = {
        "listed": ("active", None), "own_pending": ("pending", username), "own_approved": ("active", username),
        "own_rejected": ("rejected", username), "other_pending": ("pending", "someone_else"),
    }[state]
    return {"id": uuid7(), "name": f"机构{uuid7()[-8:]}", "org_type": "enterprise", "status": status,
            "proposed_by": proposer}


def _elsewhere() -> list[tuple[str, dict[str, Any]]]:
    """A listed institution the user is never assigned, with a demand and an achievement (match partners)."""
    inst = {"id": uuid7(), "name": f"机构{uuid7()[-8:]}", "org_type": "university", "status": "active"}
    return [("institution", inst),
            ("demand", {"id": uuid7(), "institution_id": inst["id"], "title": "别处的需求", "demand_type": "tackling",
                        "status": "open"}),
            ("achievement", {"id": uuid7(), "institution_id": inst["id"], "title": "别处的成果"})]


def _matches(inst_demand: str, inst_achievement: str, elsewhere: list[tuple[str, dict[str, Any]]]
             ) -> list[tuple[str, dict[str, Any]]]:
    """Matches governed by the institution through their demand, through their achievement, and by neither."""
    other_demand, other_achievement = elsewhere[1][1]["id"], elsewhere[2][1]["id"]
    common = {"source": "algorithm", "stage": "recommended"}
    return [("match_record", {"id": uuid7(), "demand_id": d, "achievement_id": a, **common})
            for d, a in ((inst_demand, other_achievement), (other_demand, inst_achievement),
                         (other_demand, other_achievement), (other_demand, None))]


def _records(inst: str) -> list[tuple[str, dict[str, Any]]]:
    """One row of every entity under the institution, and the rows governed by no institution."""
    visit, ach = uuid7(), uuid7()
    return [
        ("contact", {"id": uuid7(), "institution_id": inst, "name": "李工"}),
        ("visit", {"id": visit, "institution_id": inst, "status": "planned", "purpose": "走访"}),
        ("follow_up", {"id": uuid7(), "visit_id": visit, "action": "寄资料"}),
        ("achievement", {"id": ach, "institution_id": inst, "title": "成果"}),
        ("ip_item", {"id": uuid7(), "achievement_id": ach, "kind": "invention", "title": "专利"}),
        ("demand", {"id": uuid7(), "institution_id": inst, "title": "需求", "demand_type": "tackling",
                    "status": "open"}),
        ("attachment", {"id": uuid7(), "owner_entity": "visit", "owner_id": visit, "filename": "a.jpg",
                        "mime_type": "image/jpeg", "size": 10, "sha256": SHA}),
        ("attachment", {"id": uuid7(), "owner_entity": "institution", "owner_id": inst, "filename": "b.jpg",
                        "mime_type": "image/jpeg", "size": 10, "sha256": SHA}),
        ("achievement", {"id": uuid7(), "institution_id": None, "title": "无主成果"}),
        ("expert", {"id": uuid7(), "name": "张教授"}),
    ]


@pytest.fixture
def client_store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def _setup(client: TestClient, engine: Engine, role: str, assigned: bool,
           state: str) -> tuple[Session, UserInfo, list[tuple[str, dict[str, Any]]]]:
    username = add_user(engine, role=role)
    inst = _institution(state, username)
    records, elsewhere = _records(inst["id"]), _elsewhere()
    own_demand = next(v["id"] for name, v in records if name == "demand")
    own_achievement = next(v["id"] for name, v in records if name == "achievement")
    rows = [("institution", inst), *records, *elsewhere, *_matches(own_demand, own_achievement, elsewhere)]
    add_rows(engine, *rows)
    if assigned:
        with engine.begin() as conn:
            accounts.assign(conn, username, [inst["id"]])
    session = login(client, username)
    # The typed token answer the app records at every sync (a refresh, as the sync engine's first request does).
    answer = client.post("/auth/refresh", json={"refresh_token": session.refresh_token,
                                                "device_id": session.device_id})
    assert answer.status_code == 200, answer.text
    session.token, session.refresh_token = answer.json()["access_token"], answer.json()["refresh_token"]
    return session, UserInfo.model_validate(answer.json()["user"]), rows


def _as_the_app_knows_it(store: Store, session: Session, user: UserInfo,
                         rows: list[tuple[str, dict[str, Any]]]) -> None:
    """The client store after a sync: the rows, the pulled bucket list, the recorded account."""
    buckets = session.pull(limit=1)["buckets"]
    with UnitOfWork(store) as uow:
        for name, values in rows:
            store_rows.upsert_rows(uow.conn, name, [{**values, "server_version": 1}])
        uow.conn.exec_driver_sql("DELETE FROM assigned_institution")
        for bucket in buckets:
            if bucket.startswith(INSTITUTION_BUCKET_PREFIX):
                uow.conn.exec_driver_sql("INSERT INTO assigned_institution (institution_id) VALUES (?)",
                                         (bucket[len(INSTITUTION_BUCKET_PREFIX):],))
        account.record(uow.conn, user)
        uow.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "unassigned"])
@pytest.mark.parametrize("state", STATES)
def test_the_app_and_the_server_give_the_same_answer(
    client: TestClient, engine: Engine, client_store: Store, role: str, assigned: bool, state: str
) -> None:
    session, user, rows = _setup(client, engine, role, assigned, state)
    _as_the_app_knows_it(client_store, session, user, rows)
    with engine.connect() as conn, ReadUnitOfWork(client_store) as uow:
        server_user = accounts.find_user(conn, session.username)
        assert server_user is not None
        scope = load_scope(conn, server_user)
        who = account.load(uow, session.username)
        for name, values in rows:
            entity = ENTITIES[name]
            scope_id = governing_institution(conn, entity, values["id"], values)
            second = second_governing_institution(conn, entity, values)
            for new in (True, False):
                server = scope.write_refusal(entity, scope_id, None if new else values, second)
                app = account.write_refusal(uow, who, entity, values, new=new)
                assert app == server, (name, "create" if new else "change", values)

    # The real push path agrees for changes, and its refusal names the same reason the app gives.
    with ReadUnitOfWork(client_store) as uow:
        expected = [account.write_refusal(uow, who, ENTITIES[name], values) for name, values in rows]
    if role == "specialist" and state == "listed":  # a match is written through either of its institutions
        through = [refusal for (name, _), refusal in zip(rows, expected, strict=True) if name == "match_record"]
        mine = None if assigned else Refusal.NOT_ASSIGNED
        assert through == [mine, mine, Refusal.NOT_ASSIGNED, Refusal.NOT_ASSIGNED], through
    field_of = {name: CHANGE[name] for name, _ in rows}
    results = session.push(*[
        {"entity": name, "id": values["id"], "op": "update", "fields": {field_of[name]: "改过"},
         "base": {field_of[name]: values.get(field_of[name])}}
        for name, values in rows
    ])
    for (name, _values), result, refusal in zip(rows, results, expected, strict=True):
        if refusal is None:
            assert result["outcome"] == "applied", (name, result)
        else:
            assert (result["outcome"], result["reason"]) == ("rejected", "permission"), (name, result)
            assert result["problems"][0]["params"]["refusal"] == refusal, (name, result)


def test_every_refusal_reads_in_both_languages(client: TestClient, engine: Engine) -> None:
    """A refused push says why in Chinese without English inside, and in English for an English app."""
    session, _user, rows = _setup(client, engine, "specialist", False, "listed")
    [result] = session.push({"entity": "contact", "id": rows[1][1]["id"], "op": "update",
                             "fields": {"notes": "改"}, "base": {"notes": None}})
    assert result["problems"][0]["params"]["refusal"] == Refusal.NOT_ASSIGNED
    stored = {"entity": "contact", "reason": result["reason"], "problems": result["problems"],
              "message": result["message"]}
    assert rejection_text(stored, "zh_CN") == "您没有权限修改该记录（该机构未分配给您）"
    assert result["message"] == "您没有权限修改该记录（该机构未分配给您）"
    assert rejection_text(stored, "en") == "You are not allowed to change this record (institution not assigned to you)"
    # A rejection stored from an older server (English inside the Chinese message) is translated too.
    old = {"entity": "contact", "reason": "permission", "problems": [],
           "message": "您没有权限修改该记录（institution not assigned to you）"}
    assert rejection_text(old, "zh_CN") == "您没有权限修改该记录（该机构未分配给您）"
