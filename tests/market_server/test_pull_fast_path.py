"""Nothing-new pulls answered before routing (pull_fast_path): the route's bytes and headers, only when the route would
answer the same; every refusal, and every change to a token, account or assignment, from the next request on."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
import zstandard
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, select, text, update

from market_server import accounts, deps, pull, pull_fast_path
from market_server.async_reads import APPLICATION_NAME
from market_server.tables import access_token, app_user, device
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login

_TIME = re.compile(rb'"server_time":"[^"]*"')


@pytest.fixture
def route_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """[pulls the route answered] (pull.pull_body counted)."""
    calls = [0]
    real: Callable[..., bytes] = pull.pull_body

    def counted(*args: Any) -> bytes:
        calls[0] += 1
        return real(*args)

    monkeypatch.setattr(pull, "pull_body", counted)
    return calls


def _post(me: Session, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> Response:
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    given = {**me.headers, "Content-Type": "application/json", **(headers or {})}
    return me.client.post("/sync/pull", content=content, headers={k: v for k, v in given.items() if v})


async def _route_answers(*_args: Any) -> tuple[None, None]:
    return None, None


def _both(me: Session, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None
          ) -> tuple[Response, Response]:
    """The answer with the fast path, then the route's (the fast path told to let every pull through)."""
    fast = _post(me, body, headers)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pull_fast_path, "_answer", _route_answers)
        routed = _post(me, body, headers)
    return fast, routed


def _assert_same(fast: Response, routed: Response) -> None:
    assert fast.status_code == routed.status_code, (fast.text, routed.text)
    assert _TIME.sub(b"", _content(fast)) == _TIME.sub(b"", _content(routed))
    assert _headers(fast) == _headers(routed)


def _headers(response: Response) -> list[tuple[str, str]]:
    """All but the request id, and the length of a compressed answer (its server_time may compress differently)."""
    varying = {"x-request-id", *(["content-length"] if "content-encoding" in response.headers else [])}
    return [(k, v) for k, v in response.headers.multi_items() if k not in varying]


def _page(response: Response) -> dict[str, Any]:
    page: dict[str, Any] = orjson.loads(_content(response))
    return page


def _content(response: Response) -> bytes:
    if response.headers.get("content-encoding") == "zstd":  # httpx decodes gzip, not zstd
        return zstandard.ZstdDecompressor().decompress(response.content)
    return response.content


def _synced(client: TestClient, engine: Engine, institutions: int) -> tuple[Session, dict[str, int]]:
    insts = [institution() for _ in range(institutions)]
    add_rows(engine, *insts, *[achievement(i[1]["id"]) for i in insts])
    me = login(client, add_user(engine, assigned=[i[1]["id"] for i in insts]))
    _, last = me.pull_all()
    return me, last["cursors"]


@pytest.mark.parametrize("institutions", [1, 40])  # 40: an answer over 1 KiB, compressed as the client asks
def test_nothing_new_is_answered_before_the_route_with_its_bytes(
    client: TestClient, engine: Engine, route_calls: list[int], institutions: int
) -> None:
    me, cursors = _synced(client, engine, institutions)
    body = {"device_id": me.device_id, "cursors": cursors}
    _post(me, body)  # the instance's marks brought up to the counter
    variants: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({}, {}), ({"count_total": True}, {}), ({"skip": ["catalog"]}, {}), ({}, {"Accept-Encoding": "zstd"}),
        ({}, {"Accept-Encoding": "gzip"}), ({"limit": 5, "unknown": 1}, {"Accept-Encoding": ""}),
    ]
    for extra, headers in variants:
        before = route_calls[0]
        fast, routed = _both(me, {**body, **extra}, headers)
        assert route_calls[0] == before + 1, "the fast path answered the first one"
        _assert_same(fast, routed)
        page = _page(fast)
        assert page["changes"] == [] and page["cursors"] == cursors and not page["has_more"]
        assert ("total" in page) == bool(extra.get("count_total"))
    big = _post(me, body, {"Accept-Encoding": "gzip"})
    assert big.headers.get("content-encoding") == ("gzip" if institutions == 40 else None)
    # A body sent zstd-compressed is decoded before the fast path sees it.
    before = route_calls[0]
    packed = _post(me, zstandard.ZstdCompressor().compress(orjson.dumps(body)), {"Content-Encoding": "zstd"})
    assert packed.status_code == 200 and orjson.loads(packed.content)["changes"] == []
    assert route_calls[0] == before


def test_anything_else_goes_on_to_the_route(client: TestClient, engine: Engine, route_calls: list[int]) -> None:
    me, cursors = _synced(client, engine, 2)
    body = {"device_id": me.device_id, "cursors": cursors}
    _post(me, body)
    admin = login(client, add_user(engine, role="admin"))
    _, admin_last = admin.pull_all()
    cases: list[tuple[Session, dict[str, Any] | bytes, dict[str, str], int]] = [
        (me, body, {"Authorization": ""}, 401),
        (me, body, {"Authorization": "Bearer mka_not-a-token"}, 401),
        (me, body, {"Authorization": f"Basic {me.token}"}, 401),
        (me, {**body, "device_id": "someone-else"}, {}, 403),
        (me, body, {PROTOCOL_HEADER: "0"}, 426),
        (me, body, {PROTOCOL_HEADER: "99"}, 426),
        (me, body, {PROTOCOL_HEADER: ""}, 426),
        (me, b"{not json", {}, 422),
        (me, b"", {}, 422),
        (me, {**body, "limit": 0}, {}, 422),
        (me, {**body, "cursors": {"own": -1}}, {}, 422),
        (me, {**body, "view": "public"}, {}, 403),
        (me, body, {"Content-Type": "text/plain"}, 422),
        (admin, {"device_id": admin.device_id, "cursors": admin_last["cursors"]}, {}, 200),  # administrators page
        (me, {**body, "cursors": {}}, {}, 200),  # something new
    ]
    for who, sent, headers, status in cases:
        fast, routed = _both(who, sent, headers)
        _assert_same(fast, routed)
        assert fast.status_code == status, (sent, headers, fast.text)
    assert route_calls[0] >= 2 * 3  # the 200s above, each answered by the route both times


@pytest.fixture
def signed_in(client: TestClient, engine: Engine) -> Iterator[tuple[Session, dict[str, Any]]]:
    """A synced specialist whose nothing-new pulls the fast path answers."""
    me, cursors = _synced(client, engine, 2)
    body = {"device_id": me.device_id, "cursors": cursors}
    assert _post(me, body).status_code == 200
    yield me, body


def test_a_revoked_device_is_refused_at_once(
        engine: Engine, signed_in: tuple[Session, dict[str, Any]], route_calls: list[int]) -> None:
    me, body = signed_in
    assert _post(me, body).status_code == 200 and route_calls[0] == 0
    with engine.begin() as conn:  # the flag alone (revoke_device also deletes the device's access tokens)
        conn.execute(update(device).where(device.c.device_id == me.device_id).values(revoked=True))
    assert _post(me, body).status_code == 401
    with engine.begin() as conn:
        conn.execute(update(device).where(device.c.device_id == me.device_id).values(revoked=False))
    assert _post(me, body).status_code == 200
    with engine.begin() as conn:
        accounts.revoke_device(conn, me.username, me.device_id)
    assert _post(me, body).status_code == 401


def test_a_disabled_account_is_refused_at_once(engine: Engine, signed_in: tuple[Session, dict[str, Any]]) -> None:
    me, body = signed_in
    with engine.begin() as conn:  # the flag alone (disable_user also deletes the tokens)
        conn.execute(update(app_user).where(app_user.c.username == me.username).values(disabled=True))
    refused = _post(me, body)
    assert refused.status_code == 403 and refused.json()["code"] == "account_disabled"


def test_an_expired_token_is_refused(engine: Engine, signed_in: tuple[Session, dict[str, Any]]) -> None:
    me, body = signed_in
    with engine.begin() as conn:
        conn.execute(update(access_token).values(expires_at=1).where(
            access_token.c.user_id == select(app_user.c.id).where(app_user.c.username == me.username)
            .scalar_subquery()))
    assert _post(me, body).status_code == 401


def test_assignments_count_from_the_next_pull(engine: Engine, signed_in: tuple[Session, dict[str, Any]]) -> None:
    me, body = signed_in
    extra = institution()
    add_rows(engine, extra)
    with engine.begin() as conn:
        accounts.assign(conn, me.username, [extra[1]["id"]])
    fast, routed = _both(me, body)
    _assert_same(fast, routed)
    assert f"inst:{extra[1]['id']}" in fast.json()["buckets"] and fast.json()["changes"]
    with engine.begin() as conn:
        accounts.unassign(conn, me.username, [extra[1]["id"]])
    _, last = me.pull_all(body["cursors"])
    fast, routed = _both(me, {**body, "cursors": last["cursors"]})
    _assert_same(fast, routed)
    assert f"inst:{extra[1]['id']}" not in fast.json()["buckets"] and fast.json()["changes"] == []


def test_a_rotated_token_is_confirmed_by_the_route(
    client: TestClient, engine: Engine, signed_in: tuple[Session, dict[str, Any]], route_calls: list[int]
) -> None:
    me, body = signed_in
    answer = client.post("/auth/refresh", json={"refresh_token": me.refresh_token, "device_id": me.device_id})
    assert answer.status_code == 200, answer.text
    me.token = answer.json()["access_token"]
    assert _post(me, body).status_code == 200 and route_calls[0] == 1  # the route confirmed the rotation
    with engine.connect() as conn:
        confirmed = conn.execute(select(device.c.rotation_confirmed).where(device.c.device_id == me.device_id))
        assert confirmed.scalar_one() is True
    assert _post(me, body).status_code == 200 and route_calls[0] == 1  # and the fast path answers again


def test_a_province_catalog_catches_up_as_the_route_does(
    client: TestClient, engine: Engine, route_calls: list[int]
) -> None:
    """A specialist who takes digests: an empty page moves the catalog cursor up to the counter (pull.pull_body)."""
    me, cursors = _synced(client, engine, 1)
    with engine.begin() as conn:
        accounts.set_home_province(conn, me.username, "22")
    elsewhere = institution(region_code="110108")
    add_rows(engine, elsewhere)
    body = {"device_id": me.device_id, "cursors": cursors, "digests": True}
    caught_up = _post(me, body).json()["cursors"]  # the route: the new institution is another province's
    add_rows(engine, ("visit", {"id": uuid7(), "institution_id": elsewhere[1]["id"], "status": "done"}))
    _post(me, {**body, "cursors": caught_up})  # the instance's marks brought up to the counter
    before = route_calls[0]
    fast, routed = _both(me, {**body, "cursors": caught_up})
    assert route_calls[0] == before + 1
    _assert_same(fast, routed)
    assert fast.json()["changes"] == [] and fast.json()["cursors"]["catalog"] > caught_up["catalog"]
    for extra in ({"digests": False}, {"skip": ["catalog"]}):
        fast, routed = _both(me, {**body, "cursors": caught_up, **extra})
        _assert_same(fast, routed)
        assert fast.json()["cursors"]["catalog"] == caught_up["catalog"]


def test_on_postgresql_the_probe_runs_on_the_event_loop(
    engine: Engine, signed_in: tuple[Session, dict[str, Any]], route_calls: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No worker thread (its probe refuses to run); connections the database drops are opened again, and the pull
    that met the dropped one is answered by the route."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's probe runs on a worker thread")
    me, body = signed_in

    def no_thread(*_args: Any) -> None:
        raise AssertionError("the probe ran on a worker thread")

    monkeypatch.setattr(pull_fast_path, "_probe", no_thread)
    assert _post(me, body).status_code == 200 and route_calls[0] == 0
    mine = f"{APPLICATION_NAME} {os.getpid()}"  # this process's loop connections (the test client's)
    with engine.connect() as conn:
        dropped = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE application_name = :name"), {"name": mine}).scalar_one()
    assert dropped >= 1
    assert _post(me, body).status_code == 200 and route_calls[0] == 1
    assert _post(me, body).status_code == 200 and route_calls[0] == 1


def test_a_pull_with_changes_is_routed_without_reading_the_token_again(
    signed_in: tuple[Session, dict[str, Any]], route_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The route takes the user and scope the fast path read (one statement for the request, not four)."""
    me, body = signed_in
    token_reads = [0]
    real: Callable[..., Any] = deps.current_user

    def counted(*args: Any) -> Any:
        token_reads[0] += 1
        return real(*args)

    monkeypatch.setattr(deps, "current_user", counted)
    fast, routed = _both(me, {**body, "cursors": {}})
    _assert_same(fast, routed)
    assert fast.json()["changes"] and route_calls[0] == 2
    assert token_reads[0] == 1  # the second pull's: its fast path was told to let everything through unread
