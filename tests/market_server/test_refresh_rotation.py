"""Refresh tokens (#13.7, #11.9): rotation, reuse detection, the lost-answer grace, idle expiry, device binding."""

from __future__ import annotations

import dataclasses
import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from market_server.app import create_app
from market_server.settings import Settings
from market_server.tables import device

from .conftest import Session, add_user, login


def _refresh(client: TestClient, token: str, device_id: str | None = None) -> tuple[int, dict[str, object]]:
    body: dict[str, object] = {"refresh_token": token}
    if device_id is not None:
        body["device_id"] = device_id
    answer = client.post("/auth/refresh", json=body)
    return answer.status_code, answer.json()


def _me(client: TestClient, access: object) -> int:
    return client.get("/auth/me", headers={"Authorization": f"Bearer {access}"}).status_code


def test_each_refresh_hands_out_a_new_refresh_token(client: TestClient, engine: Engine) -> None:
    session = login(client, add_user(engine))
    status, first = _refresh(client, session.refresh_token, session.device_id)
    assert status == 200 and first["refresh_token"] not in (None, session.refresh_token)
    assert _me(client, first["access_token"]) == 200
    status, second = _refresh(client, str(first["refresh_token"]), session.device_id)
    assert status == 200 and second["refresh_token"] not in (first["refresh_token"], session.refresh_token)


def test_reusing_a_rotated_token_signs_that_device_out(client: TestClient, engine: Engine) -> None:
    session = login(client, add_user(engine))
    other = login(client, session.username)  # the same user's other device keeps working
    _, first = _refresh(client, session.refresh_token, session.device_id)
    assert _me(client, first["access_token"]) == 200  # the app used its new tokens: the old one is spent
    status, reused = _refresh(client, session.refresh_token, session.device_id)
    assert status == 401 and reused["code"] == "login_required"
    assert _me(client, first["access_token"]) == 401  # the thief's reuse revoked the device's tokens ...
    assert _refresh(client, str(first["refresh_token"]), session.device_id)[0] == 401  # ... the new one too
    assert _me(client, other.token) == 200 and _refresh(client, other.refresh_token, other.device_id)[0] == 200


def test_a_lost_answer_lets_the_previous_token_work_once(client: TestClient, engine: Engine) -> None:
    """The server rotated but the app never saved the new token (crash, or the answer was lost)."""
    session = login(client, add_user(engine))
    status, lost = _refresh(client, session.refresh_token, session.device_id)  # never reaches the app
    assert status == 200
    status, again = _refresh(client, session.refresh_token, session.device_id)
    assert status == 200 and again["refresh_token"] != lost["refresh_token"]
    assert _me(client, again["access_token"]) == 200
    assert _refresh(client, session.refresh_token, session.device_id)[0] == 401  # once, not twice
    assert _me(client, again["access_token"]) == 401  # and the second try was reuse: the device is out


def test_the_previous_token_is_refused_once_the_new_one_was_used(client: TestClient, engine: Engine) -> None:
    session = login(client, add_user(engine))
    _, first = _refresh(client, session.refresh_token, session.device_id)
    assert _me(client, first["access_token"]) == 200
    assert _refresh(client, session.refresh_token, session.device_id)[0] == 401


def test_an_idle_device_must_sign_in_again(client: TestClient, engine: Engine, settings: Settings) -> None:
    session = login(client, add_user(engine))
    days = 91 * 24 * 3600
    with engine.begin() as conn:
        conn.execute(update(device).where(device.c.device_id == session.device_id)
                     .values(refreshed_at=int(time.time()) - days))
    status, answer = _refresh(client, session.refresh_token, session.device_id)
    assert status == 401 and answer["code"] == "login_required"
    short = dataclasses.replace(settings, refresh_idle_seconds=100 * 24 * 3600)
    app = create_app(short)
    with TestClient(app) as longer:
        assert _refresh(longer, session.refresh_token, session.device_id)[0] == 200
    app.state.engine.dispose()


def test_a_token_is_refreshed_only_for_its_own_device(client: TestClient, engine: Engine) -> None:
    """Two data folders of one user: a token presented with the other folder's device id changes nothing."""
    name = add_user(engine)
    a, b = login(client, name), login(client, name)
    status, answer = _refresh(client, b.refresh_token, a.device_id)
    assert status == 401 and answer["code"] == "wrong_device"
    for own in (a, b):
        status, fresh = _refresh(client, own.refresh_token, own.device_id)
        assert status == 200 and _me(client, fresh["access_token"]) == 200
    legacy = login(client, name)  # an old client sends no device id: the token's own device is refreshed
    assert _refresh(client, legacy.refresh_token)[0] == 200


def test_login_again_on_a_device_resets_its_rotation(client: TestClient, engine: Engine) -> None:
    session = login(client, add_user(engine))
    _refresh(client, session.refresh_token, session.device_id)
    again: Session = login(client, session.username, device_id=session.device_id)
    assert _refresh(client, again.refresh_token, again.device_id)[0] == 200
