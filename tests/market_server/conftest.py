"""Server test fixtures: a migrated database per test module, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from market_server import accounts
from market_server.app import create_app
from market_server.db import make_engine, migrate
from market_server.security import use_cheap_hashing
from market_server.seed import load_records
from market_server.settings import Settings
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("MARKET_TEST_POSTGRES_URL")
use_cheap_hashing()  # argon2 at full cost takes ~0.8 s per hash on the 2-core CI machine


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    data_dir = tmp_path_factory.mktemp("market")
    if request.param == "sqlite":
        yield Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'market.sqlite3'}",
                       blob_dir=data_dir / "blobs")
        return
    if not POSTGRES_URL:
        pytest.skip("MARKET_TEST_POSTGRES_URL is not set")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Settings(data_dir=data_dir, database_url=POSTGRES_URL, blob_dir=data_dir / "blobs",
                       database_schema=schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def jilin(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """A server of the Jilin market (MARKET_HOME_PROVINCE=22) on the module's database."""
    app = create_app(dataclasses.replace(settings, home_province="22"))
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@dataclass
class Session:
    """A signed-in user talking to the test server."""

    client: TestClient
    username: str
    token: str
    refresh_token: str
    device_id: str
    seq: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}

    def push(self, *mutations: dict[str, Any], seqs: list[int] | None = None) -> list[dict[str, Any]]:
        body = self.push_body(*mutations, seqs=seqs)
        response = self.client.post("/sync/push", json=body, headers=self.headers)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def push_body(self, *mutations: dict[str, Any], seqs: list[int] | None = None) -> dict[str, Any]:
        out = []
        for i, m in enumerate(mutations):
            if seqs is None:
                self.seq += 1
            out.append({"seq": seqs[i] if seqs else self.seq, **m})
        return {"device_id": self.device_id, "mutations": out}

    def pull(self, cursors: dict[str, int] | None = None, limit: int = 1000) -> dict[str, Any]:
        response = self.client.post(
            "/sync/pull", json={"device_id": self.device_id, "cursors": cursors or {}, "limit": limit},
            headers=self.headers,
        )
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def pull_all(
        self, cursors: dict[str, int] | None = None, limit: int = 1000
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Every change until has_more is false; returns them and the last page."""
        cursors = dict(cursors or {})
        changes: list[dict[str, Any]] = []
        while True:
            page = self.pull(cursors, limit)
            changes.extend(page["changes"])
            cursors.update(page["cursors"])
            if not page["has_more"]:
                page["cursors"] = cursors
                return changes, page


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


LOGIN_BUSY_RETRIES = 50


def login(client: TestClient, username: str, password: str = PASSWORD, device_id: str | None = None) -> Session:
    device_id = device_id or unique("dev-")
    for _ in range(LOGIN_BUSY_RETRIES):  # as the app does: a full hashing pool (429 login_busy) means ask again
        response = client.post("/auth/login", json={
            "username": username, "password": password, "device_id": device_id, "device_name": "test laptop",
        })
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("Retry-After", "1")) / 10)
    assert response.status_code == 200, response.text
    body = response.json()
    return Session(client, username, body["access_token"], body["refresh_token"], device_id)


def add_user(engine: Engine, role: str = "specialist", assigned: list[str] | None = None) -> str:
    username = unique(role[:4])
    with engine.begin() as conn:
        accounts.add_user(conn, username, role, PASSWORD, display_name=f"测试{role}")
        if assigned:
            accounts.assign(conn, username, assigned)
    return username


def add_rows(engine: Engine, *records: tuple[str, dict[str, Any]], user: str = "seed") -> None:
    with engine.begin() as conn:
        load_records(conn, list(records), user=user)


def institution(name: str | None = None, status: str = "active", **extra: Any) -> tuple[str, dict[str, Any]]:
    return "institution", {"id": uuid7(), "name": name or unique("机构"), "org_type": "university",
                           "status": status, **extra}


def achievement(institution_id: str | None, **extra: Any) -> tuple[str, dict[str, Any]]:
    return "achievement", {"id": uuid7(), "title": unique("成果"), "institution_id": institution_id, **extra}



@pytest.fixture
def server_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment that points `market-server` at this module's database."""
    env = {"MARKET_DATA_DIR": str(settings.data_dir), "MARKET_DATABASE_URL": settings.database_url,
           "MARKET_DATABASE_SCHEMA": settings.database_schema or ""}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env
