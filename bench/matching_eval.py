"""Matching quality on real text: nDCG@10 and recall@20 of each matching direction against plain bm25 search.

Usage: .venv/bin/python bench/matching_eval.py --split dev|test [--direction achievements|experts|demands]
       [--csl ../shared/data/csl] [--no-industry] [--demo province|small|none] [--every 5]
The method is defined in docs/matching.md: the CSL papers of one split (kg_<split>.tsv joined to
cls_dcp_<split>.tsv for the discipline) are split into queries (every `--every`-th paper with a discipline) and a
corpus, which becomes records among the demo catalog: achievements (title, keywords, abstract, discipline),
experts (2-4 papers of one discipline each: their keywords as specialties, the discipline) or demands (keywords
and a problem sentence). A query paper is written as a demand (keywords, problem sentence; never its title) or,
for `demands`, as an achievement. A record's grade is the shared discipline (0/1) plus the shared keywords (0, 1
or 2+) of the query paper and the papers behind the record. Both rankers run in the same store. Tune on dev only;
test is reported once. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench_common import CSL_DIR, Paper, insert_rows, plain_engine
from _matching_corpus import (
    STAMP,
    Scores,
    achievement_row,
    baseline,
    demand_row,
    demo_catalog,
    expert_groups,
    expert_row,
    grade,
    load_split,
)

from specialist_app.matching import engine, terms
from specialist_app.matching import profile as P
from specialist_app.store import search_index as ix
from sync.demo.rand import DemoRandom

# direction -> (the query's entity, the ranked entity)
DIRECTIONS = {"achievements": ("demand", "achievement"), "experts": ("demand", "expert"),
              "demands": ("achievement", "demand")}


def add_corpus(direction: str, corpus: list[Paper], catalog: dict[str, list[dict[str, Any]]],
               with_industry: bool) -> dict[str, tuple[Paper, ...]]:
    """Write the corpus papers into `catalog` as records of the ranked entity; the papers behind each record."""
    rng = random.Random(5)
    owners = [i["id"] for i in catalog["institution"]] or [None]
    behind: dict[str, tuple[Paper, ...]] = {}
    if direction == "experts":
        units = [str(i["name"]) for i in catalog["institution"] if i.get("org_type") != "enterprise"]
        names = DemoRandom("matching_eval/experts")
        rows = []
        for group in expert_groups(corpus, rng):
            rows.append(expert_row(group, units, names))
            behind[rows[-1]["id"]] = group
    else:
        rows = []
        for p in corpus:
            row = achievement_row(p, None) if direction == "achievements" else demand_row(p, with_industry)
            rows.append({**row, "institution_id": rng.choice(owners)})
            behind[row["id"]] = (p,)
    catalog[DIRECTIONS[direction][1]].extend({**r, "updated_at": STAMP, "deleted": False} for r in rows)
    return behind


def query(direction: str, q: Paper, with_industry: bool) -> tuple[P.Profile, list[str], list[str]]:
    """The query record's profile, and the keywords and texts the baseline searches for."""
    if direction == "demands":
        row = achievement_row(q, None)
        return P.profile_of("achievement", row), row["keywords"], [row["title"], row["summary"]]
    row = demand_row(q, with_industry)
    return P.profile_of("demand", row), row["keywords"], [row["problem"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), required=True)
    parser.add_argument("--direction", choices=tuple(DIRECTIONS), default="achievements",
                        help="demand -> achievements (default), demand -> experts, achievement -> demands")
    parser.add_argument("--csl", type=Path, default=CSL_DIR)
    parser.add_argument("--demo", choices=("province", "small", "none"), default="province")
    parser.add_argument("--every", type=int, default=5, help="hold out every n-th paper with a discipline")
    parser.add_argument("--no-industry", action="store_true", help="demands without the field (discipline)")
    args = parser.parse_args()
    with_industry = not args.no_industry
    papers = load_split(args.csl, args.split)
    queries = [p for p in papers if p.discipline][:: args.every]
    held = {id(p) for p in queries}
    corpus = [p for p in papers if id(p) not in held]
    catalog = demo_catalog(args.demo)
    target = DIRECTIONS[args.direction][1]
    demo = len(catalog[target])
    behind = add_corpus(args.direction, corpus, catalog, with_industry)
    with tempfile.TemporaryDirectory() as temp:
        db = plain_engine(Path(temp) / "eval.sqlite3")
        with db.connect() as conn:
            for entity in ("institution", "achievement", "expert", "demand"):
                insert_rows(conn, entity, catalog[entity])
            start = time.perf_counter()
            ix.ensure_index(conn)
            conn.commit()
            made_from = sum(map(len, behind.values()))
            print(f"split {args.split}, {args.direction}: {len(behind)} CSL {target}s (from {made_from} papers)"
                  f" among {demo:,} demo {target}s ({args.demo}), {len(queries)} queries;"
                  f" index {time.perf_counter() - start:.1f} s")
            terms.prepare()
            scores = Scores(len(queries))
            took: list[float] = []
            for q in queries:
                grades = {row_id: g for row_id, ps in behind.items() if (g := grade(q, ps))}
                profile, keywords, texts = query(args.direction, q, with_industry)
                ranked = baseline(conn, keywords, texts, target)
                start = time.perf_counter()
                result = engine.rank(conn, profile, target)
                took.append(time.perf_counter() - start)
                scores.add(grades, baseline=ranked, matching=[s.id for s in result.suggestions[:20]])
            print(scores.report())
            print(f"matching time per query: median {sorted(took)[len(took) // 2] * 1000:.0f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
