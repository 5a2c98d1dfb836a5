"""Catalog search recall: every pure-Chinese keyword of real papers must find every record holding it.

Usage: .venv/bin/python bench/search_recall_bench.py [--csl ../shared/data/csl] [--papers 2000] [--dir DIR]
Loads the CSL papers (kg_dev + kg_test; read at run time, never stored in the project) as achievements
(title, keywords, abstract as summary, discipline as domain), then searches each distinct pure-Chinese
keyword and compares with the records whose own title, a keyword or the summary contain it as a substring.
Prints recall (must be 1.000), the records found beyond that set and why, and the query time. Not a test.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

from _bench_common import CSL_DIR, insert_rows, load_csl, make_institutions, percentiles, plain_engine

from specialist_app.services.search import SearchFilters, SearchSort, query_index
from specialist_app.store import search_index
from sync.ids import uuid7

_CHINESE = re.compile(r"^[\u4e00-\u9fff]+$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csl", type=Path, default=CSL_DIR, help="folder of the CSL sample (kg_*.tsv)")
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=None, help="keep the store in this directory")
    args = parser.parse_args()
    papers = load_csl(args.csl)[: args.papers]
    if not papers:
        raise SystemExit(f"no CSL files in {args.csl}")
    rng = random.Random(7)
    institutions = make_institutions(50, rng)
    rows = [{"id": uuid7(), "title": p.title, "keywords": list(p.keywords), "summary": p.abstract,
             "domain": p.discipline, "institution_id": rng.choice(institutions)["id"],
             "updated_at": "2025-01-01T00:00:00Z", "deleted": False} for p in papers]
    with tempfile.TemporaryDirectory() as temp:
        directory = args.dir or Path(temp)
        engine = plain_engine(directory / "recall.sqlite3")
        with engine.connect() as conn:
            insert_rows(conn, "institution", institutions)
            insert_rows(conn, "achievement", rows)
            start = time.perf_counter()
            search_index.ensure_index(conn)
            search_index.rebuild(conn)
            conn.commit()
            print(f"{len(rows):,} achievements indexed in {time.perf_counter() - start:.1f} s")
            queries = sorted({k for p in papers for k in p.keywords if _CHINESE.match(k)})
            expected_total = found_total = extra = 0
            missed: list[str] = []
            times: list[float] = []
            for q in queries:
                expected = {r["id"] for r in rows
                            if any(q in text for text in (r["title"], r["summary"], *r["keywords"]))}
                found: set[str] = set()
                offset = 0
                start = time.perf_counter()
                while True:
                    page = query_index(conn, q, ["achievement"], SearchFilters(), SearchSort.NEWEST, 200, offset)
                    found |= {h.id for h in page.hits}
                    offset += 200
                    if not page.hits or (offset >= page.total and not page.total_capped):
                        break
                times.append(time.perf_counter() - start)
                expected_total += len(expected)
                found_total += len(expected & found)
                extra += len(found - expected)
                if expected - found:
                    missed.append(q)
            p50, p95, worst = percentiles(times)
            print(f"{len(queries):,} pure-Chinese keyword queries: recall {found_total / expected_total:.3f}"
                  f" ({found_total:,} of {expected_total:,} expected hits); queries missing some: {len(missed)}"
                  f" {missed[:10]}")
            print(f"found beyond the substring set: {extra:,} (traditional forms folded, units and people)")
            print(f"time per query, all pages: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
