"""Catalog search benchmark: bulk index time, query p50/p95 for 1/2/4-character Chinese queries, LIKE baseline.

Usage: .venv/bin/python bench/search_bench.py [--achievements 100000] [--repeat 5] [--dir DIR [--reuse]]
       [--others national]
Prints figures; it is not a test. `--reuse` queries the store a previous run left in `--dir` (same --achievements
and --seed) instead of building it again (minutes at 233,000). Texts come from /work/shared/data/csl when present
(read at run time), else from the demo generator. The institutions, experts and demands beside them are the
province demo's, or with `--others national` the national demo's (20,000 / 50,000 / 9,800; generating it takes a
few minutes).
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from _bench_common import (
    achievements_from_papers,
    insert_rows,
    load_csl,
    make_institutions,
    now_stamp,
    percentiles,
    plain_engine,
    sample_runs,
    timed,
)
from sqlalchemy import Connection, Engine

from specialist_app.services.search import COUNT_CAP, SearchFilters, SearchPage, SearchSort, search
from specialist_app.store import search_index

QUERIES: dict[str, tuple[str, ...]] = {
    "1-char": ("光", "电", "药", "钢", "稻", "磁", "膜", "菌", "煤", "车", "水", "热"),
    "2-char": ("材料", "传感", "算法", "玉米", "检测", "催化", "电池", "土壤", "模型", "涂层", "合金", "肿瘤"),
    "4-char": ("复合材料", "神经网络", "数值模拟", "临床疗效", "有限元法", "图像处理", "纳米颗粒", "力学性能",
               "优化设计", "遗传算法", "控制系统", "实验研究"),
    "ascii": ("PLC", "GPS", "DNA", "5G", "CRISPR", "pid"),
    "mixed": ("GPS 定位", "DNA 测序", "汽车 控制", "玉米 产量"),
}


class _Session:
    """The part of a unit of work search needs, over one long-lived connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def commit(self) -> None:
        self.conn.commit()


def _demo_others(scale: str, seed: int) -> dict[str, list[dict[str, Any]]] | None:
    """Institutions, experts and demands of a demo data set, if the generator is there."""
    try:
        from sync.demo import generate
    except ImportError:
        return None
    wanted = ("institution", "expert", "demand")
    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {e: [] for e in wanted}
    for entity, record in generate(scale, seed=seed):
        if entity in wanted:
            out[entity].append({**record, "deleted": False, "updated_at": record.get("updated_at") or now_stamp(rng)})
    return out


def _rows(n: int, seed: int, scale: str) -> tuple[dict[str, list[dict[str, Any]]], str]:
    rng = random.Random(seed)
    others = _demo_others(scale, seed) or {"institution": make_institutions(400, rng)}
    institutions = others["institution"]
    papers = load_csl()
    if papers:
        rows, source = achievements_from_papers(n, papers, institutions, rng), "CSL titles/abstracts"
    else:
        from sync.demo import achievements_only

        rows, source = [dict(r) for r in achievements_only(n, seed=seed)], "sync.demo.achievements_only"
        for r in rows:
            r.setdefault("institution_id", rng.choice(institutions)["id"])
            r["deleted"] = False
    return {**others, "achievement": rows}, source


def _file_size(engine: Engine, path: Path) -> int:
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def _like_page(conn: Connection, q: str) -> tuple[int, list[Any]]:
    pattern = f"%{q}%"
    where = "deleted = 0 AND (title LIKE ? OR summary LIKE ? OR keywords LIKE ? OR inventors LIKE ?)"
    total = conn.exec_driver_sql(f"SELECT count(*) FROM achievement WHERE {where}", (pattern,) * 4).scalar_one()
    rows = conn.exec_driver_sql(
        f"SELECT id, title FROM achievement WHERE {where} ORDER BY updated_at DESC LIMIT 50", (pattern,) * 4
    ).all()
    return int(total), list(rows)


def _report(label: str, samples: Sequence[float]) -> float:
    p50, p95, worst = percentiles(samples)
    print(f"  {label:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {worst:7.1f} ms")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--achievements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="keep the store in this directory")
    parser.add_argument("--reuse", action="store_true", help="query the store already in --dir")
    parser.add_argument("--others", choices=("province", "national"), default="province",
                        help="whose demo institutions, experts and demands to add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(args.dir or tmp)
        path = directory / "search_bench.sqlite3"
        if args.reuse and path.exists():
            engine = plain_engine(path)
            with engine.begin() as conn:
                search_index.ensure_index(conn)  # a no-op unless the index version changed
            queries(engine, args.repeat)
        else:
            run(directory, args.achievements, args.repeat, args.seed, args.others)


def run(directory: Path, n: int, repeat: int, seed: int, others: str = "province") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "search_bench.sqlite3"
    path.unlink(missing_ok=True)
    figures: dict[str, float] = {}
    data, source = _rows(n, seed, others)
    engine = plain_engine(path)
    with timed("insert", figures), engine.begin() as conn:
        for entity, rows in data.items():
            insert_rows(conn, entity, rows)
    size_plain = _file_size(engine, path)
    with timed("index", figures), engine.begin() as conn:
        search_index.ensure_index(conn)
    size_indexed = _file_size(engine, path)
    docs = sum(map(len, data.values()))
    print(", ".join(f"{len(rows):,} {entity}" for entity, rows in data.items()) + f" (achievement text: {source})")
    print(f"  plain insert                       {figures['insert']:.1f} s")
    print(f"  bulk index (rebuild)               {figures['index']:.1f} s wall, {figures['index_cpu']:.1f} s CPU"
          f"  ({docs / figures['index']:,.0f} docs/s wall)")
    print(f"  store size without / with index    {size_plain / 2**20:.1f} MB / {size_indexed / 2**20:.1f} MB")
    queries(engine, repeat)


def queries(engine: Engine, repeat: int) -> None:
    """The query figures over the store behind `engine`."""
    with engine.connect() as conn:
        session = _Session(conn)
        worst: dict[str, float] = {}
        totals: dict[str, list[int]] = {}
        for label, kinds in (("all entities", None), ("achievements only (the catalog page)", ["achievement"])):
            print(f"search, {label} (service call, relevance sort, limit 50, total counted up to COUNT_CAP):")
            for group, queries in QUERIES.items():
                samples: list[float] = []
                for q in queries:
                    page: SearchPage = search(session, q, entities=kinds)
                    totals.setdefault(group, []).append(page.total)
                    samples += sample_runs(partial(search, session, q, entities=kinds), repeat)
                worst[group] = max(worst.get(group, 0.0), _report(f"{group} ({len(queries)} queries)", samples))
        for group, counts in totals.items():
            print(f"    {group} hit counts: min {min(counts):,} max {max(counts):,} (counted up to {COUNT_CAP:,})")
        print("other sorts and filters (6 one-char and 6 two-char queries, all entities unless said):")
        short = QUERIES["1-char"][:6] + QUERIES["2-char"][:6]
        for label, kwargs in (
            ("newest", {"sort": SearchSort.NEWEST}),
            ("title", {"sort": SearchSort.TITLE}),
            ("achievements, trl 5-9 + region 2201",
             {"entities": ["achievement"], "filters": SearchFilters(trl_min=5, region_prefix="2201")}),
            ("filter org type university", {"filters": SearchFilters(org_types=("university",))}),
            ("page 5 (offset 200)", {"offset": 200}),
        ):
            samples = []
            for q in short:
                samples += sample_runs(partial(search, session, q, **kwargs), repeat)
            _report(label, samples)
        _report("empty query, newest", sample_runs(lambda: search(session, ""), repeat * 4))
        _report("empty query, achievements by title",
                sample_runs(lambda: search(session, "", entities=["achievement"], sort="title"), repeat * 4))

        print("baseline: LIKE scan over title/summary/keywords/inventors (count + first page):")
        for group in ("1-char", "2-char", "4-char"):
            like = []
            for q in QUERIES[group][:4]:
                like += sample_runs(partial(_like_page, conn, q), 2)
            like_p95 = _report(f"LIKE {group}", like)
            print(f"    ratio LIKE p95 / index p95: {like_p95 / worst[group]:.1f}x")
        conn.rollback()
    engine.dispose()


if __name__ == "__main__":
    main()
