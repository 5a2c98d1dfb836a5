"""What a pull's `count_total` costs the server: the first page of a first pull with and without the count.

    .venv/bin/python bench/pull_total_bench.py [--rows 100000] [--limit 1000] [--repeat 7]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Loads N demo achievements into a fresh server database (bench/server_pull_bench.py's loader), then times the
in-process body of the first page (cursors 0, as a first sync asks) with `count_total` off and on, alternating,
and prints the medians, the difference and the total the server counted. The client asks for the count on the
first page of each pull only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from server_pull_bench import DEVICE, _database, _page_body, _prepare  # noqa: E402

from market_server.db import make_engine  # noqa: E402
from market_server.security import use_cheap_hashing  # noqa: E402
from sync.protocol import PullRequest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args(argv)
    use_cheap_hashing()
    with tempfile.TemporaryDirectory() as tmp, _database(Path(tmp), args.postgres) as (settings, _env):
        engine = make_engine(settings)
        start = time.perf_counter()
        user = _prepare(engine, args.rows, "specialist")
        print(f"{engine.dialect.name}: {args.rows:,} achievements loaded in {time.perf_counter() - start:.1f} s")
        times: dict[bool, list[float]] = {False: [], True: []}
        total = None
        for _ in range(args.repeat + 1):  # the first round warms caches and is not counted
            for counted in (False, True):
                request = PullRequest(device_id=DEVICE, cursors={}, limit=args.limit, count_total=counted)
                began = time.perf_counter()
                body = _page_body(engine, user, request)
                times[counted].append(time.perf_counter() - began)
                if counted:
                    total = orjson.loads(body).get("total")
        plain, with_count = (statistics.median(times[c][1:]) * 1000 for c in (False, True))
        print(f"first page of {args.limit}: {plain:.1f} ms plain, {with_count:.1f} ms with count_total "
              f"(+{with_count - plain:.1f} ms, once per pull); total counted: {total:,}")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
