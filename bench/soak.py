"""Soak mode of the reliability harness: tests/reliability with every count multiplied, then the figures.

    python bench/soak.py [--scale 5] [--postgres URL] [-- extra pytest args]

Figures (faults injected, crashes survived, examples, fuzzed requests, lost / duplicated / 500s) are the
ones the tests write to $RELIABILITY_FIGURES; docs/reliability.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def summarise(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals per test kind (numbers summed; nested counters merged)."""
    totals: dict[str, dict[str, Any]] = defaultdict(dict)
    for entry in lines:
        into = totals[entry["test"]]
        into["runs"] = into.get("runs", 0) + 1
        for key, value in entry.items():
            if key in ("test", "scale", "seed", "database"):
                continue
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                into[key] = into.get(key, 0) + value
            elif isinstance(value, dict):
                merged = into.setdefault(key, {})
                for k, v in value.items():
                    merged[k] = merged.get(k, 0) + v
    return dict(totals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=5, help="multiply every count by this (default 5)")
    parser.add_argument("--postgres", help="PostgreSQL URL for the server crash test (else $MARKET_TEST_POSTGRES_URL)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.jsonl"
        env = {**os.environ, "RELIABILITY_SCALE": str(args.scale), "RELIABILITY_FIGURES": str(figures)}
        if args.postgres:
            env["MARKET_TEST_POSTGRES_URL"] = args.postgres
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "tests/reliability", *args.pytest_args], cwd=ROOT, env=env, check=False)
        wall = time.monotonic() - started
        lines = [json.loads(line) for line in figures.read_text().splitlines()] if figures.exists() else []
    print(json.dumps({"scale": args.scale, "wall_s": round(wall, 1), "pytest_exit": done.returncode,
                      "figures": summarise(lines)}, ensure_ascii=False, indent=1))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
