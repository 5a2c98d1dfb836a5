"""Accounts and devices in the console: add, disable, enable, reset a password once, revoke a device; all audited."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from market_server import accounts, audit
from market_server.tables import audit_log
from tests.market_server.conftest import add_user, login, unique
from tests.market_server.console.conftest import signed_in


def test_add_disable_enable_an_account(browser: TestClient, engine: Engine, client: TestClient) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    name = unique("new")
    page = browser.post("/admin/accounts/add", data={"csrf": csrf, "username": name, "display_name": "新专员",
                                                     "role": "specialist", "password": "long enough pw"})
    assert page.status_code == 200 and f"已创建账号 {name}" in page.text and "新专员" in page.text
    session = login(client, name, "long enough pw")
    assert browser.post(f"/admin/accounts/{name}/disable", data={"csrf": csrf}).status_code == 200
    assert client.get("/auth/me", headers=session.headers).status_code in (401, 403)
    with engine.connect() as conn:
        assert accounts.find_user(conn, name).disabled  # type: ignore[union-attr]
    assert "已启用" in browser.post(f"/admin/accounts/{name}/enable", data={"csrf": csrf}).text
    login(client, name, "long enough pw")
    with engine.connect() as conn:
        done = [(e.action, e.target) for e in audit.recent(conn, actor=boss)]
    assert {("account.add", name), ("account.disable", name), ("account.enable", name)} <= set(done)


def test_bad_input_is_explained_and_nothing_is_created(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    page = browser.post("/admin/accounts/add", data={"csrf": csrf, "username": "short", "role": "specialist",
                                                     "password": "1234"})
    assert "操作未完成" in page.text
    with engine.connect() as conn:
        assert accounts.find_user(conn, "short") is None
    assert "不能停用自己" in browser.post(f"/admin/accounts/{boss}/disable", data={"csrf": csrf}).text


def test_a_reset_password_is_shown_once_and_works(browser: TestClient, engine: Engine, client: TestClient) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    old = login(client, worker)
    csrf = signed_in(browser, boss)
    page = browser.post(f"/admin/accounts/{worker}/password", data={"csrf": csrf})
    found = re.search(r'id="new-password">([^<]+)<', page.text)
    assert page.status_code == 200 and found
    assert client.get("/auth/me", headers=old.headers).status_code == 401  # every device signs in again
    login(client, worker, found.group(1))
    assert found.group(1) not in browser.get("/admin/accounts").text
    with engine.connect() as conn:
        details = conn.execute(select(audit_log.c.detail).where(audit_log.c.target == worker)).scalars().all()
    assert all(found.group(1) not in (d or "") for d in details)


def test_devices_are_listed_and_one_is_revoked(browser: TestClient, engine: Engine, client: TestClient) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    laptop, phone = login(client, worker), login(client, worker)
    csrf = signed_in(browser, boss)
    page = browser.get(f"/admin/accounts/{worker}/devices")
    assert laptop.device_id in page.text and phone.device_id in page.text and "test laptop" in page.text
    done = browser.post(f"/admin/accounts/{worker}/devices/{laptop.device_id}/revoke", data={"csrf": csrf})
    assert done.status_code == 200 and "已撤销" in done.text
    assert client.get("/auth/me", headers=laptop.headers).status_code == 401
    assert client.get("/auth/me", headers=phone.headers).status_code == 200
    assert browser.get("/admin/accounts/nobody-here/devices").status_code == 404
