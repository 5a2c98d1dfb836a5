"""Matching speed: one demand against 100,000 achievements and 5,000 experts on a local store (p50/p95).

Usage: .venv/bin/python bench/matching_bench.py [--csl ../shared/data/csl] [--achievements 100000]
       [--experts 5000] [--demands 50] [--dir DIR] [--digests SHARE]
Achievements take the title, keywords and discipline of one CSL paper and the abstract of another (read at run
time, never stored); experts have a paper's keywords as specialties and its discipline; demands are written from
other papers (keywords and the abstract's first sentence as the problem). Matching reads the catalog search
index (built here once, timed) and its fts5vocab view: it needs no index of its own. With --dir the store is
kept and reused. With --digests 0.3, that share of the achievements are held as digests (another province's
records: title, keywords, field, TRL, modes, no summary; sync/digests.py) instead of full rows, as on a laptop
with a home province. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench_common import (
    CSL_DIR,
    Paper,
    achievements_from_papers,
    insert_rows,
    load_csl,
    make_institutions,
    now_stamp,
    percentiles,
    plain_engine,
)

from specialist_app.matching import engine, terms
from specialist_app.store import digests as store_digests
from specialist_app.store import search_index
from sync.codes import COOP_MODE, DEMAND_TYPE
from sync.digests import digest_fields
from sync.ids import uuid7

_SENTENCE = re.compile(r"[^。.;；!?！？]+[。.;；!?！？]?")


def first_sentence(abstract: str) -> str:
    found = _SENTENCE.match(abstract)
    return found.group(0) if found else abstract[:80]


def demand_from(p: Paper, institution: str, rng: random.Random) -> dict[str, Any]:
    return {"id": uuid7(), "title": f"{p.keywords[0] if p.keywords else '技术'}相关技术需求",
            "institution_id": institution, "problem": first_sentence(p.abstract), "keywords": list(p.keywords),
            "industry": p.discipline, "demand_type": rng.choice(DEMAND_TYPE.values()),
            "coop_modes": rng.sample(COOP_MODE.values(), 2), "budget": float(rng.randint(20, 500)),
            "updated_at": now_stamp(rng), "deleted": False}


def _digest(row: dict[str, Any]) -> dict[str, Any]:
    """An achievement as a digest of another province's record (Beijing's; its institution is not held)."""
    return {"entity": "achievement", "id": row["id"], "version": 1, "deleted": False, "province": "11",
            "institution_name": "北京某研究院", "org_type": "institute", "updated_at": row["updated_at"],
            "fields": {**digest_fields("achievement", row), "institution_id": uuid7()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csl", type=Path, default=CSL_DIR)
    parser.add_argument("--achievements", type=int, default=100_000)
    parser.add_argument("--experts", type=int, default=5_000)
    parser.add_argument("--demands", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None, help="keep (and reuse) the store in this directory")
    parser.add_argument("--digests", type=float, default=0.0, help="share of the achievements held as digests")
    args = parser.parse_args()
    papers = load_csl(args.csl)
    if not papers:
        raise SystemExit(f"no CSL files in {args.csl}")
    with tempfile.TemporaryDirectory() as temp:
        directory = args.dir or Path(temp)
        directory.mkdir(parents=True, exist_ok=True)
        held = f"-d{args.digests:g}" if args.digests else ""
        path = directory / f"matching-{args.achievements}-{args.experts}{held}.sqlite3"
        fresh = not path.exists()
        db = plain_engine(path)
        rng = random.Random(11)
        with db.connect() as conn:
            if fresh:
                institutions = make_institutions(400, rng)
                insert_rows(conn, "institution", institutions)
                achievements = achievements_from_papers(args.achievements, papers, institutions, rng)
                cut = int(len(achievements) * args.digests)
                insert_rows(conn, "achievement", achievements[cut:])
                experts = [{"id": uuid7(), "name": f"专家{i}", "discipline": p.discipline,
                            "specialties": "、".join(p.keywords), "updated_at": now_stamp(rng), "deleted": False}
                           for i, p in enumerate(rng.choices(papers, k=args.experts))]
                insert_rows(conn, "expert", experts)
                demands = [demand_from(p, rng.choice(institutions)["id"], rng) for p in rng.sample(papers, 200)]
                insert_rows(conn, "demand", demands)
                start = time.perf_counter()
                search_index.ensure_index(conn)
                if cut:
                    store_digests.apply(conn, [_digest(a) for a in achievements[:cut]], 1)
                conn.commit()
                print(f"index built (search + matching: one index) in {time.perf_counter() - start:.1f} s")
            demand_ids = [str(r[0]) for r in conn.exec_driver_sql("SELECT id FROM demand ORDER BY id")]
            start = time.perf_counter()
            terms.prepare()
            print(f"jieba dictionary + domain words loaded in {time.perf_counter() - start:.2f} s (once per process)")
            chosen = demand_ids[: args.demands]
            for target in ("achievement", "expert"):
                engine.suggest(conn, "demand", chosen[0], target)  # warm the page cache
            samples: dict[str, list[float]] = {"achievement": [], "expert": [], "both": []}
            cpu: dict[str, list[float]] = {"achievement": [], "expert": [], "both": []}
            scored: list[int] = []
            as_digests: list[int] = []
            for demand_id in chosen:
                both = both_cpu = 0.0
                for target in ("achievement", "expert"):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    result = engine.suggest(conn, "demand", demand_id, target)
                    took, took_cpu = time.perf_counter() - start, time.process_time() - start_cpu
                    samples[target].append(took)
                    cpu[target].append(took_cpu)
                    both += took
                    both_cpu += took_cpu
                    if target == "achievement" and result is not None:
                        scored.append(result.candidates)
                        as_digests.append(sum(x.digest_province is not None for x in result.suggestions))
                samples["both"].append(both)
                cpu["both"].append(both_cpu)
            print(f"{args.achievements:,} achievements, {args.experts:,} experts, {len(chosen)} demands"
                  f" (candidates scored per demand: median {sorted(scored)[len(scored) // 2]}, of them digests:"
                  f" median {sorted(as_digests)[len(as_digests) // 2]})")
            for label, values in samples.items():
                p50, p95, worst = percentiles(values)
                c50, c95, _ = percentiles(cpu[label])
                print(f"  demand -> {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms"
                      f" (CPU time p50 {c50:.1f} ms, p95 {c95:.1f} ms)")
        db.dispose()


if __name__ == "__main__":
    main()
