"""Load bench: many specialists' devices syncing against `market-server serve --workers N` on PostgreSQL, driven by
Locust (bench/load/locustfile.py); prints throughput and p50/p95/p99 per request kind, the server's CPU and RSS,
PostgreSQL's CPU and the load generator's CPU, each measured apart.

    .venv/bin/python bench/load/load_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        --scenario steady|burst|capacity [--devices N] [--interval S] [--duration S] [--workers N] [--keep] \\
        [--digests] [--profile FILE] [--server-log FILE]

Prepared once per run in a fresh schema (or reused with --keep: the schema `load_bench` stays for the next run):
the province demo catalog (`seed-demo --scale province`), one specialist per device with 2 active institutions
each (assigned at random; ~10 specialists share an institution, so a push reaches a few others' pulls), and each
device signed in once: its access token issued as a sign-in issues it (no password hashing: argon2 would make 2,000
sign-ins take ~20 minutes here) and its cursors at the current version, i.e. fully synced.

Scenarios:
- steady: `--devices` (2000) devices, each syncing every `--interval` (30) s from a random first moment (open loop:
  a device's next sync starts on schedule whatever the last answer took, unless that took longer than the interval),
  2 % of syncs pushing 1-5 visits and 0.5 % of those adding a 20 KB PDF; `--duration` (90) s.
- burst: `--devices` (500) devices all starting within 10 s ("9:00 at an event"), each syncing once (same mix).
- capacity: `--devices` (32) devices pulling nothing new back to back (closed loop): how many nothing-new pulls the
  server answers per second and per core of its CPU.

`--digests`: the market's home province is Jilin and the devices take digests (each sync: its pulls with
`"digests": true`, then the digest feed); the province demo has no institution elsewhere, so every feed request after
the first of each device finds nothing new (what most of a national market's syncs ask).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import spy  # noqa: E402  # bench/load/spy.py, beside this file

from market_server import accounts, versions  # noqa: E402
from market_server.auth_routes import _issue_access, _register_device  # noqa: E402
from market_server.db import make_engine, migrate  # noqa: E402
from market_server.demo import seed_demo  # noqa: E402
from market_server.security import REFRESH_PREFIX, new_token, token_hash, use_cheap_hashing  # noqa: E402
from market_server.settings import Settings  # noqa: E402
from sync.protocol import LoginRequest  # noqa: E402

BIN = Path(sys.executable).parent
SCHEMA = "load_bench"
TOKEN_SECONDS = 86_400
RUN = int(time.time())
KINDS = ("pull: nothing new", "pull: changes", "push", "blob: upload", "digests: nothing new", "digests: changes")


def _settings(url: str, schema: str, data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=url, blob_dir=data_dir / "blobs", database_schema=schema,
                    access_token_seconds=TOKEN_SECONDS)


def _prepare(url: str, schema: str, data_dir: Path, devices: int, keep: bool) -> list[dict[str, Any]]:
    """The schema with the province demo and `devices` specialists, each signed in on one device."""
    admin = create_engine(url)
    with admin.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"),
                              {"s": schema}).first() is not None
        if exists and not keep:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        if not exists or not keep:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    settings = _settings(url, schema, data_dir)
    engine = make_engine(settings)
    migrate(engine)
    with engine.connect() as conn:
        seeded = conn.execute(text("SELECT count(*) FROM achievement")).scalar_one() > 0
    if not seeded:
        started = time.perf_counter()
        rows = seed_demo(engine, "province").rows
        print(f"province demo: {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    made = _devices(engine, settings, devices)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return made


def _devices(engine: Engine, settings: Settings, count: int) -> list[dict[str, Any]]:
    use_cheap_hashing()  # the accounts' passwords are never checked here
    rng = random.Random(17)
    started = time.perf_counter()
    with engine.begin() as conn:
        active = [str(r[0]) for r in conn.execute(text(
            "SELECT id FROM institution WHERE status = 'active' AND NOT deleted ORDER BY id"))]
        counter = versions.current(conn)
        made = []
        for n in range(count):
            name = f"load{n:05d}"
            user = accounts.find_user(conn, name)
            if user is None:
                user = accounts.add_user(conn, name, "specialist", "load-bench-password")
                accounts.assign(conn, name, rng.sample(active, 2))
            insts = accounts.assigned_institutions(conn, user.id)
            device_id = f"load-device-{n:05d}-{RUN}"  # new devices each run: their push seq starts at 1
            body = LoginRequest(username=name, password="-", device_id=device_id, device_name="负载测试")
            device_pk = _register_device(conn, user.id, body, token_hash(new_token(REFRESH_PREFIX)))
            token = _issue_access(conn, settings, user, device_pk).access_token
            cursors = {f"inst:{i}": counter for i in insts} | {"own": counter, "catalog": counter}
            made.append({"device_id": device_id, "token": token, "institutions": insts, "cursors": cursors,
                         "digest_cursor": counter})
    print(f"{count} devices signed in and synced in {time.perf_counter() - started:.1f} s", flush=True)
    return made


def _serve(url: str, schema: str, data_dir: Path, workers: int, log: Path,
           home_province: str | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = 18_000 + os.getpid() % 1000
    env = {**os.environ, "MARKET_DATABASE_URL": url, "MARKET_DATABASE_SCHEMA": schema, "MARKET_DATA_DIR": str(data_dir),
           "MARKET_ACCESS_TOKEN_SECONDS": str(TOKEN_SECONDS), "MARKET_BLOB_GC_INTERVAL_SECONDS": "0",
           **({"MARKET_HOME_PROVINCE": home_province} if home_province else {})}
    with open(log, "ab") as sink:
        proc = subprocess.Popen([str(BIN / "market-server"), "serve", "--port", str(port), "--workers", str(workers)],
                                env=env, stdout=subprocess.DEVNULL, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(1200):
        try:
            if requests.get(base + "/health", timeout=1).ok:
                break
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.05)
    else:
        proc.terminate()
        raise RuntimeError("server did not start: " + log.read_text()[-2000:])
    _await_warmup(log, workers)
    return proc, base


def _await_warmup(log: Path, workers: int, timeout: float = 600.0) -> None:
    """Until every worker has built its duplicate index (market_server/duplicates.py, a background read at start),
    so the measured CPU is serving's, not start-up's."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        ready = [json.loads(line) for line in log.read_text(errors="replace").splitlines()
                 if '"duplicate index ready"' in line]
        if len(ready) >= workers:
            print(f"duplicate index built by {len(ready)} workers in {max(r['seconds'] for r in ready):.1f} s",
                  flush=True)
            return
        time.sleep(0.5)
    print(f"duplicate index not built after {timeout:.0f} s; measuring anyway", flush=True)


def _tree_cpu(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def _tree_rss(pid: int) -> int:
    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


def _postgres_cpu() -> dict[int, float]:
    """CPU seconds per PostgreSQL process now (a backend that exits before the next look is not counted)."""
    found: dict[int, float] = {}
    for p in psutil.process_iter(["name"]):
        if p.info["name"] == "postgres":
            try:
                t = p.cpu_times()
                found[p.pid] = t.user + t.system
            except psutil.NoSuchProcess:
                pass
    return found


def _tree_sched(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting for one while runnable) of every thread of the server's processes, from
    /proc/PID/task/TID/schedstat: what shows whether slow answers were work or waiting for a CPU."""
    try:
        root = psutil.Process(pid)
        pids = [root.pid, *(c.pid for c in root.children(recursive=True))]
    except psutil.NoSuchProcess:
        return 0.0, 0.0
    run = wait = 0.0
    for p in pids:
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                fields = (task / "schedstat").read_text().split()
            except OSError:
                continue
            run, wait = run + int(fields[0]) / 1e9, wait + int(fields[1]) / 1e9
    return run, wait


def _run_locust(base: str, devices_file: Path, out: Path, users: int, rate: float, seconds: int,
                env: dict[str, str]) -> float:
    """Locust headless; returns its CPU seconds (the load generator, measured apart)."""
    command = [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
               "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", base, "--csv", str(out),
               "--only-summary", "--stop-timeout", "60", "--loglevel", "WARNING"]
    proc = subprocess.Popen(command, env={**os.environ, "LOAD_DEVICES": str(devices_file), **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    if proc.stderr is not None:
        errors = proc.stderr.read().decode(errors="replace").strip()
        if errors:
            print("locust:", errors[-1500:], flush=True)
    return float(usage.ru_utime + usage.ru_stime)


def _report(out: Path, wall: float, server_cpu: float, pg_cpu: float, locust_cpu: float, rss_peak: int,
            workers: int, cpu_wait: float) -> None:
    with open(f"{out}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"{'request kind':<20} {'count':>8} {'fail':>5} {'per s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} ms")
    total = 0
    for row in rows:
        if row["Name"] not in (*KINDS, "Aggregated"):
            continue
        count = int(row["Request Count"])
        if row["Name"] != "Aggregated":
            total += count
        print(f"{row['Name']:<20} {count:>8} {int(row['Failure Count']):>5} {count / wall:>8.1f} {row['50%']:>7} "
              f"{row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f}")
    print(f"wall {wall:.1f} s; server ({workers} workers) CPU {server_cpu:.1f} s = {server_cpu / wall:.2f} cores, "
          f"{server_cpu / max(total, 1) * 1000:.2f} ms per request, {total / max(server_cpu, 1e-9):.0f} requests per "
          f"server CPU second; PostgreSQL (all its processes on this machine) {pg_cpu / wall:.2f} cores, "
          f"{pg_cpu / max(total, 1) * 1000:.2f} ms per request; load generator {locust_cpu / wall:.2f} cores; "
          f"server RSS peak {rss_peak / 2**20:.0f} MiB; the server's threads waited {cpu_wait:.1f} s for a CPU "
          f"while runnable; load average {os.getloadavg()[0]:.1f}", flush=True)


def _report_server_side(lines: list[str]) -> None:
    """The server's own time per request (its access log's `ms`: from the request reaching the app to the answer's
    start), per path: what of a latency is the server's, and what is the network, the accept queue or the load
    generator's."""
    taken: dict[str, list[float]] = {}
    per_second: dict[int, int] = {}
    for line in lines:
        if '"msg": "request"' not in line:
            continue
        entry = json.loads(line)
        taken.setdefault(f"{entry['method']} {entry['path'].split('/')[1]}", []).append(float(entry["ms"]))
        second = int(time.mktime(time.strptime(entry["ts"][:19], "%Y-%m-%dT%H:%M:%S")))
        per_second[second] = per_second.get(second, 0) + 1
    if per_second:  # the arrival rate the server saw, in 10 s windows: steady or bursty
        first = min(per_second)
        windows = [sum(per_second.get(first + w * 10 + i, 0) for i in range(10)) / 10
                   for w in range((max(per_second) - first) // 10 + 1)]
        print("server-side requests/s per 10 s window: " + " ".join(f"{rate:.0f}" for rate in windows), flush=True)
    for path, ms in sorted(taken.items()):
        ms.sort()
        at = [ms[min(len(ms) - 1, int(len(ms) * q))] for q in (0.5, 0.95, 0.99)]
        print(f"server-side {path:<18} {len(ms):>8} p50 {at[0]:.1f} p95 {at[1]:.1f} p99 {at[2]:.1f} "
              f"max {ms[-1]:.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, metavar="URL")
    parser.add_argument("--scenario", choices=("steady", "burst", "capacity"), default="steady")
    parser.add_argument("--devices", type=int)
    parser.add_argument("--interval", type=float, default=30.0)
    parser.add_argument("--duration", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--push-share", type=float, default=0.02)
    parser.add_argument("--blob-share", type=float, default=0.25, help="share of pushes that attach a file")
    parser.add_argument("--keep", action="store_true", help=f"reuse (and keep) the schema {SCHEMA}")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="sample the server with py-spy (pip install py-spy) into FILE and print its busiest "
                        "functions (adds a little CPU of its own)")
    parser.add_argument("--digests", action="store_true",
                        help="the market's province is Jilin (MARKET_HOME_PROVINCE=22) and every device takes digests: "
                        "its pulls ask for them and each sync ends with the digest feed")
    parser.add_argument("--server-log", type=Path, metavar="FILE", help="keep the server's log (JSON lines) in FILE")
    args = parser.parse_args()
    defaults = {"steady": (2000, 90), "burst": (500, 40), "capacity": (32, 30)}[args.scenario]
    devices, duration = args.devices or defaults[0], args.duration or defaults[1]
    schema = SCHEMA if args.keep else f"load_{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        made = _prepare(args.postgres, schema, data_dir, devices, args.keep)
        devices_file = data_dir / "devices.json"
        devices_file.write_text(json.dumps(made[:devices]), encoding="utf-8")
        proc, base = _serve(args.postgres, schema, data_dir, args.workers, data_dir / "server.log",
                            "22" if args.digests else None)
        try:
            env = {"LOAD_INTERVAL": str(args.interval), "LOAD_PUSH_SHARE": str(args.push_share),
                   "LOAD_BLOB_SHARE": str(args.blob_share), "LOAD_SPREAD": "1", "LOAD_ONCE": "0",
                   "LOAD_DIGESTS": "1" if args.digests else "0"}
            users, rate = devices, devices / 10
            if args.scenario == "burst":
                env |= {"LOAD_SPREAD": "0", "LOAD_ONCE": "1"}
            elif args.scenario == "capacity":
                env |= {"LOAD_INTERVAL": "0", "LOAD_PUSH_SHARE": "0", "LOAD_SPREAD": "0"}
                rate = devices
            print(f"{args.scenario}: {devices} devices (spawned at {rate:.0f}/s), interval {env['LOAD_INTERVAL']} s, "
                  f"push share {env['LOAD_PUSH_SHARE']}, {duration} s, load average {os.getloadavg()[0]:.1f}",
                  flush=True)
            peak = [0]
            running = threading.Event()
            running.set()

            def sample() -> None:
                while running.is_set():
                    peak[0] = max(peak[0], _tree_rss(proc.pid))
                    time.sleep(1)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            spying = spy.start(proc.pid, duration, args.profile) if args.profile else None
            server0, pg0, sched0, wall0 = _tree_cpu(proc.pid), _postgres_cpu(), _tree_sched(proc.pid), \
                time.perf_counter()
            locust_cpu = _run_locust(base, devices_file, data_dir / "locust", users, rate, duration, env)
            wall = time.perf_counter() - wall0
            server_cpu, pg1, sched1 = _tree_cpu(proc.pid) - server0, _postgres_cpu(), _tree_sched(proc.pid)
            pg_cpu = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in pg1.items())
            running.clear()
            _report(data_dir / "locust", wall, server_cpu, pg_cpu, locust_cpu, peak[0], args.workers,
                    sched1[1] - sched0[1])
            log_lines = (data_dir / "server.log").read_text().splitlines()
            if args.server_log is not None:
                args.server_log.write_text("\n".join(log_lines) + "\n", encoding="utf-8")
            _report_server_side(log_lines)
            errors = [line for line in log_lines if '"level": "error"' in line]
            print(f"server errors logged: {len(errors)}" + (f"; first: {errors[0][:300]}" if errors else ""))
            if spying is not None:
                spying.wait()
                print(spy.summary(args.profile), flush=True)
        finally:
            proc.terminate()
            proc.wait(30)
            if not args.keep:
                admin = create_engine(args.postgres)
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


if __name__ == "__main__":
    main()
