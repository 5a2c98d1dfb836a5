"""Time of one duplicate check while typing, against 100,000 achievements (issue #15.4: <= 50 ms).

Run:  .venv/bin/python bench/duplicates_bench.py [--records 100000] [--probes 500]

Builds the in-memory index the editor uses (sync/duplicates) from generated achievements, then looks up
near-duplicates of indexed titles, new titles, and the prefixes a specialist has typed so far (2, 4, 8
characters), and prints the build time and the p50/p95/max of one lookup per kind.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
from time import perf_counter, process_time

from _duplicate_cases import Cases

from sync.demo.generator import achievements_only
from sync.demo.vocab_domains import DOMAINS
from sync.duplicates import DuplicateIndex, Probe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=500)
    args = parser.parse_args()
    rows = [(r["id"], r["title"], r.get("reg_no")) for r in achievements_only(args.records)]
    insts = [f"inst-{n % 500}" for n in range(len(rows))]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = perf_counter()
    index = DuplicateIndex()
    for (id_, title, reg_no), inst in zip(rows, insts, strict=True):
        index.put("achievement", id_, title, institution_id=inst, codes=[("reg_no", reg_no)])
    build = perf_counter() - started
    memory = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024  # Linux: KiB
    rng = random.Random(15)
    cases = Cases((t for _, t, _ in rows[:5000]), [w for d in DOMAINS for w in (*d.objects, *d.actions)])
    sample = rng.sample(rows, min(args.probes, len(rows)))
    kinds: dict[str, list[str]] = {
        "near-duplicate": [cases.duplicate(t, False)[1] for _, t, _ in sample],
        "look-alike": [(cases.look_alike(t) or ("", t + "改进"))[1] for _, t, _ in sample],
        "typed 2 chars": [t[:2] for _, t, _ in sample],
        "typed 4 chars": [t[:4] for _, t, _ in sample],
        "typed 8 chars": [t[:8] for _, t, _ in sample],
    }
    print(f"index of {len(index):,} achievements built in {build:.2f} s, peak RSS +{memory:.0f} MiB")
    for kind, texts in kinds.items():
        times = []
        found = 0
        cpu = process_time()
        for n, text in enumerate(texts):
            probe = Probe("achievement", text, insts[n % len(insts)])
            t0 = perf_counter()
            hits = index.find(probe)
            times.append((perf_counter() - t0) * 1000)
            found += bool(hits)
        cpu_ms = (process_time() - cpu) / len(texts) * 1000
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"  {kind:<15} p50 {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  max {times[-1]:6.2f} ms"
              f"  cpu {cpu_ms:5.2f} ms/probe  (with a hit: {found}/{len(texts)})")


if __name__ == "__main__":
    main()
