"""Desktop app benchmark: cold start to a populated main window, search-as-you-type latency, peak RSS.

Usage: .venv/bin/python bench/gui_bench.py [--runs 5] [--only province|achievements] [--store FILE] [--cold-cache]
                                           [--session]
Prints figures; it is not a test. `--store` measures an existing store file instead (e.g. the 233,000-achievement
store of `incremental_apply_bench.py --rows 233000`), hard-linked into a data dir next to it.
Stores are built once into bench/out/gui/ (gitignored): the province demo
(sync.demo.generate("province") through records.create_many) and the small demo plus 100,000 achievements
(sync.demo.achievements_only). Each run starts the app in a new process (`--probe-startup`, offscreen), which
prints when its window was shown and its first page populated, then opens Achievements, types the queries and exits.
`--cold-cache` empties the OS file cache before each start (Linux, as root: `/proc/sys/vm/drop_caches`), so each
start reads the store from the disk as after a reboot; without it the file cache is warm from the previous run.
`--session` starts the way a specialist's app starts: a stored sign-in (a file keyring in the bench's data dir, a
server address where nobody listens), the session's window with its sync controller, the sync at start (offline).
Each start runs with compiled modules kept under bench/out/pycache (as the installed app ships them), even where
the environment sets PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Any

from _bench_common import ROOT, percentiles

from specialist_app import paths
from specialist_app.credentials import Account, folder_key, save_refresh_token
from specialist_app.demo_keyring import ENV_KEYRING_FILE, use_file_keyring
from specialist_app.gui.demo_store import load_demo
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from sync.demo.generator import achievements_only
from sync.entities import entity

OUT = ROOT / "bench" / "out" / "gui"
PYCACHE = ROOT / "bench" / "out" / "pycache"
OFFLINE_SERVER = "http://127.0.0.1:1"  # nobody listens: the session's sync at start finds no server
KEYRING_FILE = "bench-keyring.json"
ACHIEVEMENTS = 100_000
QUERIES = ("玉米", "材料", "电池", "检测", "传感器", "光", "复合材料", "神经网络", "人参", "碳纤维", "催化剂", "中药材",
           "智能控制", "节能", "生物农药", "涂层", "稻", "氢能储运")
PYTHON = ROOT / ".venv" / "bin" / "python"


def store_file(name: str) -> Path:
    return paths.store_path(OUT / name, paths.LOCAL_PROFILE)


def build_province() -> Path:
    target = store_file("province")
    if not target.exists():
        started = time.perf_counter()
        counts = load_demo(target.with_suffix(".building"), "province")
        target.with_suffix(".building").rename(target)
        print(f"built province store {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    return OUT / "province"


def build_achievements() -> Path:
    target = store_file("achievements")
    if not target.exists():
        started = time.perf_counter()
        building = target.with_suffix(".building")
        load_demo(building, "small")  # institutions to own the achievements
        store = open_store(building)
        try:
            with UnitOfWork(store) as uow:
                owners = [str(r[0]) for r in uow.conn.exec_driver_sql("SELECT id FROM institution").fetchall()]
            made = achievements_only(ACHIEVEMENTS, seed=7)  # not the demo's seed: its ids would repeat
            managed = [f.name for f in entity("achievement").fields if f.server_managed]
            done = 0
            while chunk := list(islice(made, 5_000)):
                for row in chunk:
                    for name in managed:
                        row.pop(name, None)
                    row["institution_id"] = owners[done % len(owners)]
                    done += 1
                with UnitOfWork(store) as uow:
                    records.create_many(uow, "achievement", chunk)
                    uow.commit()
        finally:
            store.close()
        building.rename(target)
        print(f"built {ACHIEVEMENTS:,}-achievement store in {time.perf_counter() - started:.0f} s", flush=True)
    return OUT / "achievements"


DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def drop_file_cache() -> None:
    """Write dirty pages out, then drop the clean ones: the next start reads its files from the disk."""
    os.sync()
    DROP_CACHES.write_text("1\n")


def probe(data_dir: Path, queries: tuple[str, ...], cold_cache: bool = False, session: bool = False) -> dict[str, Any]:
    if cold_cache:
        drop_file_cache()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [str(PYTHON), "-m", "specialist_app.gui", "--probe-startup", "--data-dir", str(data_dir),
               "--lang", "zh_CN", "--search", ",".join(queries)]
    if session:
        env.update({"PYTHON_KEYRING_BACKEND": "specialist_app.demo_keyring.FileKeyring",
                    ENV_KEYRING_FILE: str(data_dir / KEYRING_FILE)})
        command.append("--session")
    launched = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("probe: ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"probe failed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(line.removeprefix("probe: "))
    report["shown_s"] = report["shown_at"] - launched
    report["ready_s"] = report["ready_at"] - launched
    return report


def measure(name: str, data_dir: Path, runs: int, cold_cache: bool = False, session: bool = False) -> None:
    probe(data_dir, (), False, session)  # compiles the modules into PYCACHE once; not counted
    reports = [probe(data_dir, QUERIES if i == runs - 1 else (), cold_cache, session) for i in range(runs)]
    ready = sorted(r["ready_s"] for r in reports)
    shown = sorted(r["shown_s"] for r in reports)
    last = reports[-1]
    cache = "OS file cache emptied before each" if cold_cache else "OS file cache warm"
    if session:
        cache += "; signed-in session, offline sync at start"
    more = "more than " if last.get("achievements_capped") else ""
    print(f"\n[{name}] {more}{last['achievements_total']:,} achievements listed; {runs} cold starts ({cache})")
    print(f"  window shown     median {shown[len(shown) // 2]:.2f} s  max {shown[-1]:.2f} s")
    print(f"  first page data  median {ready[len(ready) // 2]:.2f} s  max {ready[-1]:.2f} s   (target <= 1.5 s)")
    print(f"  Achievements page first rows {last['achievements_list_s'] * 1000:.0f} ms")
    if last["keystroke_s"]:
        p50, p95, worst = percentiles(last["keystroke_s"])
        print(f"  keystroke -> rows shown  p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {worst:.0f} ms"
              f"  ({len(last['keystroke_s'])} keystrokes, one at a time through the input method)")
        p50, p95, worst = percentiles(last["search_s"])
        print(f"  search issued -> rows    p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {worst:.0f} ms   (target <= 50 ms)")
    print(f"  peak RSS {max(r['peak_rss_mb'] for r in reports):.0f} MB")


def _data_dir_for(store: Path, session: bool = False) -> Path:
    """A data dir beside `store` whose current profile's store is that file (a hard link: same inode, same data).

    With `session`, the profile is a signed-in specialist's whose refresh token is in the dir's file keyring and
    whose server (port 1 on loopback) never answers.
    """
    if not session:
        base = store.with_name(store.name + ".gui")
        profile = paths.LOCAL_PROFILE
    else:
        base = store.with_name(store.name + ".session")
        account = Account(paths.profile_key(OFFLINE_SERVER, "demo"), OFFLINE_SERVER, "demo", folder_key(base))
        profile = account.profile
        paths.set_current_profile(base, profile, server_url=OFFLINE_SERVER, username="demo")
        use_file_keyring(base / KEYRING_FILE)
        save_refresh_token(account, "bench-refresh-token")
    linked = paths.store_path(base, profile)
    if not linked.exists():
        linked.parent.mkdir(parents=True, exist_ok=True)
        os.link(store, linked)
    return base


def _measure_built(name: str, data_dir: Path, args: argparse.Namespace) -> None:
    if args.session:  # the built store, as a signed-in profile's in a data dir beside it
        data_dir = _data_dir_for(paths.store_path(data_dir, paths.LOCAL_PROFILE), session=True)
    measure(name, data_dir, args.runs, args.cold_cache, args.session)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["province", "achievements"])
    parser.add_argument("--store", type=Path, help="measure this store file (hard-linked as a profile's store)")
    parser.add_argument("--cold-cache", action="store_true", help="empty the OS file cache before each start (root)")
    parser.add_argument("--session", action="store_true",
                        help="start as a signed-in specialist's app does (keyring, sync controller, offline sync)")
    args = parser.parse_args()
    if args.cold_cache and not os.access(DROP_CACHES, os.W_OK):
        parser.error(f"--cold-cache needs write access to {DROP_CACHES} (Linux, root)")
    if args.store is not None:
        measure(args.store.name, _data_dir_for(args.store, args.session), args.runs, args.cold_cache, args.session)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "province"):
        _measure_built("province store", build_province(), args)
    if args.only in (None, "achievements"):
        _measure_built(f"{ACHIEVEMENTS:,} achievements", build_achievements(), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
