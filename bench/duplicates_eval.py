"""Precision and recall of duplicates at entry on generated near-duplicates and look-alikes (docs/matching.md).

Run:  .venv/bin/python bench/duplicates_eval.py [--per-entity 1000] [--no-csl]

The index holds the province demo catalog (sync/demo) and, when /work/shared/data/csl is there, the real CSL
paper titles as achievements. For sampled records, `bench/_duplicate_cases.py` writes a near-duplicate (the same
record typed again) and a look-alike (a different record with a close name); each is looked up as the editor
does. A near-duplicate whose record is found is a true positive, one not found a false negative; a look-alike
that finds its record is a false positive. Hits on other records with another key are counted apart (stray).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from _bench_common import load_csl
from _duplicate_cases import Cases

from sync.demo.generator import generate
from sync.demo.vocab_domains import DOMAINS
from sync.duplicates import DuplicateIndex, Probe
from sync.duplicates.index import key_of

ENTITIES = ("institution", "achievement", "demand", "expert")


@dataclass(frozen=True)
class Row:
    entity: str
    id: str
    name: str
    institution_id: str | None
    unit: str
    source: str  # demo or csl


def corpus(use_csl: bool) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    names: dict[str, str] = {}
    for entity, record in generate("province"):
        if entity == "institution":
            names[record["id"]] = record["name"]
        if entity in ENTITIES:
            name = record.get("title") if entity in ("achievement", "demand") else record.get("name")
            unit = record.get("unit") or ""
            rows.append(Row(entity, record["id"], name or "", record.get("institution_id"), unit, "demo"))
    words = [w for d in DOMAINS for w in (*d.objects, *d.actions)]
    if use_csl:
        for n, paper in enumerate(load_csl()):
            rows.append(Row("achievement", f"csl-{n}", paper.title, None, "", "csl"))
            words.extend(paper.keywords)
    return rows, words


def build(rows: list[Row]) -> DuplicateIndex:
    index = DuplicateIndex()
    for row in rows:
        index.put(row.entity, row.id, row.name, institution_id=row.institution_id, unit=row.unit)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=1000, help="records sampled per entity and source")
    parser.add_argument("--no-csl", action="store_true", help="demo names only")
    parser.add_argument("--show", type=int, default=0, help="print this many misses and false hits")
    args = parser.parse_args()
    rows, words = corpus(not args.no_csl)
    index = build(rows)
    cases = Cases((r.name for r in rows if r.entity != "expert"), words)
    units = sorted({r.unit for r in rows if r.entity == "expert" and r.unit})
    rng = random.Random(2026)
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.entity, row.source)].append(row)
    counts: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    shown: list[str] = []
    for (entity, _source), members in sorted(groups.items()):
        for base in rng.sample(members, min(args.per_entity, len(members))):
            if entity == "expert":
                pos = ("traditional", cases._traditional(base.name) or base.name) if rng.random() < 0.5 else (
                    "space", base.name[:1] + " " + base.name[1:])
                neg = ("other unit", base.name) if base.unit else None
                neg_unit = rng.choice([u for u in units if u != base.unit][:50] or [""])
            else:
                pos = cases.duplicate(base.name, entity == "institution")
                neg = cases.look_alike(base.name, entity == "institution")
                neg_unit = base.unit
            for label, case in (("dup", pos), ("alike", neg)):
                if case is None:
                    continue
                kind, text = case
                unit = base.unit if label == "dup" else neg_unit
                hits = index.find(Probe(entity, text, base.institution_id, unit=unit), limit=10)
                found = any(h.id == base.id for h in hits)
                outcome = {("dup", True): "tp", ("dup", False): "fn", ("alike", True): "fp", ("alike", False): "tn"}
                result = outcome[(label, found)]
                counts[result] += 1
                by_kind[f"{label}: {kind}"][result] += 1
                same_key = key_of(entity, base.name if label == "dup" else text)
                counts["stray"] += sum(1 for h in hits if h.id != base.id and key_of(entity, h.name) != same_key)
                if result in ("fn", "fp") and len(shown) < args.show:
                    shown.append(f"{result} {entity} {kind}: {base.name} | {text} | {[h.name for h in hits[:2]]}")
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    print(f"index: {len(index):,} records ({Counter(r.entity for r in rows)})")
    print(f"near-duplicates {tp + fn:,}, look-alikes {fp + counts['tn']:,}")
    print(f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, tp + fn):.3f}  "
          f"(tp {tp}, fp {fp}, fn {fn}, tn {counts['tn']}); stray hits on other records: {counts['stray']}")
    for kind, c in sorted(by_kind.items()):
        hit = c["tp"] + c["fp"]
        print(f"  {kind:<22} {sum(c.values()):>5} cases, found {hit:>5} ({hit / max(1, sum(c.values())):.3f})")
    for line in shown:
        print(line)


if __name__ == "__main__":
    main()
