"""`make demo`'s launcher: server up and seeded, window opened offscreen, signed in, first sync done; no leftovers."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

LAUNCH_TIMEOUT_S = 300


def _env() -> dict[str, str]:
    # Any use of a real OS keyring would fail loudly: the demo must use its own file keyring.
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _server_down(url: str) -> bool:
    try:
        requests.get(url + "/health", timeout=1)
    except requests.ConnectionError:
        return True
    return False


def test_smoke_run_signs_in_syncs_and_stops_the_server(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "specialist_app.demo", "--scale", "small", "--smoke", "--dir", str(tmp_path),
         "--lang", "en"],
        env=_env(), capture_output=True, text=True, timeout=LAUNCH_TIMEOUT_S, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r"assigned institutions (\d+)", done.stdout)
    assert found and int(found.group(1)) > 0, done.stdout
    url = re.search(r"demo server: (http://127\.0\.0\.1:\d+)", done.stdout)
    assert url is not None
    assert _server_down(url.group(1))  # closing the app stopped the server
    stored = json.loads((tmp_path / "keyring.json").read_text(encoding="utf-8"))
    assert [key.split("\n")[1].split("@")[0] for key in stored] == ["demo"]  # the user and the data folder
    profiles = json.loads((tmp_path / "client" / "profiles.json").read_text(encoding="utf-8"))
    assert profiles["profiles"][profiles["current"]]["username"] == "demo"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_the_server_dies_with_a_crashed_launcher(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "specialist_app.demo", "--scale", "small", "--dir", str(tmp_path), "--lang", "en"],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        url = None
        for line in proc.stdout:
            if match := re.search(r"demo server: (http://127\.0\.0\.1:\d+)", line):
                url = match.group(1)
                break
        assert url is not None and not _server_down(url)
    finally:
        proc.send_signal(signal.SIGKILL)  # no cleanup code runs in the launcher
        proc.wait(30)
        if proc.stdout:
            proc.stdout.close()
    deadline = time.monotonic() + 30
    while not _server_down(url) and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the kernel's signal to end the orphaned server
    assert _server_down(url)


def test_restarting_the_demo_keeps_its_port_and_profile(tmp_path: Path) -> None:
    from specialist_app import paths
    from specialist_app.demo import DEMO_USER, default_dir, demo_url, stable_port

    client = tmp_path / "client"
    first = stable_port(tmp_path, client)
    assert stable_port(tmp_path, client) == first  # the next `make demo`: same server address, same profile
    store = paths.store_path(client, paths.profile_key(demo_url(first), DEMO_USER))
    store.write_bytes(b"offline work")
    with socket.socket() as squatter:  # something else took the demo's port meanwhile
        squatter.bind(("127.0.0.1", first))
        moved = stable_port(tmp_path, client)
    assert moved != first and stable_port(tmp_path, client) == moved
    assert paths.store_path(client, paths.profile_key(demo_url(moved), DEMO_USER)).read_bytes() == b"offline work"
    assert default_dir("province") == default_dir("province") != default_dir("small")
    assert not str(default_dir("province")).startswith(tempfile.gettempdir())  # kept, not a temporary folder


def test_what_was_typed_offline_is_there_at_the_next_make_demo(tmp_path: Path) -> None:
    def launch() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "specialist_app.demo", "--scale", "small", "--smoke", "--dir", str(tmp_path),
             "--lang", "en"],
            env=_env(), capture_output=True, text=True, timeout=LAUNCH_TIMEOUT_S, check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        profiles = json.loads((tmp_path / "client" / "profiles.json").read_text(encoding="utf-8"))
        return str(profiles["current"])

    first = launch()
    client = tmp_path / "client"
    [institution] = _query(client, first, "SELECT institution_id FROM assigned_institution LIMIT 1")
    typed = subprocess.run(  # typed while the demo was closed: offline, in the demo's profile
        [str(Path(sys.executable).parent / "specialist-app"), "--data-dir", str(client), "record", "add", "demand",
         "--set", "title=离线录入的需求", "--set", f"institution_id={institution[0]}", "--set", "demand_type=技术攻关"],
        env=_env(), capture_output=True, text=True, timeout=120, check=False)
    assert typed.returncode == 0, typed.stdout + typed.stderr
    assert launch() == first  # the same profile again
    assert _query(client, first, "SELECT status FROM demand WHERE title = '离线录入的需求'") == [("open",)]
    assert _query(client, first, "SELECT count(*) FROM outbox") == [(0,)]  # and the next start's sync sent it


def _query(client: Path, profile: str, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(client / "profiles" / profile / "store.sqlite3")
    try:
        return [tuple(row) for row in conn.execute(sql)]
    finally:
        conn.close()


SLOW_SERVER = """\
import socket, sys
port = int(sys.argv[sys.argv.index("--port") + 1])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(8)
held, _ = server.accept()  # listening, but too busy to answer the first health check within its 1 s
while True:
    conn, _ = server.accept()
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\n{}")
    conn.close()
"""


def test_a_server_slow_to_answer_its_first_health_check_is_waited_for(tmp_path: Path) -> None:
    """On a loaded machine `make demo` died with a ReadTimeout traceback: the server was listening but answered
    its first /health after the check's 1 s. A slow answer is waited for like a refused connection."""
    from specialist_app.demo import DemoServer, free_port

    command = tmp_path / "market-server"
    command.write_text(f"#!{sys.executable}\n{SLOW_SERVER}", encoding="utf-8")
    command.chmod(0o755)
    server = DemoServer(tmp_path, "tiny", free_port())
    server.command = str(command)
    try:
        server.start()
        assert server.proc is not None and server.proc.poll() is None
        assert requests.get(server.url + "/health", timeout=5).ok
    finally:
        server.stop()
