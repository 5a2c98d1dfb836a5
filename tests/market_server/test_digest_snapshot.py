"""Digest snapshots, the server's part: a province's public view (the catalog bucket and the digest feed as a
specialist of that province with no institutions gets them; administrators only), and snapshots that name a home
province, offered only to users of that province and never to a client asking without one."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from market_server import accounts, versions
from market_server.tables import catalog_snapshot
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login


def _world(engine: Engine) -> None:
    jl, bj = institution(region_code="220102"), institution(region_code="110108")
    add_rows(engine, jl, bj,
             achievement(jl[1]["id"], price=10.0, price_mode="fixed", confidential_fields=["price"]),
             achievement(bj[1]["id"], price=30.0, price_mode="fixed", confidential_fields=["price"], trl=6),
             achievement(bj[1]["id"]))


def _post(s: Session, path: str, body: dict[str, Any]) -> Any:
    return s.client.post(path, json={"device_id": s.device_id, **body}, headers=s.headers)


def _ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


def _without_time(page: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in page.items() if k != "server_time"}


def test_a_provinces_public_view_is_what_its_new_specialist_gets(jilin: TestClient, engine: Engine) -> None:
    _world(engine)
    admin = login(jilin, add_user(engine, role="admin"))
    specialist = login(jilin, add_user(engine))
    mine = _without_time(_ok(_post(specialist, "/sync/pull", {"cursors": {}, "limit": 5000, "digests": True})))
    public = _without_time(_ok(_post(admin, "/sync/pull", {"cursors": {}, "limit": 5000, "view": "public",
                                                           "province": "22"})))
    assert public["changes"] == mine["changes"] and public["changes"]
    assert public["cursors"]["catalog"] == mine["cursors"]["catalog"]
    whole = _ok(_post(admin, "/sync/pull", {"cursors": {}, "limit": 5000, "view": "public"}))
    assert len(whole["changes"]) > len(public["changes"])  # without a province: the nation, as before

    feed = _without_time(_ok(_post(specialist, "/sync/digests", {"cursor": 0, "limit": 5000})))
    public_feed = _without_time(_ok(_post(admin, "/sync/digests", {"cursor": 0, "limit": 5000, "province": "22"})))
    assert public_feed == feed and feed["digests"] and feed["home_province"] == "22"
    priced = [d for d in public_feed["digests"] if d["entity"] == "achievement" and d["fields"].get("trl") == 6]
    assert priced and all("price" not in d["fields"] for d in priced)  # confidential: left out
    beijing = _ok(_post(admin, "/sync/digests", {"cursor": 0, "limit": 5000, "province": "11"}))
    assert beijing["home_province"] == "11" and {d["id"] for d in beijing["digests"]} != \
        {d["id"] for d in feed["digests"]}
    own = _ok(_post(admin, "/sync/digests", {"cursor": 0, "limit": 5000}))
    assert own["digests"] == [] and own["home_province"] is None  # an administrator's own feed: none, as before


def test_a_provinces_public_view_is_for_administrators(jilin: TestClient, engine: Engine) -> None:
    specialist = login(jilin, add_user(engine))
    admin = login(jilin, add_user(engine, role="admin"))
    refused = _post(specialist, "/sync/pull", {"cursors": {}, "view": "public", "province": "22"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    refused = _post(specialist, "/sync/digests", {"cursor": 0, "province": "22"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert _post(admin, "/sync/pull", {"cursors": {}, "province": "22"}).status_code == 422  # public view only
    for bad in ("2", "022", "*", "ab"):
        assert _post(admin, "/sync/digests", {"cursor": 0, "province": bad}).status_code == 422, bad


def _put(s: Session, data: bytes, fmt: str, cursor: int, province: str | None) -> Any:
    params: dict[str, Any] = {"format": fmt, "cursor": cursor, "sha256": hashlib.sha256(data).hexdigest()}
    if province is not None:
        params["province"] = province
    return s.client.put("/catalog-snapshot", params=params, content=data, headers=s.headers)


def _meta(s: Session, fmt: str, province: str | None = None) -> Any:
    params = {"format": fmt, **({"province": province} if province else {})}
    return s.client.get("/catalog-snapshot", params=params, headers=s.headers)


def test_a_digest_snapshot_is_offered_to_its_province_only(jilin: TestClient, engine: Engine) -> None:
    admin = login(jilin, add_user(engine, role="admin"))
    fmt = f"test-{os.urandom(4).hex()}.digest"
    with engine.connect() as conn:
        cursor = versions.current(conn)
    national = _put(admin, os.urandom(300), fmt, cursor, None)
    assert national.status_code == 201 and "province" not in national.json()  # answered as before
    province = _put(admin, os.urandom(300), fmt, cursor, "22")
    assert province.status_code == 201 and province.json()["province"] == "22"

    jl = login(jilin, add_user(engine))
    got = _meta(jl, fmt, "22")
    assert got.status_code == 200 and got.json() == province.json()
    older = _meta(jl, fmt)  # a client asking without a province (older ones): the public catalog's, as before
    assert older.status_code == 200 and older.json() == national.json()

    elsewhere = add_user(engine)
    with engine.begin() as conn:
        accounts.set_home_province(conn, elsewhere, "11")
    bj = login(jilin, elsewhere)
    wrong = _meta(bj, fmt, "22")
    assert wrong.status_code == 404 and wrong.json()["details"] == {"reason": "province"}
    assert _meta(bj, fmt, "11").json()["details"] == {"reason": "none"}
    assert _meta(admin, fmt, "22").json()["details"] == {"reason": "administrator"}
    assert _meta(jl, fmt, "2").status_code == 422

    for _ in range(3):  # the newest two of each format and province are kept: the national one stays
        assert _put(admin, os.urandom(300), fmt, cursor, "22").status_code == 201
    with engine.connect() as conn:
        kept = conn.execute(select(catalog_snapshot.c.province).where(catalog_snapshot.c.format == fmt)).scalars()
        assert sorted(kept, key=str) == sorted([None, "22", "22"], key=str)
    assert _meta(jl, fmt).json() == national.json()
