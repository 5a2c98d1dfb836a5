"""Reads during a sync: catalog page fetch and search p50/p95 on a client store, idle and while a pull commits pages.

    .venv/bin/python bench/read_during_sync_bench.py [--rows 100000] [--local 10000] [--page-size N] [--gap-ms 20]

A real `market-server serve` on loopback holds `--rows` achievements. The client store already holds `--local`
achievements (and 400 institutions), indexed. The reads are the GUI's own data jobs (`gui/data.py search_page`,
run here without Qt, as the task runner runs them): a "page fetch" is a page of 50 of the catalog, newest first,
at a varying offset; a "search" is the first page of a two-character query. They run on the idle store, then
in a loop (with `--gap-ms` between reads) while another process (bench/sync_bench_client.py `pull-pages`, the
app's SyncEngine without a snapshot) pulls the server's rows page by page, each page in its own transaction,
then on the idle store again. The ratio compares "during" with idle "after": the store the reads meet during the
sync grows from the "before" size to the "after" one, and bigger is slower. The load average is printed too: on
a shared machine the readers also wait for a CPU, which no transaction rule can remove.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _bench_common import insert_rows, make_institutions, percentiles

import specialist_app
from specialist_app.gui import data
from specialist_app.services.search import SearchFilters, SearchSort
from specialist_app.store import search_index
from specialist_app.store.db import Store, open_store
from sync.demo import achievements_only

QUERIES = ("材料", "传感", "算法", "玉米", "检测", "催化", "电池", "土壤", "模型", "涂层", "合金", "肿瘤")


def _prefill(path: Path, local: int) -> None:
    """The client's own catalog before the sync: institutions and achievements, plain rows plus their index."""
    rng = random.Random(7)
    institutions = make_institutions(400, rng)
    rows = []
    for row in achievements_only(local, seed=7):
        rows.append({**row, "institution_id": rng.choice(institutions)["id"], "deleted": False,
                     "updated_at": row.get("updated_at") or "2025-01-01T00:00:00Z"})
    store = open_store(path)
    try:
        with store.engine.begin() as conn:
            insert_rows(conn, "institution", institutions)
            insert_rows(conn, "achievement", rows)
            search_index.ensure_index(conn)
    finally:
        store.close()


def _reads(store: Store) -> dict[str, Callable[[int], object]]:
    def page(i: int) -> object:
        request = data.SearchRequest("achievement", "", SearchFilters(), SearchSort.NEWEST)
        return data.search_page(request, 50, 50 * (i % 20))(store)

    def search(i: int) -> object:
        request = data.SearchRequest("achievement", QUERIES[i % len(QUERIES)], SearchFilters(), SearchSort.RELEVANCE)
        return data.search_page(request, 50, 0)(store)

    return {"page fetch": page, "search": search}


def _idle(reads: dict[str, Callable[[int], object]], repeat: int, gap: float) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {name: [] for name in reads}
    for i in range(repeat):
        for name, fn in reads.items():
            found[name].append(_timed(fn, i))
            time.sleep(gap)
    return found


def _timed(fn: Callable[[int], object], i: int) -> float:
    start = time.perf_counter()
    fn(i)
    return time.perf_counter() - start


def _line(label: str, samples: list[float]) -> str:
    p50, p95, worst = percentiles(samples)
    return f"{label:<11} n={len(samples):<4} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {worst:7.1f} ms"


def run(rows: int, local: int, page_size: int, gap: float, idle_repeat: int) -> None:
    from sync_bench import _admin, _load_achievements, _serve

    print(f"client code: {Path(specialist_app.__file__).parent}")
    with tempfile.TemporaryDirectory() as tmp:
        server_dir, client_dir = Path(tmp) / "server", Path(tmp) / "client"
        client_dir.mkdir()
        _admin(server_dir, "migrate")
        _admin(server_dir, "user", "add", "bench", "--role", "specialist", "--password-stdin",
               stdin="bench-password-1\n")
        _load_achievements(server_dir, rows, 2026)
        path = client_dir / "store.sqlite3"
        _prefill(path, local)
        store = open_store(path)
        reads = _reads(store)
        idle = _idle(reads, idle_repeat, gap)
        proc, url = _serve(server_dir)
        during: dict[str, list[float]] = {name: [] for name in reads}
        try:
            script = Path(__file__).with_name("sync_bench_client.py")
            child = subprocess.Popen([sys.executable, str(script), "pull-pages", str(client_dir), url, "0",
                                      str(page_size)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            i, load = 0, os.getloadavg()[0]
            while child.poll() is None:
                for name, fn in reads.items():
                    during[name].append(_timed(fn, i))
                    time.sleep(gap)
                i += 1
            out, err = child.communicate()
            if child.returncode != 0:
                raise RuntimeError(err[-3000:])
            result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
            load = max(load, os.getloadavg()[0])
        finally:
            proc.terminate()
            proc.wait()
        after = _idle(reads, idle_repeat, gap)
        store.close()
    print(f"client store: {local:,} achievements of its own; the sync pulls {result['pulled']:,} rows"
          f" page by page ({page_size} per page) in {result['wall_s']:.1f} s; load average (1 min) at its start"
          f" and end, larger one: {load:.1f}, on {os.cpu_count()} CPUs")
    worst = 0.0
    for name in reads:
        print("  idle before " + _line(name, idle[name]))
        print("  during      " + _line(name, during[name]))
        print("  idle after  " + _line(name, after[name]))
        ratio = percentiles(during[name])[1] / percentiles(after[name])[1]
        worst = max(worst, ratio)
        print(f"  {name}: p95 during / idle after = {ratio:.2f}x")
    print(f"worst p95 ratio {worst:.2f}x (target <= 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="achievements the sync pulls")
    parser.add_argument("--local", type=int, default=10_000, help="achievements already in the client store")
    parser.add_argument("--page-size", type=int, default=0, help="rows per pull page (default: the app's)")
    parser.add_argument("--gap-ms", type=float, default=20.0, help="pause between two reads")
    parser.add_argument("--idle-repeat", type=int, default=60, help="idle reads of each kind")
    args = parser.parse_args()
    from specialist_app.sync_engine.engine import PULL_LIMIT

    run(args.rows, args.local, args.page_size or PULL_LIMIT, args.gap_ms / 1000, args.idle_repeat)


if __name__ == "__main__":
    main()
