"""Ranked suggestions for a demand (achievements, experts) or an achievement (demands), on the local store.

Candidates come from the catalog search index (FTS5): the source record's most telling words (jieba, weighed
by how few documents hold them, from the index's own vocabulary) as an OR of exact phrases, best 200 by bm25.
Each candidate is then scored in Python: the weighed share of the source's words it holds (title and keywords
count double), plus or minus what its field, maturity, modes, price and region say. No network, no Qt.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from specialist_app.matching import profile as P
from specialist_app.matching.reasons import Reason
from specialist_app.store import search_index as ix
from specialist_app.store import search_text
from sync.entities import ENTITIES

_CODE_PREFIX = re.compile(r"^[a-z]\d+")
DIRECTIONS = {("demand", "achievement"), ("achievement", "demand"), ("demand", "expert"), ("achievement", "expert")}
CANDIDATES = 120
QUERY_TERMS = 16  # words that pick candidates (the rarest, weighed): bounds the FTS5 work
COMMON = 0.08  # a word in more than this share of documents does not pick candidates (it still scores)
REACH = 0.08  # the picking words together reach at most about this share of documents (bm25 work)
TEXT_WEIGHT = 0.8
# Tuned on the CSL dev split only (docs/matching.md): a source word that is one of the candidate's keywords (an
# expert: one item of its specialties) counts 2 + KEYWORD_BOOST times, one in its title 2 times, in its text once.
KEYWORD_BOOST, LENGTH_NORM, BM25_PRIOR = 4.0, 0.3, 0.2
# Score changes of the structured comparisons.
SAME_FIELD, TRL_FIT, TRL_EARLY, MODES_FIT, MODES_DIFFER = 0.10, 0.05, -0.06, 0.04, -0.04
WITHIN_BUDGET, OVER_BUDGET, SAME_CITY, SAME_PROVINCE, SAME_OWNER = 0.03, -0.05, 0.04, 0.02, -0.5


@dataclass(frozen=True, slots=True)
class Suggestion:
    entity: str
    id: str
    title: str
    subtitle: str
    score: float  # 0..1-ish: higher is better
    shared: tuple[str, ...]  # the source's words the suggestion holds, most telling first
    reasons: tuple[Reason, ...]  # for, then against
    digest_province: str | None = None  # a digest (sync/digests.py): the record's province ("" unknown)


@dataclass(frozen=True, slots=True)
class Result:
    source: P.Profile
    suggestions: tuple[Suggestion, ...]
    candidates: int  # how many records were scored
    capped: bool = False  # the candidates stopped at CANDIDATES: more records share some word with the source


def _tokens(term: str) -> list[str]:
    """The index tokens a term's documents all hold (its bigrams, or its words)."""
    out: list[str] = []
    for is_cjk, piece in search_text.pieces(term):
        out.extend([piece[i:i + 2] for i in range(len(piece) - 1)] if is_cjk and len(piece) > 1 else [piece])
    return out


# Documents per index token, per store file: reading a token's count walks its doclist (~0.4 ms), and counts
# change slowly, so a process keeps them (a word's weight may lag a sync by a little; nothing else depends on it).
_DF_CACHE: dict[tuple[str, str], int] = {}
_DF_CACHE_MAX = 200_000


def doc_freqs(conn: Connection, words: Sequence[str]) -> tuple[dict[str, tuple[int, str]], int]:
    """For each word, an upper bound of the documents holding it and the token giving it (its rarest), and the
    number of documents."""
    store = str(conn.engine.url.database or id(conn.engine))
    tokens = sorted({t for w in words for t in _tokens(w)})
    counts = {t: _DF_CACHE[(store, t)] for t in tokens if (store, t) in _DF_CACHE}
    missing = [t for t in tokens if t not in counts]
    if len(_DF_CACHE) + len(missing) > _DF_CACHE_MAX:
        _DF_CACHE.clear()
    for i in range(0, len(missing), 500):
        chunk = missing[i:i + 500]
        found = dict.fromkeys(chunk, 0)
        found.update((str(r[0]), int(r[1])) for r in conn.exec_driver_sql(
            f"SELECT term, doc FROM {ix.VOCAB} WHERE term IN ({','.join('?' * len(chunk))})", tuple(chunk)))
        counts.update(found)
        _DF_CACHE.update(((store, t), n) for t, n in found.items())
    total = int(conn.exec_driver_sql(f"SELECT max(doc_id) FROM {ix.DOC}").scalar_one() or 1)
    return {w: min(((counts.get(t, 0), t) for t in _tokens(w)), default=(0, "")) for w in words}, total


def _candidates(conn: Connection, target: str, weights: dict[str, float], rarest: dict[str, tuple[int, str]],
                total: int) -> list[int]:
    """Doc ids of the best `CANDIDATES` documents of `target` by bm25 over the source's most telling words,
    each by its rarest token (one doclist, no positions: scoring checks the whole word); words are taken
    rarest-weighed first while the documents they can reach stay within `REACH` of the index."""
    telling = sorted((w for w in weights if 0 < rarest[w][0] <= max(COMMON * total, 50)),
                     key=lambda w: -weights[w] * math.log(total / rarest[w][0]))
    tokens: dict[str, None] = {}
    reach = 0
    for w in telling:
        df, token = rarest[w]
        if len(tokens) >= QUERY_TERMS or (tokens and reach + df > max(REACH * total, 20 * CANDIDATES)):
            break
        if token not in tokens:
            tokens[token] = None
            reach += df
    phrases = [f'{{title_uni body_uni title_bi body_bi}} : "{t}"' for t in tokens]
    if not phrases:
        return []
    match = f'{{facets}} : "{search_text.facet("entity", target)}" AND (' + " OR ".join(phrases) + ")"
    weights_sql = ", ".join(map(str, ix.BM25_WEIGHTS))
    return [int(r[0]) for r in conn.exec_driver_sql(
        f"SELECT rowid FROM {ix.FTS} WHERE {ix.FTS} MATCH ? ORDER BY bm25({ix.FTS}, {weights_sql}) LIMIT ?",
        (match, CANDIDATES))]


def _is_demand(entity: str) -> bool:
    """The side that asks (a demand, by its type of need); the other offers (an achievement, an expert)."""
    return ENTITIES[entity].has("demand_type")


def _structured(source: P.Profile, cand: P.Profile) -> list[Reason]:
    if source.institution_id and source.institution_id == cand.institution_id:
        # Matching looks for a partner: the institution's own record is shown, but well below the others, and
        # its field, maturity, modes and place say nothing.
        return [Reason("same_owner", (), SAME_OWNER)]
    out: list[Reason] = []
    a, d = (cand, source) if _is_demand(source.entity) else (source, cand)
    if source.field_text and cand.field_text:
        s, c = source.field_text, cand.field_text
        same = next((w for w in s.split() if len(w) >= 2 and w in c), None) or (
            next((w for w in c.split() if len(w) >= 2 and w in s), None))
        if same:  # shown without a GB/T 4754 code in front (C3461烘炉… -> 烘炉…)
            out.append(Reason("same_field", (("field", _CODE_PREFIX.sub("", same) or same),), SAME_FIELD))
    if ENTITIES[a.entity].has("trl") and _is_demand(d.entity):
        if a.trl is not None and d.demand_type == "adoption":
            if a.trl >= P.MATURE_TRL:
                out.append(Reason("trl_mature", (("trl", str(a.trl)), ("need", str(P.MATURE_TRL))), TRL_FIT))
            elif a.trl <= P.EARLY_TRL:
                out.append(Reason("trl_early", (("trl", str(a.trl)), ("need", str(P.MATURE_TRL))), TRL_EARLY))
        elif a.trl is not None and d.demand_type in ("joint_rd", "tackling") and a.trl < P.MATURE_TRL:
            out.append(Reason("trl_research", (("trl", str(a.trl)),), TRL_FIT / 2))
        if a.modes and d.modes:
            served = set().union(*(P.COOP_TO_TRANSFER.get(m, frozenset()) for m in d.modes)) & a.modes
            if served:
                out.append(Reason("modes_fit", (("modes", ",".join(sorted(served))),), MODES_FIT))
            else:
                out.append(Reason("modes_differ", (("offered", ",".join(sorted(a.modes))),
                                                   ("wanted", ",".join(sorted(d.modes)))), MODES_DIFFER))
        if a.price_mode == "fixed" and a.money is not None and d.money is not None:
            money = (("price", f"{a.money:g}"), ("budget", f"{d.money:g}"))
            out.append(Reason("within_budget", money, WITHIN_BUDGET) if a.money <= d.money
                       else Reason("over_budget", money, OVER_BUDGET))
    if source.region and cand.region:
        if len(source.region) >= 4 and source.region[:4] == cand.region[:4]:  # a digest may know its province only
            out.append(Reason("same_city", (), SAME_CITY))
        elif source.region[:2] == cand.region[:2]:
            out.append(Reason("same_province", (), SAME_PROVINCE))
    return out


def _text_score(weights: dict[str, float], idf: dict[str, float], title: str, body: str, keywords: frozenset[str]
                ) -> tuple[float, list[str]]:
    full = sum(weights[w] * idf[w] for w in weights) * 2 or 1.0
    got: list[tuple[float, str]] = []
    for w, weight in weights.items():
        if w in keywords:
            got.append(((2 + KEYWORD_BOOST) * weight * idf[w], w))
        elif w in title:
            got.append((2 * weight * idf[w], w))
        elif w in body:
            got.append((weight * idf[w], w))
    got.sort(reverse=True)
    return sum(g for g, _ in got) / full, [w for _, w in got]


def rank(conn: Connection, source: P.Profile, target: str) -> Result:
    """Every candidate of `target` for `source`, best first (the index must exist)."""
    weights = source.terms
    if not weights:
        return Result(source, (), 0)
    rarest, total = doc_freqs(conn, list(weights))
    idf = {w: math.log(1 + total / (1 + rarest[w][0])) for w in weights}
    doc_ids = _candidates(conn, target, weights, rarest, total)
    if not doc_ids:
        return Result(source, (), 0)
    marks = ",".join("?" * len(doc_ids))
    bm25_rank = {d: i for i, d in enumerate(doc_ids)}
    texts: dict[str, tuple[str, str, str, str, int]] = {str(r[0]): tuple(r) for r in conn.exec_driver_sql(
        f"SELECT d.row_id, t.title_text, t.body_text, t.subtitle, d.doc_id FROM {ix.DOC} d"
        f" JOIN {ix.TEXT} t USING (doc_id) WHERE d.doc_id IN ({marks})", tuple(doc_ids))}
    profiles = P.load(conn, target, list(texts))
    if len(texts) < len(doc_ids):  # digests (out-of-province records): no TEXT row; compared on what they hold
        got = {r[4] for r in texts.values()}
        rest = [i for i in doc_ids if i not in got]
        doc_of = {str(r[1]): int(r[0]) for r in conn.exec_driver_sql(
            f"SELECT doc_id, row_id FROM {ix.DOC} WHERE doc_id IN ({','.join('?' * len(rest))})", tuple(rest))}
        found, docs = P.load_digests(conn, target, list(doc_of))
        for row_id, d in docs.items():
            texts[row_id] = (row_id, d.text[0], d.text[1], d.subtitle, doc_of[row_id])
        profiles |= found
    order = {r: bm25_rank[texts[r][4]] for r in texts}
    lengths = {r: len(texts[r][2]) for r in texts}
    full = [n for r, n in lengths.items() if r in profiles and profiles[r].digest is None] or list(lengths.values())
    avg = sum(full) / max(1, len(full))  # of records held in full: a digest's missing summary moves no one's norm
    out: list[Suggestion] = []
    for row_id, cand in profiles.items():
        if row_id == source.id:
            continue
        _, title, body, subtitle, _ = texts[row_id]
        text, shared = _text_score(weights, idf, search_text.fold(title), search_text.fold(body), cand.phrases)
        # Long texts hold more words by chance (a bm25-like length norm); bm25's own order breaks near-ties. A
        # digest's text is short because its summary is not here, which says nothing: it counts as average.
        length = avg if cand.digest is not None else lengths[row_id]
        text = text / (1 - LENGTH_NORM + LENGTH_NORM * length / avg) if avg else text
        text += BM25_PRIOR * (1 - order[row_id] / len(order))
        reasons = _structured(source, cand)
        if shared:
            reasons.insert(0, Reason("shared_terms", (("terms", ",".join(shared[:8])),), TEXT_WEIGHT * text))
        score = TEXT_WEIGHT * text + sum(r.effect for r in reasons if r.code != "shared_terms")
        reasons.sort(key=lambda r: (r.against, -abs(r.effect)))
        out.append(Suggestion(target, row_id, cand.title, subtitle, round(score, 4), tuple(shared), tuple(reasons),
                              cand.digest))
    out.sort(key=lambda s: (-s.score, s.title, s.id))
    return Result(source, tuple(out), len(out), len(doc_ids) >= CANDIDATES)


def suggest(conn: Connection, source_entity: str, source_id: str, target: str) -> Result | None:
    """Suggestions of `target` records for one record; None when the record does not exist."""
    if (source_entity, target) not in DIRECTIONS:
        raise ValueError(f"cannot match {source_entity} to {target}")
    found = P.load(conn, source_entity, [source_id], with_terms=True)
    if source_id not in found:
        return None
    return rank(conn, found[source_id], target)
