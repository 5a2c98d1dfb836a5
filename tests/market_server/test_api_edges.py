"""Protocol versions, bad input answered with 4xx and a reason, OpenAPI, migrations matching the tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server.tables import metadata
from sync.protocol import MAX_PULL_LIMIT, PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.market_server.conftest import add_user, login


def test_outdated_client_gets_426_naming_the_version(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    body = {"device_id": me.device_id, "cursors": {}}
    for value in ("0", None, "junk"):
        headers = {"Authorization": f"Bearer {me.token}"}
        if value is not None:
            headers[PROTOCOL_HEADER] = value
        response = client.post("/sync/pull", json=body, headers=headers)
        assert response.status_code == 426
        error = response.json()
        assert error["code"] == "protocol_outdated" and "0.1.0" in error["message"] and "0.1.0" in error["message_en"]
    newer = client.post("/sync/pull", json=body, headers={**me.headers, PROTOCOL_HEADER: str(PROTOCOL_VERSION + 1)})
    assert newer.status_code == 426 and newer.json()["code"] == "server_outdated"


def test_unknown_message_fields_are_ignored(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    response = client.post("/sync/pull", json={"device_id": me.device_id, "cursors": {}, "future": {"x": 1}},
                           headers=me.headers)
    assert response.status_code == 200


def test_bad_input_is_4xx_with_a_reason_never_500(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    bad_requests = [
        ("post", "/sync/push", {"device_id": me.device_id, "mutations": [{"seq": 0, "entity": "visit"}]}),
        ("post", "/sync/push", {"device_id": me.device_id, "mutations": "nope"}),
        ("post", "/sync/push", [1, 2, 3]),
        ("post", "/sync/push", {"device_id": me.device_id, "mutations": [
            {"seq": 1, "entity": "visit", "id": "x", "op": "explode"}]}),
        ("post", "/sync/pull", {"device_id": me.device_id, "limit": MAX_PULL_LIMIT + 1}),
        ("post", "/sync/pull", {"device_id": me.device_id, "cursors": {"catalog": "abc"}}),
        ("post", "/auth/refresh", {}),
        ("patch", f"/blobs/{'3' * 64}?offset=-1", None),
        ("get", "/no/such/path", None),
    ]
    for method, path, body in bad_requests:
        response = client.request(method, path, json=body, headers=me.headers)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        error = response.json()
        assert error["code"] and error["message"] and error["message_en"], (path, error)
    odd = client.post("/sync/push", content=b"\xff\xfe", headers={**me.headers, "Content-Type": "application/json"})
    assert odd.status_code == 422


def test_push_with_odd_values_is_rejected_per_mutation(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine, role="admin"))
    results = me.push(
        {"entity": "achievement", "id": "0190f5c4-0000-7000-8000-000000000001", "op": "create",
         "fields": {"title": {"nested": True}, "trl": "eleven", "price": [1, 2]}},
        {"entity": "expert", "id": "0190f5c4-0000-7000-8000-000000000002", "op": "create",
         "fields": {"name": "x" * 10_000, "no_such_field": 1}},
    )
    assert [r["outcome"] for r in results] == ["rejected", "rejected"]
    assert {p["code"] for p in results[1]["problems"]} == {"too_long", "unknown_field"}


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/auth/login", "/sync/push", "/sync/pull", "/sync/conflicts", "/blobs/{sha}"} <= set(spec["paths"])


def test_responses_carry_a_request_id(client: TestClient) -> None:
    assert client.get("/health").headers["X-Request-Id"]
    assert client.get("/health", headers={"X-Request-Id": "abc123"}).headers["X-Request-Id"] == "abc123"


def test_migrations_match_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
