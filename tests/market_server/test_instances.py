"""Several server processes on one database and one attachment folder (docs/deploy.md section 8): two instances
behind one port (a round-robin proxy), and `serve --workers 2`."""

from __future__ import annotations

import hashlib
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from market_server.serve import WORKERS_ENV, worker_settings
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.market_server.conftest import PASSWORD, add_rows, add_user, institution

BIN = Path(sys.executable).parent
PDF = b"%PDF-1.4\n" + b"x" * 3000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(env: dict[str, str], log: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    with open(log, "ab") as sink:
        proc = subprocess.Popen([str(BIN / "market-server"), "serve", "--port", str(port), *extra],
                                env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=sink)
    try:
        deadline = time.monotonic() + 60
        while True:  # readiness: it answers
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.05)
        yield proc, port
    finally:
        proc.terminate()
        proc.wait(30)


class _RoundRobin:
    """One listening port; each new connection goes to the next upstream port in turn (a load balancer's
    round robin, as nginx's default). `chosen` lists the upstream of every connection."""

    def __init__(self, upstreams: list[int]) -> None:
        self.upstreams = upstreams
        self.chosen: list[int] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            upstream = self.upstreams[len(self.chosen) % len(self.upstreams)]
            self.chosen.append(upstream)
            server = socket.create_connection(("127.0.0.1", upstream))
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    @staticmethod
    def _relay(client: socket.socket, server: socket.socket) -> None:
        """Bytes both ways until either side closes (every request here says Connection: close)."""
        with client, server:
            while True:
                readable, _, _ = select.select([client, server], [], [], 60)
                if not readable:
                    return
                for source in readable:
                    try:
                        data = source.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    (server if source is client else client).sendall(data)

    def close(self) -> None:
        self.listener.close()


def _call(url: str, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
    """One request on a connection of its own (so the proxy sends it to the next instance)."""
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Connection": "close", **kwargs.pop("headers", {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with requests.Session() as session:
        answer = session.request(method, url + path, headers=headers, timeout=30, **kwargs)
    assert answer.status_code < 300, (path, answer.status_code, answer.text)
    return answer


def _sign_in(url: str, username: str, device: str) -> str:
    body = {"username": username, "password": PASSWORD, "device_id": device}
    token: str = _call(url, "POST", "/auth/login", json=body).json()["access_token"]
    return token


def test_two_instances_behind_one_port_share_the_database_and_the_attachments(
    engine: Engine, server_env: dict[str, str], tmp_path: Path
) -> None:
    inst = institution()
    add_rows(engine, inst)
    inst_id = inst[1]["id"]
    alice, bob = add_user(engine, assigned=[inst_id]), add_user(engine, assigned=[inst_id])
    with _serve(server_env, tmp_path / "a.log") as (_, port_a), _serve(server_env, tmp_path / "b.log") as (_, port_b):
        proxy = _RoundRobin([port_a, port_b])
        url = f"http://127.0.0.1:{proxy.port}"
        try:
            alice_token = _sign_in(url, alice, "alice-laptop")  # A
            bob_token = _sign_in(url, bob, "bob-laptop")  # B
            pulled = _call(url, "POST", "/sync/pull", bob_token, json={"device_id": "bob-laptop"}).json()  # A
            cursors = pulled["cursors"]  # A's high-water marks are now loaded
            visit_id = uuid7()
            sha = hashlib.sha256(PDF).hexdigest()
            push = {"device_id": "alice-laptop", "mutations": [
                {"seq": 1, "entity": "visit", "id": visit_id, "op": "create",
                 "fields": {"institution_id": inst_id, "status": "planned"}},
                {"seq": 2, "entity": "attachment", "id": uuid7(), "op": "create",
                 "fields": {"owner_entity": "visit", "owner_id": visit_id, "filename": "纪要.pdf",
                            "mime_type": "application/pdf", "size": len(PDF), "sha256": sha}}]}
            results = _call(url, "POST", "/sync/push", alice_token, json=push).json()["results"]  # B
            assert [r["outcome"] for r in results] == ["applied", "applied"]
            # Pushed through B, pulled through A: A's marks follow the counter B moved.
            pulled = _call(url, "POST", "/sync/pull", bob_token, json={"device_id": "bob-laptop",
                                                                        "cursors": cursors}).json()  # A
            assert visit_id in {c["id"] for c in pulled["changes"]}
            stored = _call(url, "PUT", f"/blobs/{sha}", alice_token, data=PDF).json()  # B
            assert stored["complete"] is True
            assert _call(url, "GET", f"/blobs/{sha}", bob_token).content == PDF  # A
            assert proxy.chosen == [port_a, port_b] * 3 + [port_a]
        finally:
            proxy.close()


def test_serve_with_workers_runs_them_and_serves_a_sync(
    engine: Engine, server_env: dict[str, str], tmp_path: Path
) -> None:
    inst = institution()
    add_rows(engine, inst)
    alice = add_user(engine, assigned=[inst[1]["id"]])
    with _serve(server_env, tmp_path / "w.log", "--workers", "2") as (proc, port):
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        workers = [c for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
        assert len(workers) == 2
        url = f"http://127.0.0.1:{port}"
        token = _sign_in(url, alice, "alice-laptop")
        push = {"device_id": "alice-laptop", "mutations": [{"seq": 1, "entity": "visit", "id": uuid7(),
                "op": "create", "fields": {"institution_id": inst[1]["id"], "status": "planned"}}]}
        for _ in range(6):  # whichever worker takes each connection
            _call(url, "POST", "/sync/pull", token, json={"device_id": "alice-laptop"})
        assert _call(url, "POST", "/sync/push", token, json=push).json()["results"][0]["outcome"] == "applied"
    log = (tmp_path / "w.log").read_text()
    assert log.count('"Application startup complete."') == 2 and '"path": "/sync/push"' in log
    assert log.count('"duplicate index ready"') == 2  # each worker process warms its own index


def test_each_worker_hashes_its_share_of_the_machines_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_LOGIN_HASH_WORKERS", "4")
    for workers, share in (("1", 4), ("2", 2), ("3", 1), ("8", 1)):
        monkeypatch.setenv(WORKERS_ENV, workers)
        assert worker_settings().login_hash_workers == share
