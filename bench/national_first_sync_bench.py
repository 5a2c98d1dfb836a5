"""A national laptop's first sync through a real market-server: the digest snapshot beside the own institutions.

    MARKET_DATA_DIR=DIR MARKET_DATABASE_URL=URL market-server migrate
    ... market-server user add benchadmin --role admin --password-stdin   (benchadmin-password-1)
    ... market-server user add bench --role specialist --password-stdin   (bench-password-1)
    ... market-server seed-demo --scale national --demo-passwords
    .venv/bin/python bench/national_first_sync_bench.py --server-dir DIR --database-url URL
        [--province 22] [--institutions 10] [--mbps 100] [--delay-ms 5] [--runs 1] [--publish] [--keep DIR]

The market-server serves that database with MARKET_HOME_PROVINCE=--province (the laptops wait until it is idle
after its start-up work, as a long-running server would be); `bench` is given that home province
and --institutions of its institutions. Unless one is published already (or with --publish), benchadmin
publishes the province's digest snapshot on loopback (bench/sync_bench_client.py publish: the province's public
catalog in full and the rest of the nation as digests, pulled page by page, indexed, compressed at the publisher's
level, uploaded). Then each run is a new laptop's first sync (bench/slow_link_client.py, catalog mode auto, the
app's EarlySnapshot: the snapshot downloaded while the own institutions are pulled) through
tests/reliability/shaping_proxy.py at --mbps each way with --delay-ms one way, no stalls. Prints per run: own
institutions in the store, catalog installed (searchable), run ended (the store closed), bytes down, the client's
peak RSS, the store on disk, its rows and integrity_check, and the CPU seconds of the client, the server, PostgreSQL
and this bench (the proxy) over the run: on one 2-core machine they share the cores a laptop would not share.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slow_link_bench import USER, _first_case  # noqa: E402
from sync_bench import _admin, _client  # noqa: E402

from tests.reliability.shaping_proxy import Shape  # noqa: E402


def _query(url: str, sql: str, **params: object) -> list[object]:
    """The first column of `sql`'s rows on the server's database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).scalars())
    finally:
        engine.dispose()


def _institutions(url: str, province: str, count: int) -> list[str]:
    return [str(i) for i in _query(
        url, "SELECT id FROM institution WHERE status = 'active' AND NOT deleted AND region_code LIKE :p"
        " ORDER BY id LIMIT :n", p=f"{province}%", n=count)]


def _published(url: str, province: str) -> bool:
    return bool(_query(url, "SELECT count(*) FROM catalog_snapshot WHERE province = :p", p=province)[0])


def _settled(pid: int, cpu_of: Callable[[int], float]) -> tuple[float, float]:
    """Wait until the server is idle (under 0.05 s of CPU in a second, twice running), as a long-running server is
    when a laptop syncs: (its CPU seconds so far, the seconds waited)."""
    start, quiet = time.perf_counter(), 0
    last = cpu_of(pid)
    while quiet < 2:
        time.sleep(1.0)
        now = cpu_of(pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return last, time.perf_counter() - start


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.glob("store.sqlite3*")) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-dir", type=Path, required=True, help="MARKET_DATA_DIR (attachments, snapshots)")
    parser.add_argument("--database-url", required=True, help="MARKET_DATABASE_URL of the seeded national catalog")
    parser.add_argument("--province", default="22")
    parser.add_argument("--institutions", type=int, default=10)
    parser.add_argument("--mbps", type=float, default=100.0)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--publish", action="store_true", help="publish a new digest snapshot first")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (the laptops' stores); empty")
    args = parser.parse_args()
    from server_pull_bench import _cpu_seconds, _postgres_cpu
    from server_pull_bench import _serve as serve_with

    os.environ["MARKET_DATABASE_URL"] = args.database_url
    ids = _institutions(args.database_url, args.province, args.institutions)
    _admin(args.server_dir, "user", "province", USER, args.province)
    _admin(args.server_dir, "assign", USER, *ids)
    print(f"{USER}: home province {args.province}, {len(ids)} institutions", flush=True)
    proc, url = serve_with({"MARKET_DATA_DIR": str(args.server_dir), "MARKET_DATABASE_URL": args.database_url,
                            "MARKET_HOME_PROVINCE": args.province})
    try:
        cpu, wall = _settled(proc.pid, _cpu_seconds)
        print(f"server started: {cpu:.1f} s of CPU over {wall:.1f} s before it went idle (each serving process"
              f" builds the push duplicate check's index at start: MARKET_DUPLICATE_WARMUP)", flush=True)
        with contextlib.ExitStack() as stack:
            tmp = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
            tmp.mkdir(parents=True, exist_ok=True)
            if args.publish or not _published(args.database_url, args.province):
                (tmp / "publisher").mkdir()
                started = time.strftime("%H:%M:%S", time.gmtime())
                published = _client(tmp / "publisher", url, "publish", 0, args.province)
                print(f"digest snapshot of province {args.province} published (loopback, from {started} UTC):"
                      f" {published['size_mb']:.1f} MB in {published['wall_s']:.1f} s", flush=True)
            shape = Shape(up_kbps=args.mbps * 1000, down_kbps=args.mbps * 1000, delay_ms=args.delay_ms)
            for n in range(args.runs):
                started = f"{time.strftime('%H:%M:%S', time.gmtime())} UTC, load {os.getloadavg()[0]:.2f}"
                before = (_cpu_seconds(proc.pid), _postgres_cpu(), _own_cpu())
                case = _first_case(tmp, url, ids, shape, f"laptop{n}", None, None)
                server, database, bench = (b - a for a, b in zip(
                    before, (_cpu_seconds(proc.pid), _postgres_cpu(), _own_cpu()), strict=True))
                path = "snapshot" if case["report"].get("snapshot_cursor") is not None else "pages"
                own = f"{case['own_s']:.1f} s" if case["own_s"] is not None else "(not seen)"
                installed = f"{case['installed_s']:.1f} s" if case["installed_s"] is not None else "(not installed)"
                if case["downloaded_s"] is not None:
                    installed += f" (99 % of the bytes down after {case['downloaded_s']:.1f} s)"
                last_byte, checkpointed = case["last_byte_s"], case["checkpointed_s"]
                if case["installed_s"] is not None and last_byte is not None and checkpointed is not None:
                    installed += (f"; hashed and installed {case['installed_s'] - last_byte:.1f} s after the last"
                                  f" byte, then the checkpoint's {checkpointed - case['installed_s']:.1f} s")
                rss = f"{case['peak_rss_mb']:.0f} MB" if case["peak_rss_mb"] is not None else "?"
                print(f"run {n + 1} (from {started}, {args.mbps:g} Mbit/s, {args.delay_ms:g} ms, catalog by"
                      f" {path}): own institutions in the store after {own}; catalog installed (searchable) after"
                      f" {installed}; run ended after {case['wall_s']:.1f} s; {case['bytes_down'] / 1e6:.1f} MB down;"
                      f" client peak RSS {rss}; store {_size_mb(tmp / f'laptop{n}'):.0f} MB; rows {case['counts']};"
                      f" {case['store']}; CPU: client {case['cpu_s']:.1f} s (its tokenizing processes included),"
                      f" server {server:.1f} s, PostgreSQL {database:.1f} s, this bench (the proxy; the integrity"
                      f" check's reads) {bench:.1f} s", flush=True)
                for line in case["logs"]:
                    if "installed" in line:  # the install's steps, as the client logged them
                        print(f"  client log: {line}", flush=True)
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
