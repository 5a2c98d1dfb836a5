"""Bulk import benchmark: records/s for the province demo data through records.create_many (index included).

Usage: .venv/bin/python bench/import_bench.py [--scale province] [--batch 5000] [--dir DIR]
Prints figures per entity, the share of time spent keeping the search index, and a rebuild for comparison.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path
from time import perf_counter
from typing import Any

import _bench_common  # noqa: F401  (puts the project root on sys.path)

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import search_index
from specialist_app.store.db import open_store
from sync.demo import generate
from sync.entities import DEPENDENCY_ORDER, ENTITIES


def _load(scale: str, seed: int) -> dict[str, list[dict[str, Any]]]:
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity, record in generate(scale, seed=seed):
        managed = {f.name for f in ENTITIES[entity].fields if f.server_managed}
        by_entity[entity].append({k: v for k, v in record.items() if k not in managed})
    return by_entity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5000, help="rows per create_many call (one transaction)")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(args.dir or tmp), args.scale, args.seed, args.batch)


def run(directory: Path, scale: str, seed: int, batch: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "import_bench.sqlite3"
    path.unlink(missing_ok=True)
    start = perf_counter()
    data = _load(scale, seed)
    generated = sum(map(len, data.values()))
    print(f"generated {generated:,} records ({scale}, seed {seed}) in {perf_counter() - start:.1f} s")
    store = open_store(path)
    index_seconds = 0.0
    original = search_index.reindex_rows

    def timed_reindex(conn: Any, entity: str, ids: Any) -> None:
        nonlocal index_seconds
        t = perf_counter()
        original(conn, entity, ids)
        index_seconds += perf_counter() - t

    search_index.reindex_rows = timed_reindex
    total_rows, total_time = 0, 0.0
    try:
        for entity in DEPENDENCY_ORDER:
            rows = data.get(entity, [])
            if not rows:
                continue
            t = perf_counter()
            for i in range(0, len(rows), batch):
                chunk = rows[i : i + batch]
                with UnitOfWork(store) as uow:
                    records.create_many(uow, entity, chunk, ids=[r.pop("id") for r in chunk])
                    uow.commit()
            elapsed = perf_counter() - t
            total_rows, total_time = total_rows + len(rows), total_time + elapsed
            print(f"  {entity:<12} {len(rows):>7,} rows  {elapsed:6.2f} s  {len(rows) / elapsed:>9,.0f} rows/s")
    finally:
        search_index.reindex_rows = original
    print(f"total {total_rows:,} rows in {total_time:.1f} s: {total_rows / total_time:,.0f} records/s"
          f" (search index upkeep {index_seconds:.1f} s = {index_seconds / total_time:.0%} of it)")
    with UnitOfWork(store) as uow:
        t = perf_counter()
        docs = search_index.rebuild(uow.conn)
        uow.commit()
        print(f"full search index rebuild: {docs:,} documents in {perf_counter() - t:.1f} s")
    store.close()
    print(f"store size after close {path.stat().st_size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
