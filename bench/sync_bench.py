"""Sync benchmark: a real market-server on loopback and a fresh client store on this machine.

    .venv/bin/python bench/sync_bench.py [--sizes province,25000,100000] [--visits 1000] [--page-size N]

Prints, per size (N achievements, or `province`: the province demo catalog with 10 institutions assigned to the
bench specialist): initial pull page by page (when titles/keywords/short fields are searchable, i.e. the last
page committed and the deferred long-text indexing starts; when the full text is searchable, i.e. the sync run
returned; rows/s; client peak RSS), incremental pull of 100 changes, and a naive baseline (the whole catalog as one
gzip JSON inserted with executemany), and unless --no-snapshot an administrator publishing a catalog snapshot
and a fresh client's first sync installing it; then a push of 1,000 offline visits. The client side of each
measurement runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402


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


PROVINCE = "province"


def _load_province(data_dir: Path) -> int:
    """The province demo catalog (`market-server seed-demo --scale province`: ~23,300 achievements, ~4,900
    experts, institutions, demands, visits...) with 10 of its institutions assigned to the bench specialist, as a
    real specialist's first sync meets it; returns the number of catalog rows (what a first pull brings)."""
    from sqlalchemy import text

    from market_server.db import make_engine
    from market_server.settings import Settings

    _admin(data_dir, "seed-demo", "--scale", "province", "--demo-passwords")
    os.environ["MARKET_DATA_DIR"] = str(data_dir)
    engine = make_engine(Settings.from_env())
    with engine.connect() as conn:
        ids = [str(r[0]) for r in conn.execute(text(
            "SELECT id FROM institution WHERE status = 'active' AND NOT deleted ORDER BY id LIMIT 10"))]
        rows = sum(int(conn.execute(text(f"SELECT count(*) FROM {t} WHERE NOT deleted")).scalar_one())
                   for t in ("institution", "achievement", "ip_item", "demand", "expert"))
    engine.dispose()
    _admin(data_dir, "assign", "bench", *ids)
    return rows


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`market-server serve` on a free loopback port over this data dir, once it answers /health."""
    from server_pull_bench import _serve as serve_with

    return serve_with({"MARKET_DATA_DIR": str(data_dir)})


def _client(store_dir: Path, url: str, action: str, n: int, province: str | None = None) -> dict[str, Any]:
    """One client measurement in a child process (bench/sync_bench_client.py)."""
    script = Path(__file__).with_name("sync_bench_client.py")
    args = [sys.executable, str(script), action, str(store_dir), url, str(n), str(_PAGE_SIZE[0])]
    args += [province] if province else []
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# Rows per pull page the client asks for (the app's own default unless --page-size says otherwise).
_PAGE_SIZE = [0]


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


def run(sizes: list[str], visits: int, incremental_runs: int = 3, warm_server: bool = False,
        snapshot: bool = True) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            server_dir = Path(tmp) / "server"
            _admin(server_dir, "migrate")
            _admin(server_dir, "user", "add", "bench", "--role", "specialist", "--password-stdin",
                   stdin="bench-password-1\n")
            _admin(server_dir, "user", "add", "benchadmin", "--role", "admin", "--password-stdin",
                   stdin="benchadmin-password-1\n")
            if size == PROVINCE:
                n = _load_province(server_dir)
                label = f"the province catalog ({n} rows)"
                print(f"province demo catalog: {n} catalog rows; the bench specialist has 10 institutions assigned")
            else:
                n = int(size)
                label = f"{n} achievements"
                _load_achievements(server_dir, n, 2026)
            proc, url = _serve(server_dir)
            try:
                client_dir = Path(tmp) / "client"
                client_dir.mkdir()
                initial = _client(client_dir, url, "pull", 0)
                print(f"initial pull of {label}: titles/keywords/short fields searchable after"
                      f" {initial['short_fields_s']:.2f} s ({n / initial['short_fields_s']:,.0f} rows/s);"
                      f" full text searchable after {initial['wall_s']:.2f} s ({n / initial['wall_s']:,.0f} rows/s);"
                      f" peak RSS {initial['peak_rss_mb']:.0f} MB (tokenizer {initial['worker_rss_mb']:.0f} MB);"
                      f" achievements searchable {initial['searchable']}, documents {initial['documents']},"
                      f" long texts still deferred {initial['deferred_left']}")
                if snapshot:
                    _snapshot_pull(Path(tmp), url, n, label, initial["wall_s"])
                phases, wholes = [], []
                for _ in range(incremental_runs):  # each run: 100 other rows changed on the server, one client sync
                    _touch(server_dir, 100)
                    with _kept_busy(url if warm_server else None):
                        incremental = _client(client_dir, url, "pull", 0)
                    phases.append(incremental["pull_phase_s"] * 1000)
                    wholes.append(incremental["wall_s"] * 1000)
                    print(f"incremental pull of 100 changes, {label}: pull phase {phases[-1]:.0f} ms"
                          f" (first pull request -> last page committed; of which the request, server and answer"
                          f" {incremental['pull_requests_s'] * 1000:.0f} ms); whole sync run {wholes[-1]:.0f} ms;"
                          f" HTTP requests {_requests_text(incremental)}; closing the store afterwards (WAL"
                          f" checkpoint) {incremental['close_s'] * 1000:.0f} ms")
                print(f"incremental pull of 100 changes, {label}, median of {incremental_runs}: pull phase"
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


def _snapshot_pull(tmp: Path, url: str, n: int, label: str, page_by_page_s: float) -> None:
    """An administrator publishes a catalog snapshot; then a fresh client's first sync installs it."""
    publisher = tmp / "publisher"
    publisher.mkdir()
    published = _client(publisher, url, "publish", 0)
    print(f"catalog snapshot published by an administrator (once per catalog change, not per client):"
          f" {published['wall_s']:.2f} s, {published['size_mb']:.1f} MB compressed,"
          f" peak RSS {published['peak_rss_mb']:.0f} MB")
    fresh = tmp / "snapshot-client"
    fresh.mkdir()
    got = _client(fresh, url, "pull", 0)
    assert got["snapshot_cursor"] is not None, "the fresh client did not install the snapshot"
    print(f"initial pull of {label} with the snapshot: downloaded after"
          f" {got['download_s']:.2f} s;"
          f" installed (catalog and full text searchable) after {got['installed_s']:.2f} s; sync run returned after"
          f" {got['wall_s']:.2f} s ({n / got['wall_s']:,.0f} rows/s); peak RSS {got['peak_rss_mb']:.0f} MB;"
          f" achievements searchable {got['searchable']}, documents {got['documents']};"
          f" ratio page-by-page/snapshot {page_by_page_s / got['wall_s']:.1f}; closing the store afterwards (the"
          f" WAL checkpoint that copies the installed pages into the store file) {got['close_s']:.2f} s")


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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="province,25000,100000",
                        help="numbers of achievements, and/or 'province' (the province demo catalog)")
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=0, help="rows per pull page (default: the app's PULL_LIMIT)")
    parser.add_argument("--warm-server", action="store_true",
                        help="keep the server busy with /health requests during incremental pulls (see _kept_busy)")
    parser.add_argument("--incremental-runs", type=int, default=3, help="incremental pulls per size (median printed)")
    parser.add_argument("--no-snapshot", action="store_true", help="skip publishing and installing a catalog snapshot")
    args = parser.parse_args()
    from specialist_app.sync_engine.engine import PULL_LIMIT

    _PAGE_SIZE[0] = args.page_size or PULL_LIMIT
    print(f"pull pages of {_PAGE_SIZE[0]} rows")
    run([s for s in args.sizes.split(",") if s], args.visits, args.incremental_runs, args.warm_server,
        not args.no_snapshot)


if __name__ == "__main__":
    main()
