"""End-to-end harness: a real `market-server serve` on loopback, client stores driven by the `specialist-app` CLI."""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
import zstandard

from market_server import cli as market_cli
from specialist_app import paths
from specialist_app.demo_keyring import ENV_KEYRING_FILE
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


START_TIMEOUT_S = 90


class Market:
    """A market server process with its own SQLite database."""

    def __init__(self, root: Path, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.env = {**os.environ, "MARKET_DATA_DIR": str(root), **(env or {})}  # env: the serving process's extras
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin("migrate")
        self.start()

    def start(self) -> None:
        """Start `market-server serve` on this port and data, and wait until it answers."""
        # Its log goes to a file: a pipe nobody reads fills up after ~64 KiB (the server drops lines then).
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "market-server"), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env, stdout=subprocess.DEVNULL, stderr=log,
            )
        # A fresh interpreter's start: ~1 s here, but over 30 s was seen in a soak at nice 19 beside other work.
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if requests.get(self.url + "/health", timeout=1).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or its first answer is slow on a loaded machine: ask again
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()  # a process left running would fail a later test with its ResourceWarning
                raise RuntimeError("market-server did not start: " + self.log_tail())
            time.sleep(0.05)  # waiting for a process to listen; no fixed delay in any assertion

    @property
    def log_path(self) -> Path:
        return self.root / "market-server.log"

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the server's log (every run of it on this data, one JSON object per line)."""
        return self.log_path.read_bytes()[-chars:].decode(errors="replace") if self.log_path.exists() else ""

    def admin(self, *args: str, stdin: str | None = None) -> str:
        """Run a `market-server` admin command (in this process: same code, without a 3 s interpreter start)."""
        out = io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("MARKET_DATA_DIR", str(self.root))
            mp.setattr(sys, "stdin", io.StringIO(stdin or ""))
            mp.setattr(sys, "stdout", out)
            code = market_cli.main(list(args))
        assert code == 0, out.getvalue()
        return out.getvalue()

    def add_user(self, name: str, role: str = "specialist") -> None:
        self.admin("user", "add", name, "--role", role, "--password-stdin", stdin=f"pw-{name}-123456\n")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Client:
    """One installation of the app: a data dir, the CLI as a subprocess, and in-process edits to its store."""

    def __init__(self, root: Path, keyring_file: Path) -> None:
        self.data_dir = root
        self.env = {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "specialist_app.demo_keyring.FileKeyring",
            ENV_KEYRING_FILE: str(keyring_file),
        }

    def cli(self, *args: str, stdin: str | None = None, lang: str = "en") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "specialist-app"), "--data-dir", str(self.data_dir), "--lang", lang, *args],
            env=self.env, input=stdin, text=True, capture_output=True, check=False, timeout=120,
        )

    def login(self, url: str, user: str) -> None:
        done = self.cli("login", "--server", url, "--user", user, "--password-stdin", stdin=f"pw-{user}-123456\n")
        assert done.returncode == 0, done.stderr

    def sync(self, *extra: str) -> dict[str, Any]:
        done = self.cli("sync", "--json", *extra)
        report = json.loads(done.stdout) if done.stdout.strip() else {}
        report["exit"] = done.returncode
        report["stderr"] = done.stderr
        return report

    @property
    def store_path(self) -> Path:
        return paths.store_path(self.data_dir, paths.current_profile(self.data_dir))

    @contextmanager
    def uow(self) -> Iterator[UnitOfWork]:
        store = open_store(self.store_path)
        try:
            with UnitOfWork(store) as uow:
                yield uow
        finally:
            store.close()

    # Offline edits go through the real `specialist-app record` command, as a user's would.
    def create(self, entity: str, values: dict[str, Any]) -> str:
        done = self.cli("record", "add", entity, "--values-json", json.dumps(values), "--json")
        assert done.returncode == 0, done.stderr
        return str(json.loads(done.stdout)["id"])

    def update(self, entity: str, row_id: str, changes: dict[str, Any]) -> None:
        done = self.cli("record", "edit", entity, row_id, "--values-json", json.dumps(changes))
        assert done.returncode == 0, done.stderr

    def delete(self, entity: str, row_id: str) -> None:
        done = self.cli("record", "delete", entity, row_id)
        assert done.returncode == 0, done.stderr

    def get(self, entity: str, row_id: str) -> dict[str, Any] | None:
        done = self.cli("record", "show", entity, row_id, "--json")
        if done.returncode == 1:
            return None
        assert done.returncode == 0, done.stderr
        row: dict[str, Any] = json.loads(done.stdout)
        return row

    def scalar(self, sql: str, *params: Any) -> Any:
        with self.uow() as uow:
            return uow.conn.exec_driver_sql(sql, params).scalar()


def _decoded(body: bytes, encoding: str) -> bytes:
    """A request body as the server reads it (the client compresses large bodies)."""
    if encoding.strip().lower() == "zstd":
        return zstandard.ZstdDecompressor().decompressobj().decompress(body)
    if encoding.strip().lower() == "gzip":
        return gzip.decompress(body)
    return body


class Proxy:
    """A loopback HTTP proxy in front of the server that can lose answers or rewrite the protocol header (GETs and
    PUTs pass through unchanged)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.drop_push_answers = 0  # forward this many push requests, then drop their answers
        self.drop_pull_after: int | None = None  # answer this many pull pages, then drop every pull answer
        self.protocol: str | None = None
        self.pull_requests: list[dict[str, Any]] = []
        self.push_requests = 0
        proxy = self
        session = requests.Session()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                if proxy.protocol is not None:
                    headers["X-Sync-Protocol"] = proxy.protocol
                drop = False
                if self.path == "/sync/push":
                    proxy.push_requests += 1
                    if proxy.drop_push_answers > 0:
                        proxy.drop_push_answers -= 1
                        drop = True
                if self.path == "/sync/pull":
                    proxy.pull_requests.append(json.loads(_decoded(body, self.headers.get("Content-Encoding", ""))))
                    served = len(proxy.pull_requests) - 1
                    drop = proxy.drop_pull_after is not None and served >= proxy.drop_pull_after
                answer = session.post(proxy.upstream + self.path, data=body, headers=headers, timeout=60, stream=True)
                if drop:  # the server did the work; the client never hears about it
                    self.close_connection = True
                    return
                self._relay(answer)

            def _relay(self, answer: requests.Response) -> None:
                """The answer's bytes as the server sent them (still zstd or gzip encoded) with the headers that
                describe them, so the client decodes what the server encoded."""
                data = answer.raw.read(decode_content=False)
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                for name in ("Content-Encoding", "Accept-Encoding", "Vary"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = session.put(proxy.upstream + self.path, data=body, headers=headers, timeout=120, stream=True)
                self._relay(answer)

            def do_GET(self) -> None:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = session.get(proxy.upstream + self.path, headers=headers, timeout=60, stream=True)
                self.send_response(answer.status_code)
                for name in ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges", "Content-Encoding"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.end_headers()
                for chunk in answer.raw.stream(1 << 16, decode_content=False):
                    self.wfile.write(chunk)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class World:
    """A server with an admin, two specialists (alice, bob) both assigned to one institution, and their clients."""

    def __init__(self, tmp: Path, market: Market, url: str) -> None:
        self.market = market
        self.tmp = tmp
        self.url = url
        for name, role in (("admin", "admin"), ("alice", "specialist"), ("bob", "specialist")):
            market.add_user(name, role)
        self.admin = self.client("admin-pc")
        self.admin.login(url, "admin")
        self.inst = self.admin.create("institution", {"name": "浙江大学", "org_type": "university"})
        assert self.admin.sync()["exit"] == 0
        market.admin("assign", "alice", self.inst)
        market.admin("assign", "bob", self.inst)
        self.a = self.client("alice-pc")
        self.a.login(url, "alice")
        self.b = self.client("bob-pc")
        self.b.login(url, "bob")
        for specialist in (self.a, self.b):
            assert specialist.sync()["exit"] == 0

    def client(self, name: str) -> Client:
        return Client(self.tmp / name, self.tmp / f"{name}.keyring.json")


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(market: Market) -> Iterator[Proxy]:
    p = Proxy(market.url)
    yield p
    p.stop()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, market: Market, proxy: Proxy) -> World:
    """Shared by a module's tests (each works on its own records); clients talk to the server through `proxy`."""
    return World(tmp_path_factory.mktemp("clients"), market, proxy.url)


@pytest.fixture(autouse=True)
def _reset_proxy(request: pytest.FixtureRequest) -> None:
    if "proxy" in request.fixturenames or "world" in request.fixturenames:
        p: Proxy = request.getfixturevalue("proxy")
        p.drop_push_answers, p.drop_pull_after, p.protocol = 0, None, None
        p.pull_requests.clear()
        p.push_requests = 0
