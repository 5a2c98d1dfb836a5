"""A national catalog held the digest way: the home province (Jilin, 22) in full, the rest of the nation as digests.

    .venv/bin/python bench/national_digest_bench.py [--achievements 1000000] [--dir DIR] [--repeat 3] [--gui-runs 3]
                                                   [--reuse]

Streams the national demo layout (the makers of `sync.demo.generate("national")`: 20,000 institutions in
every province's cities, 15 % in Jilin, 50,000 experts, 9,800 demands, achievements with their IP items;
`--achievements` stops the achievements early) and builds the client store as a first sync would, without the
network: rows the home province governs (and the experts, governed by none) go through `sync_ops.apply_pull_page`
in pages of 2,000 (long texts deferred, then indexed as the engine does); rows governed elsewhere go through
`sync_ops.apply_digest_page` as the server's digests (`sync.digests.digest_fields`, confidential fields left out)
in pages of 5,000. Contacts, visits, follow-ups and match records (a specialist's own institutions only) are left out.

Prints: generation + apply time (the client's share of a first sync; the generator's time measured apart), store size
on disk after close (WAL checkpointed), peak RSS of this process (generator included), search p50/p95 for 1/2/4
character queries (all entities and achievements only, the service call as the catalog page makes it) in a fresh
process, and with `--gui-runs` cold starts of the desktop app on the store (`bench/gui_bench.measure`). `--reuse`
measures a store a previous run left in `--dir`. `--server` measures the server's side instead: the catalog loaded
into SQLite, then a Jilin specialist's digest feed and province catalog paged in process. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _bench_common import peak_rss_mb  # noqa: E402

from specialist_app.services import sync_ops  # noqa: E402
from specialist_app.store.db import Store, open_store  # noqa: E402
from specialist_app.store.rows import field_names  # noqa: E402
from sync.digests import DIGEST_FIELDS, digest_fields, province_of  # noqa: E402

HOME = "22"
FULL_PAGE, DIGEST_PAGE = 2000, 5000
QUERIES: dict[str, tuple[str, ...]] = {  # as bench/search_bench.py
    "1-char": ("光", "电", "药", "钢", "稻", "磁", "膜", "菌", "煤", "车", "水", "热"),
    "2-char": ("材料", "传感", "算法", "玉米", "检测", "催化", "电池", "土壤", "模型", "涂层", "合金", "肿瘤"),
    "4-char": ("复合材料", "神经网络", "数值模拟", "临床疗效", "有限元法", "图像处理", "纳米颗粒", "力学性能",
               "优化设计", "遗传算法", "控制系统", "实验研究"),
}


def _records(achievements: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """The national demo's catalog as `generate("national")` makes it (same makers, same seed), achievements stopped
    at `achievements`; contacts, visits and matches (no one's catalog) are not made at all."""
    from sync.demo import generator
    from sync.demo.achievements import AchievementMaker
    from sync.demo.catalog import DemandMaker, ExpertMaker
    from sync.demo.layout import Layout, specialist_names
    from sync.demo.orgs import plan_institutions

    seed, layout = 2026, Layout("national")
    usernames = [u for u, _ in specialist_names(layout.specialists)]
    institutions = plan_institutions(layout, seed, usernames)
    for entity, record in generator._institutions(layout, seed, institutions):
        if entity != "institution":
            break  # contacts follow the institutions
        yield entity, record
    experts = ExpertMaker(seed, institutions, unique_emails=True)
    for _ in range(layout.size.experts):
        yield "expert", experts.expert()
    maker = AchievementMaker(seed, institutions, usernames, distinct_titles=True)
    for a in range(min(achievements, layout.size.achievements)):
        owner = institutions[layout.achievement_owner(a)]
        yield from maker.records(a, owner, layout.achievement_category(a), layout.ip_items_of(a))
    demands = DemandMaker(seed, institutions)
    for k in range(layout.size.demands):
        yield "demand", demands.demand(institutions[layout.demand_owner(k)])


class Builder:
    """Pages of full rows and of digests applied as the sync engine applies them."""

    def __init__(self, path: Path) -> None:
        self.store = open_store(path)
        self.full: list[dict[str, Any]] = []
        self.digests: list[dict[str, Any]] = []
        self.version = 0
        self.regions: dict[str, tuple[str | None, str, str]] = {}  # institution -> (province, name, org type)
        self.where: dict[str, str | None] = {}  # achievement -> governing institution (IP items follow it)
        self.counts = {"full": 0, "digest": 0, "dropped": 0}
        self.apply_s = 0.0

    def add(self, entity: str, record: dict[str, Any]) -> None:
        self.version += 1
        scope = self._scope(entity, record)
        province, name, org_type = self.regions.get(scope or "", (None, "", ""))
        if scope is None or province in (None, HOME):
            self._full(entity, record, scope)
        elif entity in DIGEST_FIELDS:
            self._digest(entity, record, province, name, org_type)
        else:
            self.counts["dropped"] += 1  # IP items of achievements elsewhere: read with their achievement

    def _scope(self, entity: str, record: dict[str, Any]) -> str | None:
        if entity == "institution":
            self.regions[record["id"]] = (province_of(record.get("region_code")), record["name"],
                                          record["org_type"])
            return str(record["id"])
        if entity == "ip_item":
            return self.where.get(record["achievement_id"])
        scope = record.get("institution_id")
        if entity == "achievement":
            self.where[record["id"]] = scope
        return scope

    def _full(self, entity: str, record: dict[str, Any], scope: str | None) -> None:
        names = field_names(entity)
        self.full.append({"entity": entity, "id": record["id"], "version": self.version, "deleted": False,
                          "scope": scope, "updated_by": "admin", "updated_at": "2026-12-02T08:00:00Z",
                          "fields": {n: record.get(n) for n in names if n != "id"}, "masked": []})
        self.counts["full"] += 1
        if len(self.full) >= FULL_PAGE:
            self.flush_full()

    def _digest(self, entity: str, record: dict[str, Any], province: str | None, name: str, org_type: str) -> None:
        fields = digest_fields(entity, record)
        for hidden in record.get("confidential_fields") or []:
            fields.pop(hidden, None)
        gone = record.get("duplicate_state") == "confirmed"
        self.digests.append({"entity": entity, "id": record["id"], "version": self.version, "deleted": gone,
                             "fields": {} if gone else {k: v for k, v in fields.items() if v is not None},
                             "province": province, "institution_name": name, "org_type": org_type,
                             "updated_at": "2026-12-02T08:00:00Z"})
        self.counts["digest"] += 1
        if len(self.digests) >= DIGEST_PAGE:
            self.flush_digests()

    def flush_full(self) -> None:
        if self.full:
            started = time.perf_counter()
            sync_ops.apply_pull_page(self.store, {"changes": self.full, "cursors": {"catalog": self.version},
                                                  "buckets": ["catalog"]})
            self.apply_s += time.perf_counter() - started
            self.full = []

    def flush_digests(self) -> None:
        if self.digests:
            started = time.perf_counter()
            sync_ops.apply_digest_page(self.store, {"digests": self.digests, "cursor": self.version})
            self.apply_s += time.perf_counter() - started
            self.digests = []

    def finish(self) -> float:
        self.flush_full()
        self.flush_digests()
        started = time.perf_counter()
        while sync_ops.deferred_index_count(self.store):
            sync_ops.index_deferred(self.store, 2000)
        index_s = time.perf_counter() - started
        started = time.perf_counter()
        sync_ops.compact_index(self.store)  # as the engine after a first sync (sync_ops.COMPACT_AFTER)
        print(f"  index merged into one segment, free pages released: {time.perf_counter() - started:.1f} s")
        index_s += time.perf_counter() - started
        started = time.perf_counter()
        self.store.close()
        return index_s + time.perf_counter() - started


def build(path: Path, achievements: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    builder = Builder(path)
    for n, (entity, record) in enumerate(_records(achievements), start=1):
        builder.add(entity, record)
        if n % 200_000 == 0:
            print(f"  {n:,} records, {time.perf_counter() - started:.0f} s", flush=True)
    tail_s = builder.finish()
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(f"built in {wall:.0f} s wall, {used:.0f} s CPU: {builder.counts['full']:,} rows in full,"
          f" {builder.counts['digest']:,} digests, {builder.counts['dropped']:,} IP items left on the server")
    print(f"  applying pages {builder.apply_s:.0f} s; long texts indexed after the pages + close {tail_s:.0f} s;"
          f" the rest ({wall - builder.apply_s - tail_s:.0f} s) is the generator")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process (generator included) {peak:.0f} MB")


def sizes(path: Path) -> None:
    total = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    print(f"store on disk {total / 1e6:,.1f} MB ({total:,} bytes)")
    store = open_store(path, check=False)
    try:
        with store.engine.connect() as conn:
            for table in ("achievement", "catalog_digest", "expert", "institution", "demand", "ip_item"):
                n = conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
                print(f"  {table}: {n:,} rows")
            try:
                rows = conn.exec_driver_sql("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
                                            " ORDER BY 2 DESC LIMIT 8").all()
                print("  largest tables and indexes: " + ", ".join(f"{n} {s / 1e6:.0f} MB" for n, s in rows))
            except Exception:  # dbstat is optional in SQLite builds
                pass
    finally:
        store.close()


def searches(path: Path, repeat: int) -> None:
    """Search p50/p95 in a fresh process (run as `--search-only`)."""
    store = open_store(path, check=False)
    try:
        _totals, lines = search_figures(store, repeat)
    finally:
        store.close()
    print("\n".join(f"  {line}" for line in lines))
    print(f"  search process peak RSS {own_peak_rss_mb():.0f} MB")


def own_peak_rss_mb() -> float:
    """This process's own peak RSS (`_bench_common.peak_rss_mb`; `ru_maxrss` where /proc does not tell): a search
    process started by a 1,000,000 build held the build's 487 MB in `ru_maxrss`."""
    return peak_rss_mb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def search_figures(store: Store, repeat: int) -> tuple[dict[str, int], list[str]]:
    """Every bench query's hit count ("<label>/<query>"), and a p50/p95/max line per group with its hits."""
    from specialist_app.services.search import search
    from specialist_app.services.uow import ReadUnitOfWork

    totals: dict[str, int] = {}
    lines: list[str] = []
    for label, entities in (("all entities", None), ("achievements only", ["achievement"])):
        for group, queries in QUERIES.items():
            samples: list[float] = []
            capped = False  # some query had more matches than the service counts (COUNT_CAP)
            for _ in range(repeat):
                for q in queries:
                    with ReadUnitOfWork(store) as read:
                        started = time.perf_counter()
                        page = search(read, q, entities=entities, limit=50)
                        samples.append((time.perf_counter() - started) * 1000)
                    totals[f"{label}/{q}"] = page.total
                    capped |= page.total_capped
            samples.sort()
            hits = [totals[f"{label}/{q}"] for q in queries]
            p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
            lines.append(f"{label:18} {group}: p50 {statistics.median(samples):.1f} ms  p95 {p95:.1f} ms  max"
                         f" {samples[-1]:.1f} ms  (hits {min(hits):,}-{max(hits):,}{'+' if capped else ''})")
    return totals, lines


def gui(path: Path, runs: int) -> None:
    import gui_bench

    data_dir = path.parent / "gui"
    target = data_dir / "profiles" / "local" / "store.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.link(path, target)
    gui_bench.measure("national, digests", data_dir, runs)


def server(path: Path, achievements: int) -> None:
    """The server's side of a first sync on SQLite (in process, no HTTP): the national demo's catalog loaded, then a
    Jilin specialist's digest feed in pages of 5,000 and the province catalog in pages of 2,000, as the app asks."""
    from market_server import accounts, digests, pull
    from market_server.db import make_engine, migrate
    from market_server.seed import BulkLoader
    from market_server.settings import Settings
    from sync.protocol import DigestRequest, PullRequest

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(Settings(data_dir=path.parent, database_url=f"sqlite:///{path}", blob_dir=path.parent))
    migrate(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        loader = BulkLoader(conn, "admin")
        for entity, record in _records(achievements):
            loader.add(entity, record)
        loader.finish()
        accounts.add_user(conn, "bench", "specialist", "bench-password")
        user = accounts.find_user(conn, "bench")
    assert user is not None
    print(f"server: {loader.count:,} rows loaded into SQLite in {time.perf_counter() - started:.0f} s")
    for label, step in (("digest feed", _feed_digests), ("province catalog", _feed_catalog)):
        started, cpu = time.perf_counter(), time.process_time()
        rows, pages, bytes_ = step(engine, user, digests, pull, DigestRequest, PullRequest)
        wall = time.perf_counter() - started
        print(f"  {label}: {rows:,} rows in {pages} pages, {wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU,"
              f" {bytes_ / 1e6:.0f} MB of JSON before compression ({rows / wall:,.0f} rows/s)")
    engine.dispose()


def _feed_digests(engine: Any, user: Any, digests: Any, _pull: Any, request: Any, _p: Any) -> tuple[int, int, int]:
    cursor, rows, pages, size = 0, 0, 0, 0
    while True:
        page = digests.digest_page(engine, user, HOME, request(device_id="bench", cursor=cursor, limit=5000))
        size += len(page.model_dump_json())
        rows, pages, cursor = rows + len(page.digests), pages + 1, page.cursor
        if not page.has_more:
            return rows, pages, size


def _feed_catalog(engine: Any, user: Any, _d: Any, pull: Any, _r: Any, request: Any) -> tuple[int, int, int]:
    import orjson

    cursors: dict[str, int] = {}
    rows, pages, size = 0, 0, 0
    while True:
        body = pull.pull_body(engine, user, request(device_id="bench", cursors=cursors, limit=2000, digests=True),
                              HOME)
        page = orjson.loads(body)
        size += len(body)
        rows, pages = rows + len(page["changes"]), pages + 1
        cursors.update(page["cursors"])
        if not page["has_more"]:
            return rows, pages, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--achievements", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out" / "national_digest")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gui-runs", type=int, default=0)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--server", action="store_true", help="only the server's side, on SQLite (see `server`)")
    parser.add_argument("--search-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.dir / "store.sqlite3"
    if args.search_only:
        searches(path, args.repeat)
        return 0
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.server:
        server(args.dir / "market.sqlite3", args.achievements)
        return 0
    print(f"national layout, home province {HOME}, up to {args.achievements:,} achievements;"
          f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load {os.getloadavg()[0]:.1f}", flush=True)
    if not args.reuse:
        build(path, args.achievements)
    sizes(path)
    print(f"search (fresh process, {args.repeat} runs of 12 queries per length); load {os.getloadavg()[0]:.1f}",
          flush=True)
    subprocess.run([sys.executable, __file__, "--search-only", "--dir", str(args.dir), "--repeat",
                    str(args.repeat)], check=True)
    if args.gui_runs:
        gui(path, args.gui_runs)
    print(f"done {time.strftime('%H:%M UTC', time.gmtime())}; load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
