"""Soak mode of the reliability harness: tests/reliability with every count multiplied, then the figures.

    python bench/soak.py [--scale 5] [--postgres URL] [--seed S] [-- extra pytest args]
    python bench/soak.py --hours 8 [--scale 1] [--postgres URL]     # a release soak overnight
    python bench/soak.py --hours 8 --figures soak.jsonl ...         # figures kept in a file: a soak stopped early
                                                                    # keeps what it ran; run again to add to it

One run is `pytest tests/reliability` with RELIABILITY_SCALE and RELIABILITY_SEED (every seeded choice of the
harness moves with it). With --hours, runs follow each other with seeds S, S+1, ... until the time is up; after each
one the running totals are printed. Figures (faults injected, kill -9 points, fuzzed requests, lost / duplicated /
500s) are the ones the tests write to $RELIABILITY_FIGURES; docs/reliability.md records runs.
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
            if key in ("test", "scale", "seed", "run_seed", "database"):
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


def compass(totals: dict[str, Any]) -> dict[str, int]:
    """The figures the release criteria name: requests through the fault proxy, kill -9 points, fuzzed requests,
    and lost / duplicated / server errors."""

    def get(test: str, key: str) -> int:
        value = totals.get(test, {}).get(key, 0)
        return int(sum(value.values()) if isinstance(value, dict) else value)

    kills = {
        "client": get("client_crash", "crashes"),
        "cli": get("cli_crash", "killed"),
        "gui": get("gui_crash", "kills"),
        "snapshot_install": get("snapshot_crash", "kills"),
        "server": get("server_crash", "crashes"),
    }
    return {
        "fault_proxy_requests": get("fault_proxy", "requests") + get("convergence", "proxied_requests"),
        "faults_injected": get("fault_proxy", "faults") + get("convergence", "faults"),
        "kill_points": sum(kills.values()),
        **{f"kills_{where}": n for where, n in kills.items()},
        "fuzzed_requests": get("api_fuzz", "requests"),
        "lost": sum(get(test, "lost") for test in totals),
        "duplicated": sum(get(test, "duplicated") for test in totals),
        "server_errors": get("api_fuzz", "server_errors"),
    }


def run_once(scale: int, seed: int, postgres: str | None, pytest_args: list[str],
             keep: Path | None = None) -> tuple[int, list[dict[str, Any]]]:
    """One pytest run of tests/reliability; its exit code and the figures its tests wrote (also appended to keep,
    test by test as they finish, so a run stopped half-way still leaves its finished tests' figures there)."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.jsonl" if keep is None else keep.resolve()
        already = len(_read(figures))
        env = {**os.environ, "RELIABILITY_SCALE": str(scale), "RELIABILITY_SEED": str(seed),
               "RELIABILITY_FIGURES": str(figures)}
        if postgres:
            env["MARKET_TEST_POSTGRES_URL"] = postgres
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "tests/reliability", *pytest_args], cwd=ROOT, env=env, check=False)
        lines = _read(figures)[already:]
    return done.returncode, lines


def _read(figures: Path) -> list[dict[str, Any]]:
    if not figures.exists():
        return []
    return [json.loads(line) for line in figures.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=5, help="multiply every count by this (default 5)")
    parser.add_argument("--postgres", help="PostgreSQL URL for the server crash test (else $MARKET_TEST_POSTGRES_URL)")
    parser.add_argument("--seed", type=int, default=0, help="RELIABILITY_SEED of the (first) run (default 0)")
    parser.add_argument("--hours", type=float, help="keep running with new seeds until this many hours have passed")
    parser.add_argument("--figures", type=Path,
                        help="append the figures to this JSONL file and count every run already in it")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    ends = started + args.hours * 3600 if args.hours else None
    lines: list[dict[str, Any]] = _read(args.figures) if args.figures else []
    failed_seeds: list[int] = []
    seed = args.seed
    while True:
        code, found = run_once(args.scale, seed, args.postgres, args.pytest_args, args.figures)
        lines += found
        if code != 0:
            failed_seeds.append(seed)
        totals = summarise(lines)
        report = {"scale": args.scale, "seeds": [args.seed, seed], "runs": seed - args.seed + 1,
                  "failed_seeds": failed_seeds, "wall_s": round(time.monotonic() - started, 1),
                  "compass": compass(totals)}
        if ends is None or time.monotonic() >= ends:
            print(json.dumps({**report, "figures": totals}, ensure_ascii=False, indent=1))
            return 1 if failed_seeds else 0
        print(json.dumps(report, ensure_ascii=False), flush=True)  # running totals, one line per run
        seed += 1


if __name__ == "__main__":
    sys.exit(main())
