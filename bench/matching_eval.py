"""Matching quality on real text: nDCG@10 and recall@20 of demand -> achievements against plain bm25 search.

Usage: .venv/bin/python bench/matching_eval.py --split dev|test [--csl ../shared/data/csl] [--no-industry]
       [--demo province|small|none] [--every 5]
The method is defined in docs/matching.md: CSL papers of one split (kg_<split>.tsv joined to cls_dcp_<split>.tsv
for the discipline) become achievements among the demo catalog; every `--every`-th paper with a discipline is
held out and written as a demand (its keywords, a problem sentence of its abstract; never its title); a corpus
paper's relevance grade is its shared discipline (0/1) plus its shared keywords (0, 1 or 2+). Both rankers run
in the same store. Tune on dev only; test is reported once. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _bench_common import CSL_DIR, Paper, insert_rows, plain_engine
from sqlalchemy import Connection

from specialist_app.matching import engine, terms
from specialist_app.matching import profile as P
from specialist_app.store import search_index as ix
from specialist_app.store import search_text
from sync.ids import uuid7

_SENTENCE = re.compile(r"[^。.;；!?！？]+[。.;；!?！？]?")
# A sentence saying what is wrong or wanted reads like an enterprise's problem.
_PROBLEM = re.compile(r"问题|不足|难以|困难|缺乏|较低|较差|提高|改善|改进|解决|针对|为了|如何|亟待|制约|瓶颈")
RELEVANT = 2  # grade counted by recall@20


def load_split(directory: Path, split: str) -> list[Paper]:
    disciplines: dict[str, str] = {}
    for line in (directory / f"cls_dcp_{split}.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            disciplines[parts[1].strip()] = parts[2].strip()
    papers = []
    for line in (directory / f"kg_{split}.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            abstract, _, title = parts[1].strip().rpartition(" ")
            papers.append(Paper(title, abstract, tuple(k for k in parts[2].split("_") if k),
                                disciplines.get(abstract.strip())))
    return papers


def problem_sentence(abstract: str) -> str:
    sentences = [s.strip() for s in _SENTENCE.findall(abstract) if len(s.strip()) >= 8]
    return next((s for s in sentences if _PROBLEM.search(s)), sentences[0] if sentences else abstract[:80])


def demand_row(p: Paper, with_industry: bool) -> dict[str, Any]:
    return {"id": uuid7(), "title": f"{p.keywords[0]}技术需求" if p.keywords else "技术需求",
            "problem": problem_sentence(p.abstract), "keywords": list(p.keywords),
            "industry": p.discipline if with_industry else None}


def grade(q: Paper, c: Paper) -> int:
    shared = len({search_text.fold(k) for k in q.keywords} & {search_text.fold(k) for k in c.keywords})
    return (1 if q.discipline and q.discipline == c.discipline else 0) + min(shared, 2)


def ndcg(ranked: Sequence[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: Sequence[str], grades: dict[str, int], k: int = 20) -> float:
    wanted = {d for d, g in grades.items() if g >= RELEVANT}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def baseline(conn: Connection, demand: dict[str, Any], limit: int = 20) -> list[str]:
    """Plain catalog search, bm25 over the same index: the keywords as exact phrases and the problem
    sentence's character bigrams, any of them (OR), achievements only, title and keywords weighing 8x."""
    clauses = []
    for k in demand["keywords"]:
        q = search_text.translate(k, ix.UNI_COLUMNS, ix.BI_COLUMNS).match
        if q:
            clauses.append(f"({q})")
    for is_cjk, piece in search_text.pieces(search_text.fold(demand["problem"])):
        if is_cjk and len(piece) > 1:
            clauses.extend(f'{ix.BI_COLUMNS} : "{piece[i:i + 2]}"' for i in range(len(piece) - 1))
    if not clauses:
        return []
    match = f'{{facets}} : "{search_text.facet("entity", "achievement")}" AND (' + " OR ".join(clauses) + ")"
    weights = ", ".join(map(str, ix.BM25_WEIGHTS))
    rows = conn.exec_driver_sql(
        f"SELECT d.row_id FROM {ix.FTS} f JOIN {ix.DOC} d ON d.doc_id = f.rowid WHERE {ix.FTS} MATCH ?"
        f" ORDER BY bm25({ix.FTS}, {weights}) LIMIT ?", (match, limit))
    return [str(r[0]) for r in rows]


def demo_catalog(scale: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"institution": [], "achievement": [], "expert": [], "demand": []}
    if scale == "none":
        return out
    from sync.demo import generate

    for entity, record in generate(scale, seed=2026):
        if entity in out:
            out[entity].append({**record, "deleted": False, "updated_at": record.get("updated_at") or
                                "2025-01-01T00:00:00Z"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), required=True)
    parser.add_argument("--csl", type=Path, default=CSL_DIR)
    parser.add_argument("--demo", choices=("province", "small", "none"), default="province")
    parser.add_argument("--every", type=int, default=5, help="hold out every n-th paper with a discipline")
    parser.add_argument("--no-industry", action="store_true", help="demands without the field (discipline)")
    args = parser.parse_args()
    papers = load_split(args.csl, args.split)
    labelled = [p for p in papers if p.discipline]
    queries = labelled[:: args.every]
    held = {id(p) for p in queries}
    corpus = [p for p in papers if id(p) not in held]
    rng = random.Random(5)
    catalog = demo_catalog(args.demo)
    owners = [i["id"] for i in catalog["institution"]] or [None]
    ids: dict[str, Paper] = {}
    for p in corpus:
        row_id = uuid7()
        ids[row_id] = p
        catalog["achievement"].append({
            "id": row_id, "title": p.title, "keywords": list(p.keywords), "summary": p.abstract,
            "domain": p.discipline, "institution_id": rng.choice(owners), "updated_at": "2025-01-01T00:00:00Z",
            "deleted": False})
    with tempfile.TemporaryDirectory() as temp:
        db = plain_engine(Path(temp) / "eval.sqlite3")
        with db.connect() as conn:
            for entity in ("institution", "achievement", "expert", "demand"):
                insert_rows(conn, entity, catalog[entity])
            start = time.perf_counter()
            ix.ensure_index(conn)
            conn.commit()
            demo = len(catalog["achievement"]) - len(corpus)
            print(f"split {args.split}: {len(corpus)} CSL achievements among {demo:,} demo achievements"
                  f" ({args.demo}), {len(queries)} demands; index {time.perf_counter() - start:.1f} s")
            terms.prepare()
            sums = {"baseline": [0.0, 0.0], "matching": [0.0, 0.0]}
            took: list[float] = []
            for q in queries:
                grades = {row_id: g for row_id, p in ids.items() if (g := grade(q, p))}
                demand = demand_row(q, not args.no_industry)
                ranked_base = baseline(conn, demand)
                start = time.perf_counter()
                result = engine.rank(conn, P.profile_of("demand", demand), "achievement")
                took.append(time.perf_counter() - start)
                ranked_match = [s.id for s in result.suggestions[:20]]
                for name, ranked in (("baseline", ranked_base), ("matching", ranked_match)):
                    sums[name][0] += ndcg(ranked, grades)
                    sums[name][1] += recall(ranked, grades)
            n = len(queries)
            base, match = sums["baseline"], sums["matching"]
            print(f"{'':10} nDCG@10  recall@20 (grade >= {RELEVANT})")
            for name, (nd, rc) in sums.items():
                print(f"{name:10} {nd / n:.4f}   {rc / n:.4f}")
            gain = (match[0] / base[0] - 1) * 100 if base[0] else float("nan")
            print(f"matching vs baseline: nDCG@10 {gain:+.1f} %, recall@20 {(match[1] / base[1] - 1) * 100:+.1f} %;"
                  f" matching time per demand: median {sorted(took)[n // 2] * 1000:.0f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
