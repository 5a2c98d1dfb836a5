"""Demo-data generator benchmark: records per second for a whole scale, and for standalone achievements.

Usage: .venv/bin/python bench/demo_gen_bench.py [--scale province] [--achievements 100000] [--seed 2026]
Prints figures (wall and CPU time: CPU time is what the generator costs on a busy machine); it is not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sync.demo import SCALES, achievements_only, generate  # noqa: E402


def _report(label: str, n: int, wall: float, cpu: float) -> None:
    print(f"{label}: {n:,} records in {wall:.2f} s wall / {cpu:.2f} s CPU "
          f"= {n / wall:,.0f} records/s wall, {n / cpu:,.0f} records/s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="province")
    parser.add_argument("--achievements", type=int, default=100_000, help="standalone achievements (0: skip)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    wall, cpu = time.perf_counter(), time.process_time()
    per_entity = Counter(name for name, _ in generate(args.scale, seed=args.seed))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    _report(f"generate({args.scale!r})", sum(per_entity.values()), wall, cpu)
    print("  " + ", ".join(f"{name} {n:,}" for name, n in per_entity.items()))

    if args.achievements:
        wall, cpu = time.perf_counter(), time.process_time()
        n = sum(1 for _ in achievements_only(args.achievements, seed=args.seed))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        _report(f"achievements_only({args.achievements:,})", n, wall, cpu)


if __name__ == "__main__":
    main()
