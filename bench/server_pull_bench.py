"""Server pull benchmark: the server's cost to answer a first pull of N achievements, page by page.

    .venv/bin/python bench/server_pull_bench.py [--rows 100000] [--limit 5000] [--repeat 3] [--http]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--role specialist|admin]

Loads N demo achievements into a fresh server database (as bench/sync_bench.py does), adds one user, then, for each
repeat, pulls every page from cursor 0 in-process the way the `/sync/pull` route builds its body (wall and CPU of
this process per page; rows/s; p50/max page time; gzip level 1 of the bodies timed separately). With `--http` it
also runs `market-server serve` and pulls the same pages with `requests` (gzip), reporting response bytes, wall
time per page and the server process's CPU time (from /proc). With `--postgres` the database is a fresh schema in
that database (dropped at the end); the database server's own CPU is then not in the in-process figures.
"""

from __future__ import annotations

import argparse
import gzip
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import Engine, create_engine, text  # noqa: E402

from market_server import accounts  # noqa: E402
from market_server import pull as pull_service  # noqa: E402
from market_server.db import make_engine, migrate  # noqa: E402
from market_server.security import use_cheap_hashing  # noqa: E402
from market_server.seed import load_records  # noqa: E402
from market_server.settings import Settings  # noqa: E402
from sync.demo import achievements_only  # noqa: E402
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, PullRequest  # noqa: E402

USER, PASSWORD, DEVICE = "bench", "bench-password-1", "bench-device"


@contextmanager
def _database(tmp: Path, postgres: str | None) -> Iterator[tuple[Settings, dict[str, str]]]:
    """Settings for a fresh database, and the environment that makes `market-server serve` use it."""
    if not postgres:
        url = f"sqlite:///{tmp / 'market.sqlite3'}"
        yield Settings(data_dir=tmp, database_url=url, blob_dir=tmp / "blobs"), {"MARKET_DATA_DIR": str(tmp)}
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (Settings(data_dir=tmp, database_url=postgres, blob_dir=tmp / "blobs", database_schema=schema),
               {"MARKET_DATA_DIR": str(tmp), "MARKET_DATABASE_URL": postgres, "MARKET_DATABASE_SCHEMA": schema})
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _prepare(engine: Engine, rows: int, role: str) -> accounts.User:
    migrate(engine)
    with engine.begin() as conn:
        user = accounts.add_user(conn, USER, role, PASSWORD)
        load_records(conn, (("achievement", r) for r in achievements_only(rows, seed=2026)), "seed")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("COMMIT"))
            conn.execute(text("ANALYZE"))
    return user


def _page_body(engine: Engine, user: accounts.User, request: PullRequest) -> bytes:
    """The route's body for one page (the same call the `/sync/pull` route makes)."""
    return pull_service.pull_body(engine, user, request)


def _cursors_of(body: bytes) -> tuple[dict[str, int], bool, int]:
    import orjson

    page = orjson.loads(body)
    return page["cursors"], page["has_more"], len(page["changes"])


def _postgres_cpu() -> float:
    """CPU seconds used so far by every process named postgres on this machine (the local database server)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text_ = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        if text_.split("(", 1)[1].startswith("postgres)"):
            total += _stat_cpu(text_)
    return total


def _in_process(engine: Engine, user: accounts.User, limit: int) -> dict[str, Any]:
    cursors: dict[str, int] = {}
    db_cpu = _postgres_cpu() if engine.dialect.name == "postgresql" else 0.0
    walls: list[float] = []
    cpus: list[float] = []
    bodies: list[bytes] = []
    rows = 0
    while True:
        request = PullRequest(device_id=DEVICE, cursors=cursors, limit=limit)
        wall, cpu = time.perf_counter(), time.process_time()
        body = _page_body(engine, user, request)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        bodies.append(body)
        cursors, more, count = _cursors_of(body)
        rows += count
        if not more:
            break
    db_cpu = _postgres_cpu() - db_cpu if engine.dialect.name == "postgresql" else 0.0
    gz = time.process_time()
    compressed = sum(len(gzip.compress(b, compresslevel=1)) for b in bodies)
    return {"rows": rows, "walls": walls, "cpus": cpus, "db_cpu": db_cpu, "gzip_cpu": time.process_time() - gz,
            "bytes": sum(len(b) for b in bodies), "gzip_bytes": compressed}


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(BIN / "market-server"), "serve", "--port", str(port)], env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return proc, url
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a busy machine starting it
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("server did not start")


def _cpu_seconds(pid: int) -> float:
    return _stat_cpu(Path(f"/proc/{pid}/stat").read_text())


def _stat_cpu(stat: str) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _over_http(url: str, pid: int, limit: int) -> dict[str, Any]:
    session = requests.Session()
    session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
    login = session.post(url + "/auth/login", json={"username": USER, "password": PASSWORD, "device_id": DEVICE})
    login.raise_for_status()
    session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    cursors: dict[str, int] = {}
    walls: list[float] = []
    wire = rows = 0
    cpu, db_cpu = _cpu_seconds(pid), _postgres_cpu()
    while True:
        start = time.perf_counter()
        response = session.post(url + "/sync/pull", json={"device_id": DEVICE, "cursors": cursors, "limit": limit},
                                headers={"Accept-Encoding": "gzip"}, stream=True)
        raw = response.raw.read()  # the compressed bytes as sent
        walls.append(time.perf_counter() - start)
        response.raise_for_status()
        wire += len(raw)
        body = gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw
        cursors, more, count = _cursors_of(body)
        rows += count
        if not more:
            break
    return {"rows": rows, "walls": walls, "server_cpu": _cpu_seconds(pid) - cpu,
            "db_cpu": _postgres_cpu() - db_cpu, "wire": wire}


def _db(result: dict[str, Any]) -> str:
    return f" + postgres processes {result['db_cpu']:.2f} s" if result["db_cpu"] else ""


def _print_in_process(run: int, r: dict[str, Any]) -> None:
    total, cpu = sum(r["walls"]), sum(r["cpus"])
    print(f"  in-process run {run}: {r['rows']:,} rows in {len(r['walls'])} pages; wall {total:.2f} s"
          f" ({r['rows'] / total:,.0f} rows/s), CPU {cpu:.2f} s{_db(r)}"
          f"; page wall p50 {statistics.median(r['walls']):.3f} s max {max(r['walls']):.3f} s"
          f"; JSON {r['bytes'] / 1e6:.1f} MB, gzip-1 {r['gzip_bytes'] / 1e6:.1f} MB"
          f" in {r['gzip_cpu']:.2f} s CPU", flush=True)


def _print_http(run: int, r: dict[str, Any]) -> None:
    total = sum(r["walls"])
    print(f"  HTTP run {run}: {r['rows']:,} rows in {len(r['walls'])} pages; wall {total:.2f} s"
          f" ({r['rows'] / total:,.0f} rows/s), server CPU {r['server_cpu']:.2f} s{_db(r)}; page wall p50"
          f" {statistics.median(r['walls']):.3f} s max {max(r['walls']):.3f} s; {r['wire'] / 1e6:.1f} MB on the wire",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--role", default="specialist", choices=accounts.ROLES)
    parser.add_argument("--http", action="store_true", help="also pull through a real `market-server serve`")
    parser.add_argument("--postgres", metavar="URL", help="use a fresh schema in this PostgreSQL database")
    args = parser.parse_args()
    use_cheap_hashing()
    with tempfile.TemporaryDirectory() as tmp, _database(Path(tmp), args.postgres) as (settings, env):
        engine = make_engine(settings)
        start = time.perf_counter()
        user = _prepare(engine, args.rows, args.role)
        print(f"{engine.dialect.name}: {args.rows:,} achievements loaded in {time.perf_counter() - start:.1f} s;"
              f" pulling as {args.role}, limit {args.limit}", flush=True)
        _page_body(engine, user, PullRequest(device_id=DEVICE, cursors={}, limit=10))  # warm caches and imports
        results = []
        for run in range(1, args.repeat + 1):
            results.append(_in_process(engine, user, args.limit))
            _print_in_process(run, results[-1])
        cpus = [sum(r["cpus"]) + r["db_cpu"] for r in results]
        print(f"in-process median: CPU (with postgres processes) {statistics.median(cpus):.2f} s,"
              f" {args.rows / statistics.median(cpus):,.0f} rows/s of CPU", flush=True)
        engine.dispose()
        if args.http:
            proc, url = _serve(env)
            try:
                http = []
                for run in range(1, args.repeat + 1):
                    http.append(_over_http(url, proc.pid, args.limit))
                    _print_http(run, http[-1])
                print(f"HTTP median: server CPU {statistics.median(r['server_cpu'] + r['db_cpu'] for r in http):.2f} s"
                      " (with postgres processes),"
                      f" wall {statistics.median(sum(r['walls']) for r in http):.2f} s")
            finally:
                proc.terminate()
                proc.wait()


if __name__ == "__main__":
    main()
