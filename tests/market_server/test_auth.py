"""Sign-in: login, refresh, logout, rate limiting, disabled accounts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from market_server import accounts
from market_server.tables import app_user, device
from tests.market_server.conftest import PASSWORD, add_user, login, unique


def test_login_returns_tokens_and_user_info(client: TestClient, engine: Engine) -> None:
    name = add_user(engine)
    session = login(client, name)
    assert session.token.startswith("mka_") and session.refresh_token.startswith("mkr_")
    me = client.get("/auth/me", headers=session.headers)
    assert me.status_code == 200
    assert me.json()["username"] == name and me.json()["role"] == "specialist"


def test_tokens_and_passwords_are_stored_hashed(client: TestClient, engine: Engine) -> None:
    name = add_user(engine)
    session = login(client, name)
    with engine.connect() as conn:
        stored = conn.execute(select(app_user.c.password_hash).where(app_user.c.username == name)).scalar_one()
        refresh_hashes = list(conn.execute(select(device.c.refresh_hash)).scalars())
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert session.refresh_token not in refresh_hashes


def test_wrong_password_is_401_with_reason(client: TestClient, engine: Engine) -> None:
    name = add_user(engine)
    response = client.post("/auth/login", json={"username": name, "password": "nope", "device_id": "d1"})
    assert response.status_code == 401
    assert response.json()["code"] == "login_failed"
    assert response.json()["message"] == "用户名或密码不正确"


def test_refresh_gives_a_new_access_token(client: TestClient, engine: Engine) -> None:
    session = login(client, add_user(engine))
    response = client.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    assert response.status_code == 200
    new_token = response.json()["access_token"]
    assert new_token != session.token
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {new_token}"}).status_code == 200


def test_logout_revokes_the_refresh_token(client: TestClient, engine: Engine) -> None:
    session = login(client, add_user(engine))
    assert client.post("/auth/logout", json={"refresh_token": session.refresh_token}).status_code == 204
    assert client.post("/auth/refresh", json={"refresh_token": session.refresh_token}).status_code == 401
    assert client.get("/auth/me", headers=session.headers).status_code == 401


def test_bad_token_is_401_with_error_body(client: TestClient) -> None:
    response = client.get("/auth/me", headers={"Authorization": "Bearer mka_forged"})
    assert response.status_code == 401
    assert response.json()["code"] == "login_required"
    assert client.get("/auth/me").status_code == 401


def test_login_is_rate_limited_per_user_and_address(client: TestClient, engine: Engine) -> None:
    name = add_user(engine)
    for _ in range(5):
        bad = client.post("/auth/login", json={"username": name, "password": "wrong", "device_id": "d"})
        assert bad.status_code == 401
    blocked = client.post("/auth/login", json={"username": name, "password": PASSWORD, "device_id": "d"})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "login_rate_limited"
    assert int(blocked.headers["Retry-After"]) > 0
    # Another user from the same address is not affected.
    login(client, add_user(engine))


def test_disabled_user_is_refused_at_once(client: TestClient, engine: Engine) -> None:
    name = add_user(engine)
    session = login(client, name)
    with engine.begin() as conn:
        accounts.disable_user(conn, name)
    assert client.get("/auth/me", headers=session.headers).status_code in (401, 403)
    refresh = client.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    assert refresh.status_code in (401, 403)
    again = client.post("/auth/login", json={"username": name, "password": PASSWORD, "device_id": "x"})
    assert again.status_code == 403 and again.json()["code"] == "account_disabled"


def test_disabled_flag_alone_refuses_a_valid_token(client: TestClient, engine: Engine) -> None:
    name = add_user(engine)
    session = login(client, name)
    with engine.begin() as conn:
        conn.execute(app_user.update().where(app_user.c.username == name).values(disabled=True))
    response = client.get("/auth/me", headers=session.headers)
    assert response.status_code == 403 and response.json()["code"] == "account_disabled"


def test_unknown_user_and_bad_body_are_4xx(client: TestClient) -> None:
    assert client.post("/auth/login", json={"username": unique("x"), "password": "p", "device_id": "d"}
                       ).status_code == 401
    bad = client.post("/auth/login", json={"username": ""})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_request" and bad.json()["details"]
    assert client.post("/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
                       ).status_code == 422


def test_revoking_one_device_signs_out_only_that_device(
    client: TestClient, engine: Engine, server_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from market_server.cli import main

    username = add_user(engine)
    lost, kept = login(client, username, device_id="lost-laptop"), login(client, username, device_id="office-pc")
    assert main(["device", "list", username]) == 0
    listed = capsys.readouterr().out
    assert "lost-laptop" in listed and "office-pc" in listed
    assert main(["device", "revoke", username, "lost-laptop"]) == 0
    assert "revoked" in capsys.readouterr().out

    assert client.get("/auth/me", headers=lost.headers).status_code == 401
    refreshed = client.post("/auth/refresh", json={"refresh_token": lost.refresh_token})
    assert refreshed.status_code == 401
    assert client.get("/auth/me", headers=kept.headers).status_code == 200
    assert main(["device", "revoke", username, "never-seen"]) == 1


def test_a_token_acts_only_for_its_own_device(client: TestClient, engine: Engine) -> None:
    username = add_user(engine)
    laptop, desktop = login(client, username, device_id="laptop"), login(client, username, device_id="desktop")
    body = {"device_id": desktop.device_id, "mutations": []}
    answer = client.post("/sync/push", json=body, headers=laptop.headers)
    assert answer.status_code == 403
    assert answer.json()["code"] == "wrong_device"
    assert client.post("/sync/push", json=body, headers=desktop.headers).status_code == 200
    pulled = client.post("/sync/pull", json={"device_id": "desktop", "cursors": {}}, headers=laptop.headers)
    assert pulled.status_code == 403
