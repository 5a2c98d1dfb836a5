"""docs/deploy.md section 3 on PostgreSQL: the schema owner migrates, the serving role reads and writes rows only."""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from tests.deploy.test_deploy_postgres import (
    POSTGRES_URL,
    ROOT,
    documented,
    free_port,
    login,
    market_server_command,
    wait_listening,
    write_env_file,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="MARKET_TEST_POSTGRES_URL is not set"),
]


def documented_grants() -> str:
    """The SQL block of docs/deploy.md section 3, as an administrator pastes it."""
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    found = re.search(r"<<'SQL'\n(.*?)\nSQL\n", doc, re.DOTALL)
    assert found is not None, "docs/deploy.md lost its grants block"
    return found.group(1)


@pytest.fixture
def roles() -> Iterator[tuple[str, str, str]]:
    """A database owned by a new owner role, the documented grants run for a new serving role."""
    assert POSTGRES_URL
    tag = uuid.uuid4().hex[:10]
    owner, app, database = f"mk_owner_{tag}", f"mk_app_{tag}", f"deploy_roles_{tag}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{app}" LOGIN'))
        conn.execute(text(f'CREATE DATABASE "{database}" OWNER "{owner}"'))
    on_db = create_engine(make_url(POSTGRES_URL).set(database=database), isolation_level="AUTOCOMMIT")
    sql = (documented_grants().replace("market_owner", owner).replace("market_app", app)
           .replace("DATABASE market ", f'DATABASE "{database}" '))
    with on_db.connect() as conn:
        for statement in filter(None, (s.strip() for s in sql.split(";"))):
            conn.execute(text(statement))
    on_db.dispose()
    try:
        yield owner, app, database
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{app}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()


def _url(role: str, database: str) -> str:
    assert POSTGRES_URL
    return make_url(POSTGRES_URL).set(username=role, password=None, database=database).render_as_string(False)


def test_the_serving_role_serves_but_cannot_change_the_schema(tmp_path: Path, roles: tuple[str, str, str]) -> None:
    owner, app, database = roles
    (tmp_path / "owner").mkdir()
    migrated = documented(write_env_file(tmp_path / "owner", _url(owner, database)), "migrate")
    assert migrated.returncode == 0, migrated.stderr
    env_file = write_env_file(tmp_path, _url(app, database))
    added = documented(env_file, "user", "add", "admin", "--role", "admin", "--password-stdin",
                       stdin="roles admin pass 1\n")
    assert added.returncode == 0, added.stderr

    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:
        command = f'set -a; . "{env_file}"; exec "$0" serve --host 127.0.0.1 --port {port}'
        server = subprocess.Popen(["sh", "-c", command, market_server_command()], stdout=log_file,
                                  stderr=subprocess.STDOUT)
    try:
        base = wait_listening(server, port, log_path)
        signed_in = login(base, "admin", "roles admin pass 1")
        assert signed_in.status_code == 200, signed_in.text
        refreshed = requests.post(f"{base}/auth/refresh", json={"refresh_token": signed_in.json()["refresh_token"],
                                                                "device_id": "deploy-test"}, timeout=30)
        assert refreshed.status_code == 200, refreshed.text
    finally:
        server.terminate()
        server.wait(30)

    serving = create_engine(_url(app, database))
    try:
        for ddl in ("CREATE TABLE intruder (id integer)", "DROP TABLE app_user", "ALTER TABLE app_user ADD x int",
                    "TRUNCATE app_user", "CREATE SCHEMA intruder"):
            with serving.connect() as conn, pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
                conn.execute(text(ddl))
    finally:
        serving.dispose()
