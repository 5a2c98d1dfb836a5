"""The market-server command: accounts and assignments in-process, and `serve` as a real process."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from market_server import accounts
from market_server.cli import main
from market_server.db import make_engine
from market_server.security import verify_password
from market_server.settings import Settings
from market_server.tables import app_user, assignment
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.market_server.conftest import add_rows, institution


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MARKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MARKET_DATABASE_URL", raising=False)
    monkeypatch.delenv("MARKET_BLOB_DIR", raising=False)
    assert main(["migrate"]) == 0
    return tmp_path


def test_user_assign_unassign_disable(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(Settings.from_env())
    inst = institution(name="吉林大学")
    add_rows(engine, inst)
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-password\n"))
    assert main(["user", "add", "alice", "--role", "specialist", "--password-stdin"]) == 0
    assert main(["assign", "alice", "吉林大学"]) == 0
    with engine.connect() as conn:
        assert list(conn.execute(select(assignment.c.institution_id)).scalars()) == [inst[1]["id"]]
    assert main(["unassign", "alice", inst[1]["id"]]) == 0
    assert main(["user", "disable", "alice"]) == 0
    with engine.connect() as conn:
        assert conn.execute(select(app_user.c.disabled)).scalar() is True
        assert list(conn.execute(select(assignment.c.institution_id)).scalars()) == []
    out = capsys.readouterr().out
    assert "s3cret-password" not in out and "alice" in out


def test_cli_errors_are_readable(data_dir: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["assign", "nobody", "x"]) == 1
    assert "no user named 'nobody'" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["user", "add", "bob", "--role", "admin", "--password-stdin"]) == 1
    assert "at least 8" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("market-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "market_server.cli"]


def test_serve_answers_http_on_loopback(tmp_path: Path) -> None:
    env = {**os.environ, "MARKET_DATA_DIR": str(tmp_path)}
    env.pop("MARKET_DATABASE_URL", None)
    subprocess.run([*_cli(), "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*_cli(), "user", "add", "carol", "--role", "admin", "--password-stdin"], env=env, check=True,
                   input=b"carol-password\n", capture_output=True)
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:  # a file, not a pipe read only at the end (it could fill and block)
        server = subprocess.Popen([*_cli(), "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:  # readiness: the port accepts connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, log_path.read_text(errors="replace")
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        with httpx.Client(base_url=base, timeout=10) as http:
            login = http.post("/auth/login", json={"username": "carol", "password": "carol-password",
                                                   "device_id": "cli-test"})
            assert login.status_code == 200
            headers = {"Authorization": f"Bearer {login.json()['access_token']}",
                       PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
            pull = http.post("/sync/pull", json={"device_id": "cli-test"}, headers=headers)
            assert pull.status_code == 200 and pull.json()["buckets"] == ["own", "catalog"]
            assert http.get("/openapi.json").status_code == 200
    finally:
        server.terminate()
        server.wait(20)
    log = log_path.read_text(encoding="utf-8")
    assert '"path": "/auth/login"' in log and "carol-password" not in log and "mka_" not in log


def test_seed_demo_loads_data_users_and_assignments(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sync.demo import demo_users

    assert main(["seed-demo", "--scale", "small", "--demo-passwords"]) == 0
    out = capsys.readouterr().out
    users = demo_users("small")
    assert all(u.username in out for u in users) and users[0].password not in out
    engine = make_engine(Settings.from_env())
    with engine.connect() as conn:
        assigned = set(conn.execute(select(assignment.c.institution_id)).scalars())
        hashes = {row[0]: row[1] for row in conn.execute(select(app_user.c.username, app_user.c.password_hash))}
    assert assigned == {i for u in users for i in u.institution_ids}
    # Each published demo password is hashed once (the admin's, the specialists' shared one), and verifies.
    assert len(set(hashes.values())) == 2
    assert all(verify_password(hashes[u.username], u.password) for u in users)


def test_seed_demo_prints_new_random_passwords_unless_asked_for_the_demo_ones(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sync.demo import demo_users

    assert main(["seed-demo", "--scale", "small"]) == 0
    out = capsys.readouterr().out
    fixed = {u.username: u.password for u in demo_users("small")}
    printed = dict(re.findall(r"^  (\S+) .* password: (\S+)$", out, re.MULTILINE))
    assert set(printed) == set(fixed) and not set(printed.values()) & set(fixed.values())
    engine = make_engine(Settings.from_env())
    with engine.connect() as conn:
        admin = next(u for u in demo_users("small") if u.role == "admin")
        stored = conn.execute(select(app_user.c.password_hash).where(app_user.c.username == admin.username)).scalar()
        assert conn.execute(select(func.count(app_user.c.password_hash.distinct()))).scalar_one() == len(fixed)
    assert verify_password(stored, printed[admin.username]) and not verify_password(stored, fixed[admin.username])


def test_seed_demo_refuses_a_database_with_real_users_unless_forced(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    engine = make_engine(Settings.from_env())
    with engine.begin() as conn:
        accounts.add_user(conn, "wang.real", "admin", "a-real-password")
    assert main(["seed-demo", "--scale", "small", "--demo-passwords"]) == 1
    assert "wang.real" in capsys.readouterr().err
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(app_user)).scalar_one() == 1  # nothing written
    assert main(["seed-demo", "--scale", "small", "--demo-passwords", "--force"]) == 0


