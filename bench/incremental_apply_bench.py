"""Client side of an incremental pull, without the network: 100 changed achievements applied to a store that holds
`--rows` indexed achievements, as the sync engine applies a pull page (services/sync_ops.apply_pull_page: the rows,
their search documents and the cursors in one transaction), then the store closed (its index tidy and WAL
checkpoint).

    .venv/bin/python bench/incremental_apply_bench.py [--rows 100000] [--runs 7] [--store DIR] [--profile] [--split]
        [--statements]

The store is built once through the same call, pages of 2,000 demo achievements (`sync.demo.achievements_only`),
and kept in `--store` (default bench/out/incremental/) for later runs. Each run changes 100 other achievements'
summaries (as `bench/sync_bench.py` does on its server) and opens the store, applies the page, closes it: wall and CPU
of the apply (the pull's commit included) and of the close, medians printed. `--profile` prints a cProfile of one
apply. `--split` also applies as many pages with their search-index writes left out (CPU of the rows and cursors
alone) and then indexes those rows in a transaction of their own, as a follow-up after the pull would.
`--statements` prints the CPU of each kind of SQL statement inside the apply (SQLAlchemy cursor events; the FTS5
statements' share is their own work: the Python tokenizing is done before they run) and of the commit, medians.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from specialist_app.services import pull_apply, sync_ops  # noqa: E402
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork  # noqa: E402
from specialist_app.store import search_index  # noqa: E402
from specialist_app.store.db import Store, open_store  # noqa: E402
from specialist_app.store.rows import field_names, load_rows  # noqa: E402
from sync.demo.generator import achievements_only  # noqa: E402

CHANGED = 100
_UPDATED = re.compile(r"( 更新\d+)+$")  # the marks earlier runs appended to a summary


def _change(row: dict[str, Any], version: int) -> dict[str, Any]:
    return {"entity": "achievement", "id": row["id"], "version": version, "deleted": False, "scope": None,
            "updated_by": "admin", "updated_at": f"2026-12-02T08:{version % 60:02d}:{version // 60 % 60:02d}Z",
            "fields": {k: v for k, v in row.items() if k != "id"}, "masked": []}


def _build(path: Path, rows: int) -> list[str]:
    """The store with `rows` achievements pulled page by page; their ids."""
    store = open_store(path)
    ids: list[str] = []
    names = field_names("achievement")
    page: list[dict[str, Any]] = []
    started = time.perf_counter()
    for n, record in enumerate(achievements_only(rows, seed=2026), start=1):
        fields = {k: record.get(k) for k in names if k != "id"}
        page.append(_change({"id": record["id"], **fields}, n))
        ids.append(record["id"])
        if len(page) == 2000 or n == rows:
            sync_ops.apply_pull_page(store, {"changes": page, "cursors": {"catalog": n}, "buckets": ["catalog"]})
            page = []
    while sync_ops.deferred_index_count(store):
        sync_ops.index_deferred(store, 2000)
    store.close()
    print(f"store of {rows:,} achievements built in {time.perf_counter() - started:.0f} s", flush=True)
    return ids


def _page(store: Store, ids: list[str], run: int, version: int) -> dict[str, Any]:
    chosen = ids[run * CHANGED * 7 % len(ids):][:CHANGED]
    with ReadUnitOfWork(store) as read:
        rows = load_rows(read.conn, "achievement", chosen)
    names = field_names("achievement")
    changes = []
    for offset, row_id in enumerate(chosen):
        row = {"id": row_id, **{n: rows[row_id].get(n) for n in names}}
        # One mark, replaced each time: appending one per run made the same rows' summaries grow with every
        # invocation of the bench (~330 characters instead of ~240 after twenty), and tokenizing with them.
        row["summary"] = f"{_UPDATED.sub('', row.get('summary') or '')} 更新{version + offset}"
        changes.append(_change(row, version + offset))
    return {"changes": changes, "cursors": {"catalog": version + CHANGED}, "buckets": ["catalog"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / "out" / "incremental")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--split", action="store_true", help="also time the rows alone and the index as a follow-up")
    parser.add_argument("--statements", action="store_true", help="CPU per kind of SQL statement and the commit")
    args = parser.parse_args()
    path = args.store / f"store-{args.rows}.sqlite3"
    ids_file = path.with_suffix(".ids")
    if not path.exists():
        args.store.mkdir(parents=True, exist_ok=True)
        ids_file.write_text("\n".join(_build(path, args.rows)), encoding="utf-8")
    ids = ids_file.read_text(encoding="utf-8").split("\n")
    applies, apply_cpus, closes = [], [], []
    statements: dict[str, list[float]] = collections.defaultdict(list)
    for run in range(args.runs):
        store = open_store(path, check=False)
        with ReadUnitOfWork(store) as read:
            version = int(read.conn.exec_driver_sql("SELECT max(server_version) FROM achievement").scalar_one()) + 1
        page = _page(store, ids, run, version)
        timer = _StatementTimer(store) if args.statements else None
        wall, cpu = time.perf_counter(), time.process_time()
        if args.profile and run == args.runs - 1:
            profile = cProfile.Profile()
            profile.runcall(sync_ops.apply_pull_page, store, page)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        else:
            sync_ops.apply_pull_page(store, page)
        applies.append((time.perf_counter() - wall) * 1000)
        apply_cpus.append((time.process_time() - cpu) * 1000)
        if timer is not None:
            for kind, ms in timer.stop().items():
                statements[kind].append(ms)
        wall = time.perf_counter()
        store.close()
        closes.append((time.perf_counter() - wall) * 1000)
        print(f"run {run + 1}: apply {applies[-1]:.1f} ms ({apply_cpus[-1]:.1f} ms CPU), close {closes[-1]:.1f} ms",
              flush=True)
    print(f"{CHANGED} changes into {args.rows:,} achievements, median of {args.runs}: apply "
          f"{statistics.median(applies):.1f} ms ({statistics.median(apply_cpus):.1f} ms CPU), close "
          f"{statistics.median(closes):.1f} ms")
    if statements:
        print(f"SQL inside the apply, CPU ms, median of {args.runs} (a kind missing from a run counts 0):")
        for kind, values in sorted(statements.items(), key=lambda kv: -statistics.median(kv[1])):
            values += [0.0] * (args.runs - len(values))
            if statistics.median(values) >= 0.05:
                print(f"  {statistics.median(values):6.2f}  {kind}")
    if args.split:
        _split(path, ids, args.runs)


class _StatementTimer:
    """CPU of each kind of statement (its first words) on the store's writer engine, and of the commit."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        self.spent: dict[str, float] = collections.defaultdict(float)
        self._started: dict[int, float] = {}
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        self._commit = UnitOfWork.commit
        spent, commit = self.spent, self._commit

        def timed_commit(uow: UnitOfWork) -> None:
            cpu = time.process_time()
            commit(uow)
            spent["COMMIT"] += (time.process_time() - cpu) * 1000

        UnitOfWork.commit = timed_commit  # type: ignore[method-assign,assignment]

    def _before(self, _conn: Any, cursor: Any, *_args: Any) -> None:
        self._started[id(cursor)] = time.process_time()

    def _after(self, _conn: Any, cursor: Any, statement: str, _params: Any, _context: Any, many: bool) -> None:
        kind = " ".join(statement.split()[:4])[:60] + (" [executemany]" if many else "")
        self.spent[kind] += (time.process_time() - self._started.pop(id(cursor))) * 1000

    def stop(self) -> dict[str, float]:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        UnitOfWork.commit = self._commit  # type: ignore[method-assign]
        return dict(self.spent)


def _split(path: Path, ids: list[str], runs: int) -> None:
    """CPU of the same pages' rows and cursors alone, and of their search documents in a transaction after it."""
    bare, follow = [], []
    indexing = pull_apply._index
    for run in range(runs, 2 * runs):
        store = open_store(path, check=False)
        with ReadUnitOfWork(store) as read:
            version = int(read.conn.exec_driver_sql("SELECT max(server_version) FROM achievement").scalar_one()) + 1
        page = _page(store, ids, run, version)
        pull_apply._index = lambda *args, **kwargs: None
        try:
            cpu = time.process_time()
            sync_ops.apply_pull_page(store, page)
            bare.append((time.process_time() - cpu) * 1000)
        finally:
            pull_apply._index = indexing
        cpu = time.process_time()
        with UnitOfWork(store) as uow:
            search_index.reindex_rows(uow.conn, "achievement", [str(c["id"]) for c in page["changes"]])
            uow.commit()
        follow.append((time.process_time() - cpu) * 1000)
        store.close()
    print(f"split, median of {runs}: rows and cursors alone {statistics.median(bare):.1f} ms CPU; their search "
          f"documents as a follow-up transaction {statistics.median(follow):.1f} ms CPU")


if __name__ == "__main__":
    main()
