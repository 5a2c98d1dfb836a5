"""Sync benchmark: a real market-server on loopback and a fresh client store on this machine.

    .venv/bin/python bench/sync_bench.py [--sizes 25000,100000] [--visits 1000] [--page-size N]

Prints, per size: initial pull of N achievements (when titles/keywords/short fields are searchable, i.e. the last
page committed and the deferred long-text indexing starts; when the full text is searchable, i.e. the sync run
returned; rows/s; client peak RSS), incremental pull of 100 changes, and a naive baseline (the whole catalog as one
gzip JSON inserted with executemany); then a push of 1,000 offline visits. The client side of each measurement
runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import requests  # noqa: E402


class _MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring ships no type hints
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _admin(data_dir: Path, *args: str, stdin: str = "") -> None:
    from market_server import cli

    os.environ["MARKET_DATA_DIR"] = str(data_dir)
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(stdin), io.StringIO()
    try:
        assert cli.main(list(args)) == 0
    finally:
        sys.stdin, sys.stdout = saved


def _load_achievements(data_dir: Path, n: int, seed: int) -> None:
    from market_server.db import make_engine
    from market_server.seed import load_records
    from market_server.settings import Settings
    from sync.demo import achievements_only

    os.environ["MARKET_DATA_DIR"] = str(data_dir)
    engine = make_engine(Settings.from_env())
    with engine.begin() as conn:
        load_records(conn, (("achievement", r) for r in achievements_only(n, seed=seed)), "seed")
    engine.dispose()


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "MARKET_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([str(BIN / "market-server"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return proc, url
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def _client(store_dir: Path, url: str, action: str, n: int) -> dict[str, Any]:
    """One client measurement in a child process (this script with --client)."""
    args = [sys.executable, __file__, "--client", action, str(store_dir), url, str(n), str(_PAGE_SIZE[0])]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# Rows per pull page the client asks for (the app's own default unless --page-size says otherwise).
_PAGE_SIZE = [0]


def _client_main(action: str, store_dir: Path, url: str, n: int, page_size: int) -> None:
    from specialist_app import credentials
    from specialist_app.services import records
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store import search_index
    from specialist_app.store.db import open_store
    from specialist_app.sync_engine.engine import SyncEngine
    from specialist_app.sync_engine.transport import Transport

    keyring.set_keyring(_MemoryKeyring())
    store = open_store(store_dir / "store.sqlite3")
    with UnitOfWork(store) as uow:
        device = str(uow.conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'device_id'").scalar_one())
    auth = credentials.login(store_dir, url, "bench", "bench-password-1", device_id=device)
    transport = Transport(url, auth=auth)
    out: dict[str, Any] = {}
    if action == "push":
        with UnitOfWork(store) as uow:
            inst = uow.conn.exec_driver_sql("SELECT institution_id FROM assigned_institution").scalar_one()
            for i in range(n):
                records.create(uow, "visit", {"institution_id": inst, "status": "planned", "purpose": f"走访 {i}"})
            uow.commit()
    if action == "baseline":
        start = time.perf_counter()
        blob = gzip.compress(json.dumps(_fetch_all(transport, device)).encode())
        rows = json.loads(gzip.decompress(blob))
        _naive_insert(store, rows)
        out.update(rows=len(rows), wall_s=time.perf_counter() - start)
    else:
        phases: dict[str, float] = {}
        last_pull_page = 0.0

        def progress(phase: str, done: int, total: int | None) -> None:
            nonlocal last_pull_page
            phases.setdefault(phase, time.perf_counter())
            if phase == "pull":  # reported right after each pulled page's transaction commits
                last_pull_page = time.perf_counter()

        engine = SyncEngine(store, transport, pull_limit=page_size)
        requests_sent = _count_requests(transport)
        pull_span = _pull_span(transport)
        push_spans = _time_calls(engine, "_push")
        start = time.perf_counter()
        report = engine.run(progress)
        end = time.perf_counter()
        # The "index" phase starts when the last page is applied: every title/keyword/short field is searchable.
        out.update(wall_s=end - start, short_fields_s=phases.get("index", end) - start, pushed=report.pushed,
                   pulled=report.pulled, error=report.error_code, requests=requests_sent,
                   pull_phase_s=last_pull_page - pull_span["first_request"], pull_requests_s=pull_span["requests_s"],
                   first_push_s=push_spans[0] if push_spans else 0.0)
        if report.error_code:
            raise SystemExit(f"sync failed: {report.error_code} {report.message('en')}")
        with UnitOfWork(store) as uow:
            out["searchable"] = uow.conn.exec_driver_sql(
                f"SELECT count(*) FROM {search_index.DOC} WHERE entity = 'achievement'").scalar_one()
            out["deferred_left"] = search_index.deferred_count(uow.conn)
    closing = time.perf_counter()
    store.close()  # copies the run's WAL pages into the store file (a checkpoint), after the run
    out["close_s"] = time.perf_counter() - closing
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The tokenizing second process, if the pull started one (it has ended: its peak is on record).
    out["worker_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out))


def _count_requests(transport: Any) -> dict[str, int]:
    """HTTP requests the transport sends during the run, by "METHOD path" (filled in as they are sent)."""
    counts: dict[str, int] = {}
    send = transport.request

    def counted(method: str, path: str, **kwargs: Any) -> Any:
        key = f"{method} {path if not path.startswith('/blobs/') else '/blobs/{sha}'}"
        counts[key] = counts.get(key, 0) + 1
        return send(method, path, **kwargs)

    transport.request = counted
    return counts


def _pull_span(transport: Any) -> dict[str, float]:
    """Wall-clock mark of the pull phase's start (the first pull request sent) and time spent in pull requests."""
    from specialist_app.sync_engine import endpoints

    marks: dict[str, float] = {"first_request": 0.0, "requests_s": 0.0}
    send = transport.post_json

    def timed_post(path: str, payload: Any, **kwargs: Any) -> Any:
        if path != endpoints.PULL:
            return send(path, payload, **kwargs)
        began = time.perf_counter()
        marks["first_request"] = marks["first_request"] or began
        try:
            return send(path, payload, **kwargs)
        finally:
            marks["requests_s"] += time.perf_counter() - began  # request, server, answer and its decoding

    transport.post_json = timed_post
    return marks


def _time_calls(obj: Any, name: str) -> list[float]:
    """Wall seconds of each call of obj.name during the run, in call order."""
    spans: list[float] = []
    method = getattr(obj, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spans.append(time.perf_counter() - start)

    setattr(obj, name, timed)
    return spans


def _fetch_all(transport: Any, device: str) -> list[dict[str, Any]]:
    """The baseline's download: every page fetched as plain JSON, no per-page application."""
    from specialist_app.sync_engine import endpoints

    rows: list[dict[str, Any]] = []
    cursors: dict[str, int] = {}
    while True:
        page = transport.post_json(endpoints.PULL, {"device_id": device, "cursors": cursors, "limit": 5000})
        rows.extend(page["changes"])
        cursors = page["cursors"]
        if not page["has_more"]:
            return rows


def _naive_insert(store: Any, rows: list[dict[str, Any]]) -> None:
    from specialist_app.sync_engine import local

    with store.engine.begin() as conn:
        local.upsert_rows(conn, "achievement", [
            {**r["fields"], "id": r["id"], "server_version": r["version"], "updated_at": r["updated_at"]}
            for r in rows if r["entity"] == "achievement"
        ])


def _touch(data_dir: Path, count: int) -> None:
    """Change `count` achievements on the server (new versions), as other users' edits would."""
    from sqlalchemy import text

    from market_server.db import make_engine
    from market_server.settings import Settings
    from market_server.versions import allocate

    os.environ["MARKET_DATA_DIR"] = str(data_dir)
    engine = make_engine(Settings.from_env())
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM achievement ORDER BY random() LIMIT :n"), {"n": count})]
        first = allocate(conn, len(ids))
        for offset, row_id in enumerate(ids):
            conn.execute(text("UPDATE achievement SET version = :v, summary = summary || ' 更新' WHERE id = :id"),
                         {"v": first + offset, "id": row_id})
    engine.dispose()


@contextlib.contextmanager
def _kept_busy(url: str | None) -> Iterator[None]:
    """With a URL: a GET /health every 25 ms meanwhile, as a server with other users never sits idle.

    On this machine a process that sat idle answers its next request slower the longer it idled (the kernel's
    DAMON pageout scheme evicts idle pages: /health took 2.7 ms warm, 13/32/63/124 ms after 0.05/0.2/0.5/1 s).
    """
    stop = threading.Event()

    def ping() -> None:
        with requests.Session() as session:
            while not stop.wait(0.025):
                session.get(f"{url}/health", timeout=5)

    thread = threading.Thread(target=ping, daemon=True) if url else None
    if thread:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread:
            thread.join()


def run(sizes: list[int], visits: int, incremental_runs: int = 3, warm_server: bool = False) -> None:
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            server_dir = Path(tmp) / "server"
            _admin(server_dir, "migrate")
            _admin(server_dir, "user", "add", "bench", "--role", "specialist", "--password-stdin",
                   stdin="bench-password-1\n")
            _load_achievements(server_dir, n, 2026)
            proc, url = _serve(server_dir)
            try:
                client_dir = Path(tmp) / "client"
                client_dir.mkdir()
                initial = _client(client_dir, url, "pull", 0)
                print(f"initial pull {n:>7} achievements: titles/keywords/short fields searchable after"
                      f" {initial['short_fields_s']:.2f} s ({n / initial['short_fields_s']:,.0f} rows/s);"
                      f" full text searchable after {initial['wall_s']:.2f} s ({n / initial['wall_s']:,.0f} rows/s);"
                      f" peak RSS {initial['peak_rss_mb']:.0f} MB (second process {initial['worker_rss_mb']:.0f} MB);"
                      f" documents {initial['searchable']},"
                      f" long texts still deferred {initial['deferred_left']}")
                phases, wholes = [], []
                for _ in range(incremental_runs):  # each run: 100 other rows changed on the server, one client sync
                    _touch(server_dir, 100)
                    with _kept_busy(url if warm_server else None):
                        incremental = _client(client_dir, url, "pull", 0)
                    phases.append(incremental["pull_phase_s"] * 1000)
                    wholes.append(incremental["wall_s"] * 1000)
                    print(f"incremental pull of 100 changes at {n}: pull phase {phases[-1]:.0f} ms"
                          f" (first pull request -> last page committed; of which the request, server and answer"
                          f" {incremental['pull_requests_s'] * 1000:.0f} ms); whole sync run {wholes[-1]:.0f} ms;"
                          f" HTTP requests {_requests_text(incremental)}; closing the store afterwards (WAL"
                          f" checkpoint) {incremental['close_s'] * 1000:.0f} ms")
                print(f"incremental pull of 100 changes at {n}, median of {incremental_runs}: pull phase"
                      f" {statistics.median(phases):.0f} ms; whole sync run {statistics.median(wholes):.0f} ms")
                base_dir = Path(tmp) / "baseline"
                base_dir.mkdir()
                baseline = _client(base_dir, url, "baseline", 0)
                print(f"naive baseline (one gzip JSON + executemany, no index): {baseline['wall_s']:.2f} s;"
                      f" ratio engine/baseline {initial['wall_s'] / baseline['wall_s']:.2f}")
            finally:
                proc.terminate()
                proc.wait()
    if visits:
        with tempfile.TemporaryDirectory() as tmp:
            server_dir = Path(tmp) / "server"
            _admin(server_dir, "migrate")
            _admin(server_dir, "user", "add", "bench", "--role", "specialist", "--password-stdin",
                   stdin="bench-password-1\n")
            _load_inst(server_dir)
            proc, url = _serve(server_dir)
            try:
                client_dir = Path(tmp) / "client"
                client_dir.mkdir()
                _client(client_dir, url, "pull", 0)
                pushed = _client(client_dir, url, "push", visits)
                print(f"push of {pushed['pushed']} offline visits: push phase {pushed['first_push_s']:.2f} s;"
                      f" whole sync run {pushed['wall_s']:.2f} s; HTTP requests {_requests_text(pushed)}")
            finally:
                proc.terminate()
                proc.wait()


def _requests_text(result: dict[str, Any]) -> str:
    counts: dict[str, int] = result["requests"]
    return f"{sum(counts.values())} ({', '.join(f'{k} x{v}' for k, v in sorted(counts.items())) or 'none'})"


def _load_inst(data_dir: Path) -> None:
    from market_server.db import make_engine
    from market_server.seed import load_records
    from market_server.settings import Settings
    from sync.ids import uuid7

    os.environ["MARKET_DATA_DIR"] = str(data_dir)
    engine = make_engine(Settings.from_env())
    inst = uuid7()
    with engine.begin() as conn:
        load_records(conn, [("institution", {"id": inst, "name": "吉林大学", "org_type": "university",
                                             "status": "active"})], "seed")
    engine.dispose()
    _admin(data_dir, "assign", "bench", inst)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        _client_main(sys.argv[2], Path(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="25000,100000")
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=0, help="rows per pull page (default: the app's PULL_LIMIT)")
    parser.add_argument("--warm-server", action="store_true",
                        help="keep the server busy with /health requests during incremental pulls (see _kept_busy)")
    parser.add_argument("--incremental-runs", type=int, default=3, help="incremental pulls per size (median printed)")
    args = parser.parse_args()
    from specialist_app.sync_engine.engine import PULL_LIMIT

    _PAGE_SIZE[0] = args.page_size or PULL_LIMIT
    print(f"pull pages of {_PAGE_SIZE[0]} rows")
    run([int(s) for s in args.sizes.split(",") if s], args.visits, args.incremental_runs, args.warm_server)


if __name__ == "__main__":
    main()
