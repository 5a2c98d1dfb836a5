"""The province in full, the nation as digests: the province catalog bucket, the digest feed with its own cursor,
nothing-new pulls that stay cheap, one catalog record read in full, and where a user's home province comes from."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from market_server import accounts, digests, pull_fast_path, versions
from market_server.tables import ENTITY_TABLES
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login, unique


def _world(engine: Engine) -> dict[str, str]:
    jl, bj, nowhere = institution(region_code="220102"), institution(region_code="110108"), institution()
    jl_ach = achievement(jl[1]["id"], summary="吉林的成果简介")
    bj_ach = achievement(bj[1]["id"], summary="北京的成果简介", keywords=["催化"], trl=6, price=30.0,
                         price_mode="fixed", confidential_fields=["price"], domain="新材料")
    free_ach = achievement(nowhere[1]["id"])
    ip = ("ip_item", {"id": uuid7(), "achievement_id": bj_ach[1]["id"], "kind": "invention", "title": "专利甲"})
    demand = ("demand", {"id": uuid7(), "title": unique("需求"), "institution_id": bj[1]["id"],
                         "demand_type": "tech", "problem": "很长的问题描述", "budget": 5.0})
    expert = ("expert", {"id": uuid7(), "name": unique("专家")})
    add_rows(engine, jl, bj, nowhere, jl_ach, bj_ach, free_ach, ip, demand, expert)
    return {"jl": jl[1]["id"], "bj": bj[1]["id"], "nowhere": nowhere[1]["id"], "jl_ach": jl_ach[1]["id"],
            "bj_ach": bj_ach[1]["id"], "free_ach": free_ach[1]["id"], "ip": ip[1]["id"], "demand": demand[1]["id"],
            "expert": expert[1]["id"]}


def _pull(s: Session, cursors: dict[str, int], digests: bool = True) -> dict[str, Any]:
    r = s.client.post("/sync/pull", json={"device_id": s.device_id, "cursors": cursors, "limit": 5000,
                                          "digests": digests}, headers=s.headers)
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


def _digests(s: Session, cursor: int, limit: int = 2000) -> dict[str, Any]:
    r = s.client.post("/sync/digests", json={"device_id": s.device_id, "cursor": cursor, "limit": limit},
                      headers=s.headers)
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


def _ids(changes: list[dict[str, Any]]) -> set[str]:
    return {c["id"] for c in changes}


def test_catalog_holds_the_province_and_the_rest_comes_as_digests(jilin: TestClient, engine: Engine) -> None:
    w = _world(engine)
    s = login(jilin, add_user(engine))
    catalog = _ids(_pull(s, {})["changes"])
    assert {w["jl"], w["jl_ach"], w["nowhere"], w["free_ach"], w["expert"]} <= catalog
    assert not {w["bj"], w["bj_ach"], w["ip"], w["demand"]} & catalog
    whole = _ids(_pull(s, {}, digests=False)["changes"])  # a client that does not take digests: as before
    assert {w["bj"], w["bj_ach"], w["ip"], w["demand"]} <= whole

    page = _digests(s, 0)
    assert page["home_province"] == "22" and not page["has_more"]
    found = {d["id"]: d for d in page["digests"]}
    assert set(found) >= {w["bj"], w["bj_ach"], w["demand"]}
    assert not {w["jl"], w["jl_ach"], w["nowhere"], w["free_ach"], w["ip"], w["expert"]} & set(found)
    ach = found[w["bj_ach"]]
    assert ach["province"] == "11" and ach["institution_name"] and ach["org_type"] == "university"
    assert ach["fields"]["keywords"] == ["催化"] and ach["fields"]["trl"] == 6 and ach["fields"]["domain"] == "新材料"
    assert "summary" not in ach["fields"] and "price" not in ach["fields"]  # long text deferred, confidential masked
    assert found[w["demand"]]["fields"]["budget"] == 5.0 and "problem" not in found[w["demand"]]["fields"]
    versions_seen = [d["version"] for d in page["digests"]]
    assert versions_seen == sorted(versions_seen)


def test_digest_pages_follow_the_version_order_with_their_own_cursor(jilin: TestClient, engine: Engine) -> None:
    _world(engine)
    _world(engine)
    s = login(jilin, add_user(engine))
    whole = _digests(s, 0)["digests"]
    cursor, seen = 0, []
    while True:
        page = _digests(s, cursor, limit=2)
        seen.extend(page["digests"])
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert [d["id"] for d in seen] == [d["id"] for d in whole]


def test_nothing_new_stays_cheap_and_changes_arrive(jilin: TestClient, engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    w = _world(engine)
    s = login(jilin, add_user(engine))
    cursor = _digests(s, 0)["cursor"]
    with engine.connect() as conn:
        counter = versions.current(conn)
    assert cursor == counter  # past every version looked at, up to the counter

    statements: list[str] = []
    monkeypatch.setattr(digests, "_statement", _counting(digests._statement, statements))
    again = _digests(s, cursor)
    assert again["digests"] == [] and again["cursor"] == cursor and statements == []

    _touch(engine, "achievement", w["jl_ach"], "吉林改了")  # the home province: not a digest
    moved = _digests(s, cursor)
    assert moved["digests"] == [] and moved["cursor"] > cursor and statements  # one look, then past it
    statements.clear()
    assert _digests(s, moved["cursor"])["digests"] == [] and statements == []

    catalog = _pull(s, {})
    _touch(engine, "achievement", w["bj_ach"], "北京改了")  # elsewhere: a digest, and nothing for the catalog
    arrived = _digests(s, moved["cursor"])
    assert [d["id"] for d in arrived["digests"]] == [w["bj_ach"]]
    assert arrived["digests"][0]["fields"]["title"] == "北京改了"
    quiet = _pull(s, catalog["cursors"])
    assert quiet["changes"] == [] and quiet["cursors"]["catalog"] > catalog["cursors"]["catalog"]


def _counting(fn: Any, calls: list[str]) -> Any:
    def wrapped(*args: Any) -> Any:
        calls.append(str(args))
        return fn(*args)
    return wrapped


def _touch(engine: Engine, entity: str, row_id: str, title: str) -> None:
    table = ENTITY_TABLES[entity]
    with engine.begin() as conn:
        version = versions.allocate(conn, 1)
        conn.execute(update(table).where(table.c.id == row_id).values(title=title, version=version))


def test_a_rejected_institution_and_a_deleted_row_arrive_as_tombstones(jilin: TestClient, engine: Engine) -> None:
    w = _world(engine)
    s = login(jilin, add_user(engine))
    cursor = _digests(s, 0)["cursor"]
    table = ENTITY_TABLES["demand"]
    with engine.begin() as conn:
        version = versions.allocate(conn, 1)
        conn.execute(update(table).where(table.c.id == w["demand"]).values(deleted=True, version=version))
    page = _digests(s, cursor)
    assert [(d["id"], d["deleted"], d["fields"]) for d in page["digests"]] == [(w["demand"], True, {})]


def test_the_home_province_comes_from_the_market_or_the_account(jilin: TestClient, engine: Engine) -> None:
    w = _world(engine)
    elsewhere, whole = add_user(engine), add_user(engine)
    with engine.begin() as conn:
        accounts.set_home_province(conn, elsewhere, "11")
        accounts.set_home_province(conn, whole, "*")
        with pytest.raises(accounts.AccountError):
            accounts.set_home_province(conn, whole, "2")
    beijing = login(jilin, elsewhere)
    assert jilin.get("/auth/me", headers=beijing.headers).json()["home_province"] == "11"
    found = _ids(_digests(beijing, 0)["digests"])
    assert w["jl_ach"] in found and w["bj_ach"] not in found
    assert w["bj_ach"] in _ids(_pull(beijing, {})["changes"])

    nation = login(jilin, whole)
    assert jilin.get("/auth/me", headers=nation.headers).json()["home_province"] is None
    assert _digests(nation, 0) | {"server_time": ""} == {"digests": [], "cursor": 0, "has_more": False,
                                                       "home_province": None, "server_time": ""}
    assert w["bj_ach"] in _ids(_pull(nation, {})["changes"])
    admin = login(jilin, add_user(engine, role="admin"))  # administrators keep the whole catalog
    assert jilin.get("/auth/me", headers=admin.headers).json()["home_province"] is None
    assert w["bj_ach"] in _ids(_pull(admin, {})["changes"])


def test_an_assigned_institution_elsewhere_comes_in_full(jilin: TestClient, engine: Engine) -> None:
    w = _world(engine)
    s = login(jilin, add_user(engine, assigned=[w["bj"]]))
    assert not {w["bj"], w["bj_ach"], w["demand"]} & _ids(_digests(s, 0)["digests"])
    assert {w["bj"], w["bj_ach"], w["ip"], w["demand"]} <= _ids(_pull(s, {})["changes"])


def test_one_catalog_record_in_full(jilin: TestClient, engine: Engine, client: TestClient) -> None:
    w = _world(engine)
    s = login(jilin, add_user(engine))
    r = jilin.get(f"/catalog/achievement/{w['bj_ach']}", headers=s.headers)
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["row"]["fields"]["summary"] == "北京的成果简介" and record["row"]["masked"] == ["price"]
    assert "price" not in record["row"]["fields"]
    assert [c["id"] for c in record["children"]] == [w["ip"]]
    for path in (f"/catalog/achievement/{uuid7()}", f"/catalog/visit/{w['bj_ach']}", "/catalog/nothing/x"):
        assert jilin.get(path, headers=s.headers).status_code == 404, path
    assert jilin.get(f"/catalog/achievement/{w['bj_ach']}", headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
                     ).status_code == 401
    pending = institution(status="pending", region_code="110101")
    hidden = achievement(pending[1]["id"])
    add_rows(engine, pending, hidden)
    assert jilin.get(f"/catalog/achievement/{hidden[1]['id']}", headers=s.headers).status_code == 404
    # A server without a home province answers no digests, and the pull is the whole catalog.
    plain = login(client, s.username)
    assert _digests(plain, 0)["home_province"] is None and _digests(plain, 0)["digests"] == []
    assert w["bj_ach"] in _ids(_pull(plain, {})["changes"])


def test_an_institution_moved_to_another_province_moves_its_rows(jilin: TestClient, engine: Engine) -> None:
    w = _world(engine)
    jilin_user, beijing_user = add_user(engine), add_user(engine)
    with engine.begin() as conn:
        accounts.set_home_province(conn, beijing_user, "11")
    here, there = login(jilin, jilin_user), login(jilin, beijing_user)
    here_catalog, here_digests = _pull(here, {}), _digests(here, 0)
    there_catalog, there_digests = _pull(there, {}), _digests(there, 0)
    assert w["jl_ach"] in _ids(here_catalog["changes"]) and w["jl_ach"] in _ids(there_digests["digests"])

    editor = login(jilin, add_user(engine, role="admin"))  # specialists change only their pending proposals
    [result] = editor.push({"entity": "institution", "id": w["jl"], "op": "update",
                            "fields": {"region_code": "110105"}, "base": {"region_code": "220102"}})
    assert result["outcome"] == "applied", (result["reason"], result["problems"], result["message"])
    with engine.connect() as conn:
        stored = conn.execute(select(ENTITY_TABLES["institution"].c.version)
                              .where(ENTITY_TABLES["institution"].c.id == w["jl"])).scalar_one()
    assert result["version"] == stored  # the version the institution holds after its rows were re-versioned

    # Jilin: the institution and its achievement leave the catalog and come again as digests of Beijing.
    moved = {d["id"]: d for d in _digests(here, here_digests["cursor"])["digests"]}
    assert set(moved) == {w["jl"], w["jl_ach"]} and moved[w["jl_ach"]]["province"] == "11"
    assert not {w["jl"], w["jl_ach"]} & _ids(_pull(here, here_catalog["cursors"])["changes"])
    # Beijing: they come in full through its catalog, and no longer as digests.
    arrived = _ids(_pull(there, there_catalog["cursors"])["changes"])
    assert {w["jl"], w["jl_ach"]} <= arrived
    assert not {w["jl"], w["jl_ach"]} & _ids(_digests(there, there_digests["cursor"])["digests"])

    # A region changed within the province moves nothing: the achievement keeps its version.
    before = _pull(there, {})
    versions_before = {c["id"]: c["version"] for c in before["changes"]}
    [again] = editor.push({"entity": "institution", "id": w["jl"], "op": "update",
                           "fields": {"region_code": "110108"}, "base": {"region_code": "110105"}})
    assert again["outcome"] == "applied", again
    after = {c["id"]: c["version"] for c in _pull(there, {})["changes"]}
    assert after[w["jl_ach"]] == versions_before[w["jl_ach"]] and after[w["jl"]] > versions_before[w["jl"]]


def test_a_nothing_new_digest_request_is_answered_before_the_route_with_its_bytes(
        jilin: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    w = _world(engine)
    s = login(jilin, add_user(engine))
    routed: list[int] = []
    real = digests.digest_page
    monkeypatch.setattr(digests, "digest_page", lambda *a, **k: routed.append(1) or real(*a, **k))
    cursor = _digests(s, 0)["cursor"]  # the first page: the route
    assert routed == [1]

    def both(body: dict[str, Any], encoding: str) -> tuple[Any, Any]:
        headers = {**s.headers, "Accept-Encoding": encoding}
        fast = s.client.post("/sync/digests", json=body, headers=headers)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pull_fast_path, "_answer", _route_answers)
            slow = s.client.post("/sync/digests", json=body, headers=headers)
        return fast, slow

    for body in ({"device_id": s.device_id, "cursor": cursor}, {"device_id": s.device_id, "cursor": cursor + 5},
                 {"device_id": s.device_id, "cursor": cursor, "limit": 7}):
        for encoding in ("", "gzip"):
            routed.clear()
            fast, slow = both(body, encoding)
            assert routed == [1]  # only the request the fast path was told to let through
            assert fast.status_code == slow.status_code == 200
            assert _TIME.sub(b"", fast.content) == _TIME.sub(b"", slow.content)
            assert [h for h in fast.headers.multi_items() if h[0] not in ("x-request-id", "content-length")] == \
                [h for h in slow.headers.multi_items() if h[0] not in ("x-request-id", "content-length")]

    routed.clear()  # something new elsewhere, another device's id, a province's public feed: the route
    _touch(engine, "achievement", w["bj_ach"], "北京又改了")
    assert [d["id"] for d in _digests(s, cursor)["digests"]] == [w["bj_ach"]]
    wrong = s.client.post("/sync/digests", json={"device_id": "someone-else", "cursor": 0}, headers=s.headers)
    public = s.client.post("/sync/digests", json={"device_id": s.device_id, "cursor": 0, "province": "22"},
                           headers=s.headers)
    assert (wrong.status_code, public.status_code) == (403, 403) and routed == [1]  # refusals: the route's own


_TIME = re.compile(rb'"server_time":"[^"]*"')


async def _route_answers(*_args: Any) -> tuple[None, None]:
    return None, None
