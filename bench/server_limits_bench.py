"""Server resource limits under attack (#13.3, #13.4): RSS under 20 concurrent maximal bodies of each kind, and
`/auth/me` latency for a signed-in user while 40 clients hammer the login.

    .venv/bin/python bench/server_limits_bench.py [--clients 20] [--hammer 40] [--seconds 20]

Starts `market-server serve` (SQLite, full-cost argon2) in a temporary folder. Memory: for each kind of request
(login, refresh, push, pull, blob chunk; each at its cap, plus endless chunked bodies without Content-Length),
`clients` requests at once; the server's peak RSS (VmHWM, reset before each kind through /proc/PID/clear_refs)
is printed against its idle RSS. CPU: `hammer` threads send wrong passwords under new user names as fast as the
server answers (the per-address and global limits lifted, so only the bounded hashing pool defends), while one
signed-in client calls /auth/me; p50/p95/max of those calls, and how the logins were answered. The attacking
threads stand for other machines: they run in a process of their own (the measuring client never waits behind
them for the GIL) at nice 19, so their own CPU is not taken from the server.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from sync.protocol import (
    MAX_AUTH_BODY_BYTES,
    MAX_BLOB_CHUNK_BYTES,
    MAX_PULL_BODY_BYTES,
    MAX_PUSH_BODY_BYTES,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
)

BIN = Path(sys.executable).parent
USER, PASSWORD = "bench-admin", "bench-password-1"


def _serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    with log.open("wb") as sink:
        proc = subprocess.Popen([str(BIN / "market-server"), "serve", "--port", str(port)],
                                env={**os.environ, **env}, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return proc, url, port
        except requests.ConnectionError:
            time.sleep(0.05)  # waiting for the server process to listen
    proc.terminate()
    raise RuntimeError("server did not start")


def _rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def _endless_chunked(port: int, path: str, headers: str, stop_after: int) -> str:
    """A chunked body that never ends (up to stop_after bytes); returns the status line the server answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        piece = b" " * 65536
        sent = 0
        try:
            while sent < stop_after:
                conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
        except OSError:
            pass  # the server answered and closed
        try:
            return conn.recv(200).split(b"\r\n", 1)[0].decode() or "closed"
        except OSError:
            return "reset"


def _memory(url: str, port: int, pid: int, clients: int) -> dict[str, Any]:
    session = requests.Session()
    session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
    signed = session.post(url + "/auth/login", json={"username": USER, "password": PASSWORD, "device_id": "b"})
    signed.raise_for_status()
    token = signed.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    note = "走访纪要" * ((MAX_PUSH_BODY_BYTES - 100_000) // 500 // 12)  # 500 mutations filling the push cap
    mutations = [{"seq": i + 1, "entity": "visit", "id": f"00000000-0000-7000-8000-{i:012d}", "op": "update",
                  "fields": {"notes": note}, "base_version": 1} for i in range(500)]
    push = json.dumps({"device_id": "b", "mutations": mutations}, ensure_ascii=False).encode()
    assert len(push) <= MAX_PUSH_BODY_BYTES, len(push)
    cursors = {f"inst:{i:08d}-0000-7000-8000-000000000000": 1 for i in range(MAX_PULL_BODY_BYTES // 56)}
    pull = json.dumps({"device_id": "b", "cursors": cursors}).encode()[:MAX_PULL_BODY_BYTES]
    chunk = os.urandom(MAX_BLOB_CHUNK_BYTES)
    login_body = json.dumps({"username": "x" * 60, "password": "p" * (MAX_AUTH_BODY_BYTES - 200),
                             "device_id": "d"}).encode()
    kinds: dict[str, Any] = {
        "login at cap (4 KiB)": lambda i: requests.post(url + "/auth/login", data=login_body,
                                                        headers={"Content-Type": "application/json"}, timeout=120),
        "login 64 MiB chunked, no length": lambda i: _endless_chunked(port, "/auth/login", "", 64 << 20),
        "push at cap (4 MiB)": lambda i: requests.post(url + "/sync/push", data=push, timeout=300,
                                                       headers={**auth, "Content-Type": "application/json"}),
        "push 64 MiB chunked, no length": lambda i: _endless_chunked(
            port, "/sync/push", f"Authorization: Bearer {token}\r\n", 64 << 20),
        "pull at cap (1 MiB)": lambda i: requests.post(url + "/sync/pull", data=pull, timeout=300,
                                                       headers={**auth, "Content-Type": "application/json"}),
        "blob chunk at cap (4 MiB)": lambda i: requests.patch(
            f"{url}/blobs/{hashlib.sha256(str(i).encode()).hexdigest()}", params={"offset": 0}, data=chunk,
            headers={**auth, "Upload-Length": str(20 << 20)}, timeout=300),
    }
    idle = _rss_kib(pid, "VmRSS")
    results: dict[str, Any] = {"idle_rss_mib": round(idle / 1024, 1)}
    for name, call in kinds.items():
        _reset_peak(pid)
        answers: list[str] = []
        lock = threading.Lock()

        def run(i: int, call: Any = call, answers: list[str] = answers, lock: threading.Lock = lock) -> None:
            try:
                got = call(i)
                text = got if isinstance(got, str) else str(got.status_code)
            except requests.RequestException as exc:
                text = type(exc).__name__
            with lock:
                answers.append(text)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        peak = _rss_kib(pid, "VmHWM")
        results[name] = {"peak_rss_mib": round(peak / 1024, 1), "over_idle_mib": round((peak - idle) / 1024, 1),
                         "seconds": round(time.perf_counter() - started, 1), "answers": dict(Counter(answers))}
        print(f"  {name:<34} peak RSS {peak / 1024:7.1f} MiB (+{(peak - idle) / 1024:6.1f})  "
              f"{dict(Counter(answers))}", flush=True)
    return results


def _me_latency(url: str, token: str, seconds: float) -> list[float]:
    took: list[float] = []
    end = time.monotonic() + seconds
    me = requests.Session()
    me.headers["Authorization"] = f"Bearer {token}"
    while time.monotonic() < end:
        started = time.perf_counter()
        assert me.get(url + "/auth/me", timeout=60).status_code == 200
        took.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)  # a user's pace, not a second attacker
    return sorted(took)


def _summary(took: list[float]) -> dict[str, float]:
    return {"calls": len(took), "p50_ms": round(statistics.median(took), 1),
            "p95_ms": round(took[max(0, int(len(took) * 0.95) - 1)], 1), "max_ms": round(took[-1], 1)}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _attack(url: str, hammer: int, stop: Any, results: Any) -> None:
    """The attackers: `hammer` threads sending wrong passwords under new names until `stop` is set. They run in a
    process of their own, so the measuring client never waits for the GIL behind them, and at nice 19: they stand
    for other machines, and on 2 shared cores 40 threads at normal priority would take most of the CPU."""
    os.nice(19)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def attack(n: int) -> None:
        s = requests.Session()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                code = s.post(url + "/auth/login", json={"username": f"ghost-{n}-{i}", "password": "wrong-password",
                                                         "device_id": "x"}, timeout=60).status_code
            except requests.RequestException:
                code = 0
            with lock:
                statuses[code] += 1

    threads = [threading.Thread(target=attack, args=(n,), daemon=True) for n in range(hammer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(dict(statuses))


def _cpu(url: str, pid: int, hammer: int, seconds: float) -> dict[str, Any]:
    session = requests.Session()
    session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
    token = session.post(url + "/auth/login", json={"username": USER, "password": PASSWORD,
                                                    "device_id": "me"}).json()["access_token"]
    quiet = _summary(_me_latency(url, token, min(seconds, 10)))
    print(f"  /auth/me with nobody signing in: p50 {quiet['p50_ms']} ms, p95 {quiet['p95_ms']} ms, "
          f"max {quiet['max_ms']} ms ({quiet['calls']} calls)")
    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    attackers = spawn.Process(target=_attack, args=(url, hammer, stop, results), daemon=True)
    attackers.start()
    assert attackers.pid is not None
    time.sleep(2)  # let the hammering reach its steady state before measuring
    wall, server_cpu, their_cpu = time.perf_counter(), _cpu_seconds(pid), _cpu_seconds(attackers.pid)
    loaded = _summary(_me_latency(url, token, seconds))
    wall = time.perf_counter() - wall
    shares = {"server_cpu_share": round((_cpu_seconds(pid) - server_cpu) / wall, 2),
              "attackers_cpu_share": round((_cpu_seconds(attackers.pid) - their_cpu) / wall, 2),
              "load_average": os.getloadavg()[0]}
    stop.set()
    statuses = results.get(timeout=120)
    attackers.join(60)
    print(f"  /auth/me while {hammer} clients hammer the login: p50 {loaded['p50_ms']} ms, p95 {loaded['p95_ms']} ms,"
          f" max {loaded['max_ms']} ms ({loaded['calls']} calls); logins answered {statuses}; CPU cores used"
          f" by the server {shares['server_cpu_share']}, by the attacking process {shares['attackers_cpu_share']},"
          f" load average {shares['load_average']:.1f}")
    return {"quiet": quiet, "hammered": loaded, "login_answers": statuses, **shares}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--hammer", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cpu-only", action="store_true", help="skip the memory part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"MARKET_DATA_DIR": tmp, "MARKET_LOGIN_MAX_PER_ADDRESS": "1000000000",
               "MARKET_LOGIN_MAX_GLOBAL": "1000000000", "MARKET_LOGIN_MAX_PER_ACCOUNT": "1000000000"}
        run_env = {**os.environ, **env}
        subprocess.run([str(BIN / "market-server"), "migrate"], env=run_env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(BIN / "market-server"), "user", "add", USER, "--role", "admin", "--password-stdin"],
                       env=run_env, input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
        log = Path(tmp) / "server.log"
        proc, url, port = _serve(env, log)
        try:
            print(f"server pid {proc.pid}, {os.cpu_count()} CPUs; memory, {args.clients} concurrent requests per kind:")
            memory = {} if args.cpu_only else _memory(url, port, proc.pid, args.clients)
            print("CPU:")
            cpu = _cpu(url, proc.pid, args.hammer, args.seconds)
        finally:
            proc.terminate()
            proc.wait(30)
            errors = [line for line in log.read_text(errors="replace").splitlines() if '"level": "error"' in line]
            print(f"server errors logged: {len(errors)}", *errors[:3], sep="\n  ")
    print(json.dumps({"memory": memory, "cpu": cpu}, ensure_ascii=False))


if __name__ == "__main__":
    main()
