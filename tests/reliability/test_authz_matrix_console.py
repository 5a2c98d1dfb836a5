"""Authorisation matrix of the web console: every console route x every kind of caller; only an administrator's
live session (with the session's CSRF token on forms) succeeds. A new console route fails the coverage test
until it is listed here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, update

from market_server import accounts
from market_server.app import create_app
from market_server.console import PAGES
from market_server.db import make_engine, migrate
from market_server.security import use_cheap_hashing
from market_server.seed import load_records
from market_server.settings import Settings
from market_server.tables import console_session
from sync.ids import uuid7

use_cheap_hashing()
PASSWORD = "pw-console-matrix-1"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CALLERS = ("admin", "specialist_token", "specialist_cookie", "no_session", "stale_csrf", "disabled_admin",
           "idle_session")


@dataclass
class Caller:
    http: TestClient
    csrf: str


@dataclass
class Server:
    engine: Engine
    inst: str
    callers: dict[str, Caller]
    counter: int = 0

    def throwaway(self, role: str = "specialist") -> str:
        """A fresh account for an action that changes it (disable, reset...)."""
        self.counter += 1
        name = f"target{self.counter}"
        with self.engine.begin() as conn:
            accounts.add_user(conn, name, role, PASSWORD)
        return name


def _sign_in(http: TestClient, user: str) -> str:
    form = http.get("/admin/login")
    answer = http.post("/admin/login", data={"username": user, "password": PASSWORD,
                                             "csrf": CSRF.findall(form.text)[0]}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return CSRF.findall(http.get("/admin/").text)[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("console-authz")
    config = Settings(data_dir=root, database_url=f"sqlite:///{root / 'market.sqlite3'}", blob_dir=root / "blobs")
    engine = make_engine(config)
    migrate(engine)
    inst = uuid7()
    with engine.begin() as conn:
        load_records(conn, [("institution", {"id": inst, "name": "矩阵机构", "org_type": "university",
                                             "status": "pending", "proposed_by": "worker"})], user="seed")
        for user, role in (("boss", "admin"), ("gone", "admin"), ("idle", "admin"), ("worker", "specialist")):
            accounts.add_user(conn, user, role, PASSWORD)
    app = create_app(config)
    clients = {name: TestClient(app) for name in CALLERS}
    callers = {name: Caller(http, "") for name, http in clients.items()}
    callers["admin"].csrf = _sign_in(clients["admin"], "boss")
    callers["stale_csrf"].csrf = "stale" if _sign_in(clients["stale_csrf"], "boss") else ""
    callers["disabled_admin"].csrf = _sign_in(clients["disabled_admin"], "gone")
    callers["idle_session"].csrf = _sign_in(clients["idle_session"], "idle")
    token = clients["specialist_token"].post("/auth/login", json={
        "username": "worker", "password": PASSWORD, "device_id": "d1", "device_name": "n"}).json()["access_token"]
    clients["specialist_token"].headers["Authorization"] = f"Bearer {token}"
    clients["specialist_cookie"].cookies.set("mk_console", token)  # an API token is no console session
    with engine.begin() as conn:
        accounts.disable_user(conn, "gone")
    yield Server(engine, inst, callers)
    for http in clients.values():
        http.close()
    app.state.engine.dispose()
    engine.dispose()


def _get(path: str) -> Callable[[Server, Caller], Response]:
    return lambda s, c: c.http.get(path, follow_redirects=False)


def _post(path: Callable[[Server], str], files: dict[str, tuple[str, bytes, str]] | None = None,
          **form: str) -> Callable[[Server, Caller], Response]:
    return lambda s, c: c.http.post(path(s), data={"csrf": c.csrf, **form}, files=files, follow_redirects=False)


def _idle(s: Server) -> None:
    with s.engine.begin() as conn:
        conn.execute(update(console_session).values(last_seen=0).where(console_session.c.user_id.in_(
            conn.exec_driver_sql("SELECT id FROM app_user WHERE username = 'idle'").scalars().all())))


ROUTES: dict[str, Callable[[Server, Caller], Response]] = {
    "GET /": _get("/admin/"),
    "GET /accounts": _get("/admin/accounts"),
    "GET /accounts/{name}/devices": _get("/admin/accounts/worker/devices"),
    "GET /institutions": _get("/admin/institutions"),
    "GET /review": _get("/admin/review"),
    "GET /duplicates": _get("/admin/duplicates"),
    "GET /import": _get("/admin/import"),
    "GET /reports": _get("/admin/reports"),
    "GET /reports/export.xlsx": _get("/admin/reports/export.xlsx"),
    "GET /audit": _get("/admin/audit"),
    "POST /logout": _post(lambda s: "/admin/logout"),
    "POST /accounts/add": _post(lambda s: "/admin/accounts/add", username=f"new{uuid7()[-8:]}", role="specialist",
                                password="12345678"),
    "POST /accounts/{name}/disable": _post(lambda s: f"/admin/accounts/{s.throwaway()}/disable"),
    "POST /accounts/{name}/enable": _post(lambda s: f"/admin/accounts/{s.throwaway()}/enable"),
    "POST /accounts/{name}/password": _post(lambda s: f"/admin/accounts/{s.throwaway()}/password"),
    "POST /accounts/{name}/devices/{device_id}/revoke": _post(lambda s: "/admin/accounts/worker/devices/d1/revoke"),
    "POST /institutions/assign": _post(lambda s: "/admin/institutions/assign", action="assign", specialist="worker",
                                       ids=""),
    "POST /review/institution/{inst_id}/{decision}": _post(lambda s: f"/admin/review/institution/{s.inst}/approve"),
    "POST /review/achievement/{row_id}/{decision}": _post(lambda s: f"/admin/review/achievement/{uuid7()}/approve"),
    "POST /review/correction/{row_id}/close": _post(lambda s: f"/admin/review/correction/{uuid7()}/close"),
    "POST /duplicates/{flag_id}/{decision}": _post(lambda s: "/admin/duplicates/99999999/keep"),
    "POST /import/check": _post(lambda s: "/admin/import/check", entity="institution",
                                files={"file": ("a.csv", "名称,机构类型\n矩阵导入,企业\n".encode(), "text/csv")}),
    "POST /import/run": _post(lambda s: "/admin/import/run", token="0" * 32 + ".csv"),
}
PUBLIC = {"GET /login", "POST /login", "GET /lang/{lang}"}  # the sign-in form and the language switch


def _allowed(answer: Response) -> bool:
    """The console did the work: a page, a download, or a redirect anywhere but the sign-in page."""
    if answer.status_code == 303:
        return "/login" not in answer.headers["location"] or "signed_out" in answer.headers["location"]
    return answer.status_code == 200


def test_every_console_route_is_in_the_matrix() -> None:
    routes = {f"{m} {r.path}" for page in PAGES for r in page.router.routes if isinstance(r, APIRoute)
              for m in r.methods}
    assert routes | {"GET /lang/{lang}"} == set(ROUTES) | PUBLIC


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("caller", CALLERS)
def test_only_a_live_administrator_session_succeeds(server: Server, caller: str, route: str) -> None:
    if caller == "idle_session":
        _idle(server)
    if route == "POST /logout" and caller in ("admin", "stale_csrf"):
        pytest.skip("signing out would end the shared session; covered in tests/market_server/console/test_auth.py")
    answer = ROUTES[route](server, server.callers[caller])
    allowed = caller == "admin" or (caller == "stale_csrf" and route.startswith("GET "))
    assert _allowed(answer) == allowed, (answer.status_code, answer.headers.get("location"), answer.text[:300])
    if caller == "stale_csrf" and not allowed:
        assert answer.status_code == 403
