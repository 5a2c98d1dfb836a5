"""The CSL matching evaluation's pieces: papers of a split, the records written from them, grades and metrics.

Shared by bench/matching_eval.py's three directions (demand -> achievements, demand -> experts, achievement ->
demands); the method is defined in docs/matching.md. The CSL files are read at run time, never stored.
"""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _bench_common import Paper
from sqlalchemy import Connection

from specialist_app.store import search_index as ix
from specialist_app.store import search_text
from sync.demo import people
from sync.demo.rand import DemoRandom
from sync.demo.vocab_people import EXPERT_TITLES
from sync.ids import uuid7

_SENTENCE = re.compile(r"[^。.;；!?！？]+[。.;；!?！？]?")
# A sentence saying what is wrong or wanted reads like an enterprise's problem.
_PROBLEM = re.compile(r"问题|不足|难以|困难|缺乏|较低|较差|提高|改善|改进|解决|针对|为了|如何|亟待|制约|瓶颈")
RELEVANT = 2  # grade counted by recall@20
EXPERT_PAPERS = (2, 3, 4)  # papers behind one synthetic expert (drawn evenly)
STAMP = "2025-01-01T00:00:00Z"


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
    """A demand written from a paper: its keywords and a problem sentence of its abstract, never its title."""
    return {"id": uuid7(), "title": f"{p.keywords[0]}技术需求" if p.keywords else "技术需求",
            "problem": problem_sentence(p.abstract), "keywords": list(p.keywords),
            "industry": p.discipline if with_industry else None}


def achievement_row(p: Paper, owner: str | None) -> dict[str, Any]:
    return {"id": uuid7(), "title": p.title, "keywords": list(p.keywords), "summary": p.abstract,
            "domain": p.discipline, "institution_id": owner}


def expert_groups(papers: Sequence[Paper], rng: random.Random) -> list[tuple[Paper, ...]]:
    """The papers of each discipline, shuffled and cut into groups of 2-4: one synthetic expert's work each."""
    by_discipline: dict[str, list[Paper]] = defaultdict(list)
    for p in papers:
        if p.discipline:
            by_discipline[p.discipline].append(p)
    groups: list[tuple[Paper, ...]] = []
    for discipline in sorted(by_discipline):
        pool = by_discipline[discipline]
        rng.shuffle(pool)
        while pool:
            size = rng.choice(EXPERT_PAPERS)
            groups.append(tuple(pool[:size]))
            del pool[:size]
    return groups


def expert_row(group: Sequence[Paper], units: Sequence[str], rng: DemoRandom) -> dict[str, Any]:
    """An expert whose discipline is the group's and whose specialties are its papers' keywords (in order, once
    each); a made-up name, title and unit. No title or abstract of a paper."""
    keywords = dict.fromkeys(k for p in group for k in p.keywords)
    return {"id": uuid7(), "name": people.person(rng)[0], "title": rng.choice(EXPERT_TITLES),
            "unit": rng.choice(units) if units else None, "discipline": group[0].discipline,
            "specialties": "、".join(keywords)}


def grade(q: Paper, behind: Iterable[Paper]) -> int:
    """(1 if one of the papers behind a record has q's discipline) + min(keywords of q among theirs, 2)."""
    behind = list(behind)
    theirs = {search_text.fold(k) for c in behind for k in c.keywords}
    shared = len({search_text.fold(k) for k in q.keywords} & theirs)
    same = bool(q.discipline) and any(c.discipline == q.discipline for c in behind)
    return (1 if same else 0) + min(shared, 2)


def ndcg(ranked: Sequence[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: Sequence[str], grades: dict[str, int], k: int = 20) -> float | None:
    """Share of the records graded >= RELEVANT in the first k; None when there are none."""
    wanted = {d for d, g in grades.items() if g >= RELEVANT}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else None


def baseline(conn: Connection, keywords: Sequence[str], texts: Sequence[str], entity: str,
             limit: int = 20) -> list[str]:
    """Plain catalog search, bm25 over the same index: the keywords as exact phrases and the texts' character
    bigrams, any of them (OR), records of `entity` only, with the app's column weights."""
    clauses = []
    for k in keywords:
        q = search_text.translate(k, ix.UNI_COLUMNS, ix.BI_COLUMNS).match
        if q:
            clauses.append(f"({q})")
    for text in texts:  # a repeated bigram is asked again (and weighs more), as a typed query would
        for is_cjk, piece in search_text.pieces(search_text.fold(text)):
            if is_cjk and len(piece) > 1:
                clauses.extend(f'{ix.BI_COLUMNS} : "{piece[i:i + 2]}"' for i in range(len(piece) - 1))
    if not clauses:
        return []
    match = f'{{facets}} : "{search_text.facet("entity", entity)}" AND (' + " OR ".join(clauses) + ")"
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
            out[entity].append({**record, "deleted": False, "updated_at": record.get("updated_at") or STAMP})
    return out


@dataclass
class Scores:
    """Sums of nDCG@10 and recall@20 per ranker over the queries. Recall is reported two ways: the mean over all
    queries with 0 where none is relevant (as first reported; its ceiling is the share of queries that have a
    relevant record), and the mean over the queries that have one."""

    n: int
    sums: dict[str, list[float]] = field(default_factory=dict)
    with_relevant: int = 0

    def add(self, grades: dict[str, int], **ranked: Sequence[str]) -> None:
        self.with_relevant += any(g >= RELEVANT for g in grades.values())
        for name, order in ranked.items():
            got = self.sums.setdefault(name, [0.0, 0.0])
            got[0] += ndcg(order, grades)
            got[1] += recall(order, grades) or 0.0

    def report(self) -> str:
        n, m = self.n, max(1, self.with_relevant)
        lines = [f"{'':10} nDCG@10  recall@20 (grade >= {RELEVANT}): all {n} queries (ceiling {m / n:.4f}),"
                 f" the {m} with a relevant record"]
        lines += [f"{name:10} {nd / n:.4f}   {rc / n:.4f}  {rc / m:.4f}" for name, (nd, rc) in self.sums.items()]
        (b_nd, b_rc), (m_nd, m_rc) = self.sums["baseline"], self.sums["matching"]
        gain = (m_nd / b_nd - 1) * 100 if b_nd else float("nan")
        rc_gain = (m_rc / b_rc - 1) * 100 if b_rc else float("nan")
        lines.append(f"matching vs baseline: nDCG@10 {gain:+.1f} %, recall@20 {rc_gain:+.1f} %")
        return "\n".join(lines)
