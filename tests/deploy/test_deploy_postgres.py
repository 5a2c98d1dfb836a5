"""docs/deploy.md on PostgreSQL: the env file, migrate, first admin, serve behind its settings, backup and restore."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, make_url, select, text

from market_server.tables import app_user
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / "deploy" / "market-server.env.example"
POSTGRES_URL = os.environ.get("MARKET_TEST_POSTGRES_URL")
ADMIN_PASSWORD = "first admin pass 初始"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="MARKET_TEST_POSTGRES_URL is not set"),
]


def market_server_command() -> str:
    script = Path(sys.executable).with_name("market-server")
    assert script.exists(), "market-server is not installed in this environment"
    return str(script)


@pytest.fixture
def make_database() -> Iterator[list[str]]:
    """Creates fresh databases on the test cluster (by URL, appended to the list) and drops them afterwards."""
    assert POSTGRES_URL
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    created: list[str] = []
    yield created
    with admin.connect() as conn:
        for url in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def new_database(created: list[str]) -> str:
    assert POSTGRES_URL
    name = f"deploy_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    created.append(url)
    return url


def write_env_file(tmp_path: Path, database_url: str, **extra: str) -> Path:
    """The example env file with this machine's values, as an administrator would edit it."""
    values = {"MARKET_DATABASE_URL": database_url, "MARKET_DATA_DIR": str(tmp_path / "data"),
              "MARKET_BLOB_DIR": str(tmp_path / "data" / "blobs"), **extra}
    lines = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        key = line.lstrip("#").split("=", 1)[0]
        lines.append(f"{key}={values.pop(key)}" if "=" in line and key in values else line)
    lines += [f"{key}={value}" for key, value in values.items()]
    env_file = tmp_path / "market-server.env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return env_file


def documented(env_file: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`sh -c 'set -a; . ENV; exec market-server ARGS'`: the doc's way to run a command with the service's settings."""
    script = f'set -a; . "{env_file}"; exec "{market_server_command()}" "$@"'
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_")}
    return subprocess.run(["sh", "-c", script, "sh", *args], env=env, input=stdin, capture_output=True, text=True,
                          check=False, timeout=120)


def test_migrate_first_admin_and_serve_with_the_documented_settings(tmp_path: Path,
                                                                    make_database: list[str]) -> None:
    env_file = write_env_file(tmp_path, new_database(make_database), MARKET_LOGIN_MAX_FAILURES="2")

    for _ in range(2):  # the first run creates the schema, an upgrade run finds nothing to do
        migrated = documented(env_file, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert migrated.stdout.strip() == "database is up to date"
    added = documented(env_file, "user", "add", "admin", "--role", "admin", "--password-stdin",
                       stdin=ADMIN_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "user admin (admin) created"
    assert ADMIN_PASSWORD not in added.stdout + added.stderr

    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:  # a file, not a pipe read only at the end (it could fill and block)
        command = f'set -a; . "{env_file}"; exec "$0" serve --host 127.0.0.1 --port {port}'
        server = subprocess.Popen(["sh", "-c", command, market_server_command()], stdout=log_file,
                                  stderr=subprocess.STDOUT)
    try:
        base = wait_listening(server, port, log_path)
        assert requests.get(f"{base}/health", timeout=10).json() == {"status": "ok", "protocol": PROTOCOL_VERSION}
        signed_in = login(base, "admin", ADMIN_PASSWORD)
        assert signed_in.status_code == 200, signed_in.text
        # Behind nginx on loopback, the throttle counts the forwarded address (MARKET_TRUSTED_PROXIES default).
        statuses = [login(base, "admin", "wrong", forwarded_for="203.0.113.7").status_code for _ in range(3)]
        assert statuses == [401, 401, 429]
        assert login(base, "admin", "wrong", forwarded_for="198.51.100.9").status_code == 401
    finally:
        server.terminate()
        server.wait(30)
    assert ADMIN_PASSWORD not in log_path.read_text(encoding="utf-8")
    data_dir = tmp_path / "data"
    assert (data_dir / "blobs" / "partial").is_dir()
    assert not list(data_dir.glob("*.sqlite3")), "the server fell back to SQLite instead of MARKET_DATABASE_URL"


def test_backup_and_restore_round_trip(tmp_path: Path, make_database: list[str]) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump / pg_restore are not on PATH")
    source_url = new_database(make_database)
    env_file = write_env_file(tmp_path, source_url)
    assert documented(env_file, "migrate").returncode == 0
    assert documented(env_file, "user", "add", "admin", "--role", "admin", "--password-stdin",
                      stdin=ADMIN_PASSWORD + "\n").returncode == 0
    blob_dir = tmp_path / "data" / "blobs"
    content = b"%PDF-1.4 attachment"
    sha = hashlib.sha256(content).hexdigest()
    (blob_dir / sha[:2]).mkdir(parents=True)
    (blob_dir / sha[:2] / sha).write_bytes(content)
    (blob_dir / "partial").mkdir(exist_ok=True)
    (blob_dir / "partial" / ("0" * 64)).write_bytes(b"half an upload")

    backups = tmp_path / "backups"
    backups.mkdir()
    # The doc's backup commands, verbatim apart from the backup folder.
    backup = subprocess.run(["bash", "-c", f'''set -a; . "{env_file}"; set +a
    cd "{backups}" && stamp=$(date +%Y%m%d-%H%M)
    pg_dump -Fc -f "market-$stamp.dump" "${{MARKET_DATABASE_URL/+psycopg/}}"
    tar -C "$MARKET_BLOB_DIR" --exclude=./partial -czf "blobs-$stamp.tar.gz" .'''],
        capture_output=True, text=True, check=False, timeout=120)
    assert backup.returncode == 0, backup.stderr
    [dump] = backups.glob("market-*.dump")
    [blobs_tar] = backups.glob("blobs-*.tar.gz")

    restored_url = new_database(make_database)
    libpq_url = restored_url.replace("+psycopg", "")
    restore = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", libpq_url, str(dump)],
                             capture_output=True, text=True, check=False, timeout=120)
    assert restore.returncode == 0, restore.stderr
    restored_blobs = tmp_path / "restored-blobs"
    restored_blobs.mkdir()
    subprocess.run(["tar", "-C", str(restored_blobs), "-xzf", str(blobs_tar)], check=True, timeout=60)
    (tmp_path / "restored").mkdir()
    restored_env = write_env_file(tmp_path / "restored", restored_url)
    migrated = documented(restored_env, "migrate")
    assert migrated.returncode == 0, migrated.stderr

    engine = create_engine(restored_url)
    try:
        with engine.connect() as conn:
            users = conn.execute(select(app_user.c.username, app_user.c.role)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in users] == [("admin", "admin")]
    assert (restored_blobs / sha[:2] / sha).read_bytes() == content
    assert not (restored_blobs / "partial").exists()
    with tarfile.open(blobs_tar) as tar:
        assert all("partial" not in name for name in tar.getnames())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(server: subprocess.Popen[bytes], port: int, log_path: Path) -> str:
    deadline = time.monotonic() + 30
    while True:  # readiness: the port accepts connections
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            if server.poll() is not None:
                raise AssertionError(log_path.read_text(errors="replace")) from None
            assert time.monotonic() < deadline, "market-server did not listen in 30 s"
            time.sleep(0.05)  # waiting for a process to listen; no fixed delay in any assertion


def login(base: str, username: str, password: str, forwarded_for: str | None = None) -> requests.Response:
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    body = {"username": username, "password": password, "device_id": "deploy-test"}
    return requests.post(f"{base}/auth/login", json=body, headers=headers, timeout=30)
