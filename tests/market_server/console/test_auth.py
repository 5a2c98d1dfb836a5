"""Console sign-in: administrators only, cookie flags, CSRF, sign-out, idle timeout, the login throttle."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from market_server import accounts
from market_server.tables import audit_log, console_session, login_failure
from tests.market_server.conftest import add_user
from tests.market_server.console.conftest import csrf_of, sign_in, signed_in


def test_an_administrator_signs_in_and_the_cookie_is_locked_down(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    answer = sign_in(browser, boss)
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("mk_console="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # plain http in this test; https requests get Secure (test below)
    page = browser.get("/admin/")
    assert page.status_code == 200 and "概览" in page.text and "当前用户：测试admin" in page.text
    with engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).where(audit_log.c.actor == boss)).scalars().all()
    assert "console.login" in actions


def test_the_cookie_is_secure_over_tls(client: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    with TestClient(client.app, base_url="https://testserver") as tls:
        answer = sign_in(tls, boss)
        assert answer.status_code == 303
        assert all("Secure" in c for c in answer.headers.get_list("set-cookie") if c.startswith("mk_console="))


def test_specialists_and_wrong_passwords_are_refused(browser: TestClient, engine: Engine) -> None:
    worker = add_user(engine, "specialist")
    refused = sign_in(browser, worker)
    assert refused.status_code == 403 and "只有管理员" in refused.text
    assert sign_in(browser, worker, "wrong password").status_code == 401
    assert browser.get("/admin/", follow_redirects=False).status_code == 303


def test_the_login_throttle_applies(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    for _ in range(5):
        assert sign_in(browser, boss, "wrong password").status_code == 401
    limited = sign_in(browser, boss)  # even the right password waits out the window
    assert limited.status_code == 429 and "分钟后再试" in limited.text
    with engine.begin() as conn:
        conn.execute(login_failure.delete().where(login_failure.c.username == boss))
    assert sign_in(browser, boss).status_code == 303


def test_sign_in_without_the_form_token_is_refused(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    browser.get("/admin/login")
    answer = browser.post("/admin/login", data={"username": boss, "password": "x" * 9, "csrf": "forged"})
    assert answer.status_code == 403


def test_sign_out_needs_the_csrf_token_and_ends_the_session(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    assert browser.post("/admin/logout", data={"csrf": "stale"}).status_code == 403
    assert browser.get("/admin/").status_code == 200
    out = browser.post("/admin/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and "signed_out" in out.headers["location"]
    assert browser.get("/admin/", follow_redirects=False).status_code == 303


def test_an_idle_session_ends(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    signed_in(browser, boss)
    with engine.begin() as conn:
        conn.execute(update(console_session).values(last_seen=console_session.c.last_seen - 31 * 60))
    answer = browser.get("/admin/", follow_redirects=False)
    assert answer.status_code == 303 and "session_expired" in answer.headers["location"]
    assert "长时间未操作" in browser.get(answer.headers["location"]).text


def test_a_disabled_administrator_is_signed_out_at_once(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    with engine.begin() as conn:
        accounts.disable_user(conn, boss)
    assert browser.get("/admin/", follow_redirects=False).status_code == 303
    assert browser.post("/admin/accounts/add", data={"csrf": csrf, "username": "x", "role": "admin",
                                                     "password": "12345678"}, follow_redirects=False).status_code == 303


def test_english_is_one_click_away(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    signed_in(browser, boss)
    page = browser.get("/admin/lang/en", headers={"referer": "http://testserver/admin/accounts"})
    assert page.status_code == 200 and "Accounts and devices" in page.text
    assert csrf_of(page)
    assert "账号与设备" in browser.get("/admin/lang/zh_CN").text
