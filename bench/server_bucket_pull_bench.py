"""Server pull benchmark for specialists with many buckets: the in-process cost of an incremental pull.

    .venv/bin/python bench/server_bucket_pull_bench.py [--institutions 0,10,30] [--repeat 21] [--reference]
        [--pages] [--data-dir DIR] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--http]

Loads the province demo catalog (`market-server seed-demo --scale province`, ~50,000 catalog rows) into a fresh
server database (or reuses `--data-dir` when an earlier run left one there; SQLite only), adds one specialist per
institution count with that many active institutions assigned (the first by id; each also has the inst:, own and
catalog buckets) and pulls each one's whole history (limit 5000). Then, per specialist, the median wall and CPU
time of `--repeat` incremental pulls from those cursors, in-process (the call the `/sync/pull` route makes, default
limit 1000): first with nothing changed, then after 100 random achievements changed (new versions, as other users'
edits; every repeat pulls the same 100 from the same cursors). `--reference` also times the pull before pull_heads
(tests/market_server/pull_reference.py) on the same requests, alternating, and checks both answer the same bytes.
`--pages` also times today's pull with the high-water marks turned off ("pages": a nothing-new pull runs the
probe and the page heads, as before pull_marks), alternating the same way.
`--http` also times the same pulls through a real `market-server serve` on loopback (gzip, wall per request).
For an older commit's figures (in-process and HTTP): copy this script into a `git worktree add /tmp/wt COMMIT`
and run it from /tmp/wt with PYTHONPATH=/tmp/wt (without --reference); its "after" is then that commit's code.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import requests
from server_pull_bench import _database, _serve  # also puts the project root on sys.path
from sqlalchemy import Engine, text

from market_server import accounts
from market_server import pull as pull_service
from market_server.db import make_engine, migrate
from market_server.demo import seed_demo
from market_server.security import use_cheap_hashing
from market_server.settings import Settings
from market_server.versions import allocate
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, PullRequest

PASSWORD, DEVICE, CHANGED = "bench-password-1", "bench-device", 100
Pull = Callable[[Engine, Any, PullRequest], bytes]
_TIME = re.compile(rb'"server_time":"[^"]*"')


def _specialist(count: int) -> str:
    return f"bench{count}"


def _prepare(engine: Engine, counts: list[int]) -> None:
    """The province demo and one specialist per institution count (kept when already there)."""
    with engine.connect() as conn:
        seeded = conn.execute(text("SELECT count(*) FROM achievement")).scalar_one() > 0
    if not seeded:
        start = time.perf_counter()
        rows = seed_demo(engine, "province").rows
        print(f"province demo: {rows:,} rows loaded in {time.perf_counter() - start:.0f} s", flush=True)
    with engine.begin() as conn:
        ids = [str(r[0]) for r in conn.execute(text(
            "SELECT id FROM institution WHERE status = 'active' AND NOT deleted ORDER BY id LIMIT :n"),
            {"n": max(counts)})]
        for count in counts:
            if accounts.find_user(conn, _specialist(count)) is None:
                accounts.add_user(conn, _specialist(count), "specialist", PASSWORD)
                accounts.assign(conn, _specialist(count), ids[:count])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def _without_marks(engine: Engine, user: Any, request: PullRequest) -> bytes:
    """Today's pull with every nothing-new check answering "maybe": the page statements always run."""
    real = pull_service._nothing_new
    pull_service._nothing_new = lambda *args: False
    try:
        return pull_service.pull_body(engine, user, request)
    finally:
        pull_service._nothing_new = real


def _change_achievements(engine: Engine) -> list[str]:
    """Give CHANGED random achievements new versions (a fixed seed); returns their institutions."""
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, institution_id FROM achievement WHERE NOT deleted ORDER BY id")).all()
        picked = random.Random(2026).sample(rows, CHANGED)
        first = allocate(conn, CHANGED)
        for offset, row in enumerate(picked):
            conn.execute(text("UPDATE achievement SET version = :v, summary = coalesce(summary, '') || ' 更新'"
                              " WHERE id = :id"), {"v": first + offset, "id": row.id})
    return [str(row.institution_id) for row in picked]


def _history(engine: Engine, user: accounts.User) -> dict[str, int]:
    cursors: dict[str, int] = {}
    while True:
        page = orjson.loads(pull_service.pull_body(engine, user, PullRequest(device_id=DEVICE, cursors=cursors,
                                                                             limit=5000)))
        cursors = page["cursors"]
        if not page["has_more"]:
            return cursors


def _timed(pulls: dict[str, Pull], engine: Engine, user: accounts.User, cursors: dict[str, int],
           repeat: int) -> dict[str, tuple[float, float, int]]:
    """Per implementation: (median wall ms, median CPU ms, changes per pull), the implementations alternating."""
    request = PullRequest(device_id=DEVICE, cursors=cursors)
    walls: dict[str, list[float]] = {name: [] for name in pulls}
    cpus: dict[str, list[float]] = {name: [] for name in pulls}
    bodies: dict[str, bytes] = {}
    for _ in range(repeat):
        for name, pull in pulls.items():
            wall, cpu = time.perf_counter(), time.process_time()
            bodies[name] = pull(engine, user, request)
            walls[name].append((time.perf_counter() - wall) * 1000)
            cpus[name].append((time.process_time() - cpu) * 1000)
        if len({_TIME.sub(b"", body) for body in bodies.values()}) > 1:
            raise AssertionError("the implementations answered different pages")
    changes = len(orjson.loads(next(iter(bodies.values())))["changes"])
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]), changes) for name in pulls}


def _over_http(url: str, username: str, cursors: dict[str, int], repeat: int) -> float:
    """Median wall ms of the same incremental pull through the server (gzip), after one warm-up request."""
    session = requests.Session()
    session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
    login = session.post(url + "/auth/login", json={"username": username, "password": PASSWORD, "device_id": DEVICE})
    login.raise_for_status()
    session.headers.update({"Authorization": f"Bearer {login.json()['access_token']}", "Accept-Encoding": "gzip"})
    walls = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        session.post(url + "/sync/pull", json={"device_id": DEVICE, "cursors": cursors}).raise_for_status()
        walls.append((time.perf_counter() - start) * 1000)
    return statistics.median(walls[1:])


def _report(label: str, count: int, buckets: int, figures: dict[str, tuple[float, float, int]]) -> None:
    text_ = "; ".join(f"{name} {wall:.1f} ms wall, {cpu:.1f} ms CPU" for name, (wall, cpu, _) in figures.items())
    changes = next(iter(figures.values()))[2]
    print(f"  {count:>2} institutions ({buckets} buckets), {label}, {changes} changes: {text_}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", default="0,10,30", help="assigned institution counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--reference", action="store_true", help="also time the pull before pull_heads")
    parser.add_argument("--pages", action="store_true", help="also time the pull without the high-water marks")
    parser.add_argument("--data-dir", type=Path, help="SQLite: keep the seeded database here for later runs")
    parser.add_argument("--postgres", metavar="URL", help="use a fresh schema in this PostgreSQL database")
    parser.add_argument("--http", action="store_true", help="also time the pulls through `market-server serve`")
    args = parser.parse_args()
    counts = [int(c) for c in args.institutions.split(",")]
    pulls: dict[str, Pull] = {"after": pull_service.pull_body}
    if args.reference:
        from tests.market_server.pull_reference import reference_pull_body

        pulls = {"before": reference_pull_body, **pulls}
    if args.pages:
        pulls = {"pages": _without_marks, **pulls}
    use_cheap_hashing()
    with tempfile.TemporaryDirectory() as tmp, _database(Path(tmp), args.postgres) as (settings, env):
        if args.data_dir and not args.postgres:
            args.data_dir.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{args.data_dir / 'market.sqlite3'}"
            settings = Settings(data_dir=args.data_dir, database_url=url, blob_dir=args.data_dir / "blobs")
            env = {"MARKET_DATA_DIR": str(args.data_dir)}
        engine = make_engine(settings)
        migrate(engine)
        _prepare(engine, counts)
        users, assigned = {}, {}
        with engine.connect() as conn:
            for c in counts:
                user = accounts.find_user(conn, _specialist(c))
                assert user is not None
                users[c], assigned[c] = user, accounts.assigned_institutions(conn, user.id)
        cursors = {c: _history(engine, users[c]) for c in counts}
        print(f"{engine.dialect.name}: median of {args.repeat} incremental pulls (limit 1000), in-process", flush=True)
        for c in counts:
            _report("nothing changed", c, len(cursors[c]), _timed(pulls, engine, users[c], cursors[c], args.repeat))
        changed = _change_achievements(engine)
        for c in counts:
            figures = _timed(pulls, engine, users[c], cursors[c], args.repeat)
            mine = sum(1 for inst in changed if inst in set(assigned[c]))
            _report(f"{CHANGED} achievements changed ({mine} in its inst: buckets)", c, len(cursors[c]), figures)
        engine.dispose()
        if args.http:
            proc, url_ = _serve(env)
            try:
                for c in counts:
                    wall = _over_http(url_, _specialist(c), cursors[c], args.repeat)
                    print(f"  HTTP, {c:>2} institutions, {CHANGED} changed: {wall:.1f} ms wall per pull", flush=True)
            finally:
                proc.terminate()
                proc.wait()


if __name__ == "__main__":
    main()
