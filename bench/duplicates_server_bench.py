"""What the server's duplicate check costs a push: the first index build, and per pushed record after that.

Run:  .venv/bin/python bench/duplicates_server_bench.py [--scale province] [--rows 250]

Loads the demo catalog into a temporary SQLite server database, then times `market_server.duplicates`:
the first check of a process (reads every name and identifier of the province), and a check of `--rows` new
achievements written as one push chunk would (half of them near-duplicates of stored titles, so flags are
written too). Then the start-up warm-up (`duplicates.Warmup`, what `serve` runs in each process's lifespan), on a
fresh engine each (a new process's index): how long starting it blocks (readiness), how long it builds, and what
the first push's check then costs when it comes after the warm-up, or at once while it runs. Prints seconds and
milliseconds per record.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path
from time import perf_counter

from _duplicate_cases import Cases

from market_server import duplicates
from market_server.db import make_engine, migrate
from market_server.demo import seed_demo
from market_server.seed import load_records
from market_server.settings import Settings
from sync.ids import uuid7


def _warm_up(settings: Settings) -> None:
    """A new process's index built at start in the background: readiness, build time, the first check after it
    and one arriving while it runs (each on a fresh engine: a fresh index)."""
    probe = [("achievement", "no-such-row")]
    engine = make_engine(settings)
    started = perf_counter()
    warmup = duplicates.Warmup(engine)
    ready = perf_counter() - started
    warmup.done.wait()
    print(f"warm-up at start: returned in {ready * 1000:.1f} ms (readiness not delayed), index built in "
          f"{warmup.seconds:.2f} s in the background")
    started = perf_counter()
    duplicates.check_pushed(engine, "bench", probe)
    print(f"first check after the warm-up: {(perf_counter() - started) * 1000:.1f} ms")
    engine.dispose()
    engine = make_engine(settings)
    warmup = duplicates.Warmup(engine)
    started = perf_counter()
    duplicates.check_pushed(engine, "bench", probe)  # waits on the index's lock for the rest of the build
    print(f"first check arriving at start, during the warm-up: {perf_counter() - started:.2f} s (one build, waited)")
    warmup.stop()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--rows", type=int, default=250)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'market.db'}", blob_dir=folder / "b")
        engine = make_engine(settings)
        migrate(engine)
        started = perf_counter()
        seed_demo(engine, args.scale)
        print(f"demo {args.scale} loaded in {perf_counter() - started:.1f} s")
        with engine.connect() as conn:
            titles = [str(t) for t in conn.exec_driver_sql("SELECT title FROM achievement LIMIT 5000").scalars()]
            inst = str(conn.exec_driver_sql("SELECT id FROM institution LIMIT 1").scalar_one())
        started = perf_counter()
        duplicates.check_pushed(engine, "bench", [("achievement", "no-such-row")])
        print(f"first check of the process (index of the province built): {perf_counter() - started:.2f} s")
        _warm_up(settings)
        rng = random.Random(15)
        cases = Cases(titles, [])
        new = []
        for n in range(args.rows):
            base = rng.choice(titles)
            title = cases.duplicate(base, False)[1] if n % 2 == 0 else f"{base}的新型改进"
            new.append(("achievement", {"id": uuid7(), "title": title, "institution_id": inst}))
        with engine.begin() as conn:
            load_records(conn, new, user="bench")
        started = perf_counter()
        flags = duplicates.check_pushed(engine, "bench", [(e, r["id"]) for e, r in new])
        took = perf_counter() - started
        print(f"check of {args.rows} pushed achievements: {took:.2f} s ({took / args.rows * 1000:.1f} ms per record),"
              f" {flags} flags written")
        engine.dispose()


if __name__ == "__main__":
    main()
