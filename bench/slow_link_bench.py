"""Sync on a hotel hotspot: a real market-server, the client in its own process, a shaped link between them.

    .venv/bin/python bench/slow_link_bench.py [--quick] [--kbps 256] [--delay-ms 150] [--kills 30,60,90]
        [--photo-mb 5] [--visits 500] [--first-sync-scale province] [--snapshot] [--skip upload,first-sync,pages]

The link is tests/reliability/shaping_proxy.py (this kernel has no sch_netem): --kbps each way, --delay-ms one
way, and a 2 s stall every 20 s standing in for loss. Prints:
- upload: a --photo-mb photo plus --visits visits with 1,500-character notes, time until all acknowledged against
  the link's lower bound (bytes on the wire / bandwidth, and with the stalls' share of the time taken out);
- first sync of the --first-sync-scale demo for a specialist with 10 institutions: time until their institutions
  are in the store, until the catalog's titles are searchable (last page committed) and the run's end, against
  the lower bound; bytes on the wire; with --snapshot an administrator first publishes the catalog snapshot (on
  loopback, unshaped) and the first sync installs it: also the time until the catalog is searchable (installed);
- kill -9 at each --kills percentage of the bytes of each: bytes sent again by the resumed run, and the store's
  integrity afterwards;
- pages: the bytes of the whole first pull as JSON, gzip -1 and zstd -3 (no shaping; what the server sends).
--quick: a 1 MB photo, 100 visits, the small demo for the first sync.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from _bench_common import load_csl  # noqa: E402
from sync_bench import _admin, _client, _serve  # noqa: E402

from tests.reliability.shaping_proxy import Shape, ShapingProxy  # noqa: E402

USER, PASSWORD = "bench", "bench-password-1"
STALL_EVERY_S, STALL_FOR_S = 20.0, 2.0
# Notes are real Chinese abstracts (the CSL sample, bench/_bench_common.load_csl) when present, else common characters.
NOTE_CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
              "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业")
NOTES_CHARS = 1500


def _shape(args: argparse.Namespace) -> Shape:
    return Shape(up_kbps=args.kbps, down_kbps=args.kbps, delay_ms=args.delay_ms,
                 stall_every_s=STALL_EVERY_S, stall_for_s=STALL_FOR_S)


@dataclass
class Run:
    """One client process's sync through the proxy; `events` are its progress lines."""

    wall_s: float = 0.0
    started_at: float | None = None  # perf_counter here when the client's clock started (its "start" line)
    report: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    killed: bool = False
    peak_rss_mb: float | None = None  # the client process's own peak
    cpu_s: float = 0.0  # the client's CPU, its tokenizing processes included
    logs: list[str] = field(default_factory=list)  # the sync engine's INFO log lines (e.g. the install's steps)


def _sync(store_dir: Path, url: str, proxy: ShapingProxy | None = None, kill_when: Any = None,
          watch: Any = None) -> Run:
    """Run bench/slow_link_client.py; kill -9 it once `kill_when(proxy)` is true; `watch(elapsed)` is polled every
    0.25 s with the seconds since the client's clock started (the clock of its progress lines and wall_s)."""
    script = Path(__file__).with_name("slow_link_client.py")
    proc = subprocess.Popen([sys.executable, str(script), str(store_dir), url, USER, PASSWORD],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    run = Run()
    polled = 0.0

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            data = json.loads(line)
            if "report" in data:
                run.report, run.wall_s, run.peak_rss_mb = data["report"], data["wall_s"], data.get("peak_rss_mb")
                run.cpu_s = (data.get("cpu_s") or 0.0) + (data.get("children_cpu_s") or 0.0)
            elif "log" in data:
                run.logs.append(data["log"])
            elif data["phase"] == "start":
                run.started_at = time.perf_counter()
            else:
                run.events.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while proc.poll() is None:
        now = time.perf_counter()
        if watch is not None and run.started_at is not None and now - polled >= 0.25:
            polled = now
            watch(now - run.started_at)
        if kill_when is not None and proxy is not None and kill_when(proxy):
            os.kill(proc.pid, signal.SIGKILL)
            run.killed = True
            break
        time.sleep(0.05)
    proc.wait()
    reader.join(10)
    if not run.killed and not run.report:
        raise RuntimeError(f"the client exited with {proc.returncode} and no report")
    return run


def _server(tmp: Path, scale: str, institutions: int) -> tuple[Path, list[str]]:
    server_dir = tmp / "server"
    _admin(server_dir, "migrate")
    _admin(server_dir, "user", "add", USER, "--role", "specialist", "--password-stdin", stdin=f"{PASSWORD}\n")
    # The publisher of --snapshot (bench/sync_bench_client.py signs in as it).
    _admin(server_dir, "user", "add", "benchadmin", "--role", "admin", "--password-stdin",
           stdin="benchadmin-password-1\n")
    _admin(server_dir, "seed-demo", "--scale", scale, "--demo-passwords", "--force")
    with sqlite3.connect(server_dir / "market.sqlite3") as db:
        ids = [str(r[0]) for r in db.execute(
            "SELECT id FROM institution WHERE status = 'active' AND NOT deleted ORDER BY id LIMIT ?", (institutions,))]
    _admin(server_dir, "assign", USER, *ids)
    return server_dir, ids


def _integrity(store: Path) -> str:
    with sqlite3.connect(store) as db:
        check = str(db.execute("PRAGMA integrity_check").fetchone()[0])
        outbox = int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])
    return f"integrity_check {check}, outbox {outbox}"


# --- upload: a photo and visits with long notes ---

def _prepare_upload(client_dir: Path, inst: str, photo_mb: float, visits: int, seed: int) -> tuple[str, list[str]]:
    from specialist_app.services.attachments import add_attachment
    from specialist_app.services.records import create
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store.db import open_store

    rng = random.Random(seed)
    abstracts = [p.abstract for p in load_csl() if p.abstract]
    store = open_store(client_dir / "store.sqlite3")
    ids = []
    with UnitOfWork(store) as uow:
        for _ in range(visits):
            if abstracts:
                notes = "".join(rng.choice(abstracts) for _ in range(8))[:NOTES_CHARS]
            else:
                notes = "".join(rng.choices(NOTE_CHARS, k=NOTES_CHARS))
            ids.append(create(uow, "visit", {"institution_id": inst, "status": "planned", "notes": notes}))
        uow.commit()
    photo = client_dir / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(int(photo_mb * 1024 * 1024) - 8))
    _row, info = add_attachment(store, "visit", ids[0], photo)
    store.close()
    return info.sha256, ids


def _upload_case(args: argparse.Namespace, kill_at: float | None, clean_up: int | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server_dir, [inst] = _server(tmp, "small", 1)
        proc, url = _serve(server_dir)
        try:
            client_dir = tmp / "client"
            client_dir.mkdir()
            _sync(client_dir, url)  # the institution arrives over a clean link
            sha, ids = _prepare_upload(client_dir, inst, args.photo_mb, args.visits, seed=7)
            proxy = ShapingProxy(url, _shape(args))
            try:
                runs = []
                if kill_at is not None and clean_up:
                    threshold = kill_at * clean_up
                    runs.append(_sync(client_dir, proxy.url, proxy, kill_when=lambda p: p.bytes_up >= threshold))
                killed_up = proxy.bytes_up
                runs.append(_sync(client_dir, proxy.url))
                bytes_up = proxy.bytes_up
            finally:
                proxy.close()
            with sqlite3.connect(server_dir / "market.sqlite3") as db:
                on_server = int(db.execute(f"SELECT count(*) FROM visit WHERE id IN ({','.join('?' * len(ids))})",
                                           ids).fetchone()[0])
            blob = server_dir / "blobs" / sha[:2] / sha
            found = next((p for p in server_dir.rglob(sha) if p.is_file()), None) if not blob.exists() else blob
            return {"wall_s": runs[-1].wall_s, "bytes_up": bytes_up, "killed_up": killed_up,
                    "phases": _phases(runs[-1]),
                    "report": runs[-1].report, "visits_on_server": on_server,
                    "photo_on_server": found is not None and found.stat().st_size == int(args.photo_mb * 1024 * 1024),
                    "store": _integrity(client_dir / "store.sqlite3")}
        finally:
            proc.terminate()
            proc.wait(10)


def _phases(run: Run) -> str:
    """When each phase reported first and last, e.g. "push 0.4-38.0 s, upload 40.1-282.0 s"."""
    spans: dict[str, list[float]] = {}
    for event in run.events:
        spans.setdefault(event["phase"], []).append(float(event["t"]))
    return ", ".join(f"{phase} {min(ts):.1f}-{max(ts):.1f} s" for phase, ts in spans.items())


def upload(args: argparse.Namespace) -> None:
    rate = args.kbps * 1000 / 8
    clean = _upload_case(args, None, None)
    bound = clean["bytes_up"] / rate
    duty = 1 - STALL_FOR_S / STALL_EVERY_S
    print(f"upload: {args.photo_mb} MB photo + {args.visits} visits with {NOTES_CHARS}-character notes at"
          f" {args.kbps} kbit/s, {args.delay_ms} ms, {STALL_FOR_S:.0f} s stall every {STALL_EVERY_S:.0f} s:"
          f" all acknowledged after {clean['wall_s']:.1f} s; {clean['bytes_up'] / 1e6:.2f} MB up on the wire;"
          f" lower bound {bound:.1f} s (bytes / bandwidth) -> {clean['wall_s'] / bound:.2f}x, or"
          f" {bound / duty:.1f} s with the stalls' share -> {clean['wall_s'] / (bound / duty):.2f}x;"
          f" visits on the server {clean['visits_on_server']}/{args.visits}, photo complete"
          f" {clean['photo_on_server']}; outcome {clean['report'].get('outcome')}; store: {clean['store']};"
          f" phases reported: {clean['phases']}")
    for pct in args.kills:
        case = _upload_case(args, pct / 100, clean["bytes_up"])
        again = case["bytes_up"] - clean["bytes_up"]
        print(f"upload, kill -9 at {pct} % ({case['killed_up'] / 1e6:.2f} MB sent): resumed run acknowledged all"
              f" after {case['wall_s']:.1f} s; bytes sent again {again / 1e3:,.0f} KB"
              f" ({100 * again / clean['bytes_up']:.1f} % of the clean run's); visits on the server"
              f" {case['visits_on_server']}/{args.visits}, photo complete {case['photo_on_server']};"
              f" outcome {case['report'].get('outcome')}; store: {case['store']}")


# --- first sync of a demo catalog, 10 institutions assigned ---

def _own_rows(store: Path, ids: list[str]) -> int:
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=0.2) as db:
            return int(db.execute(f"SELECT count(*) FROM institution WHERE id IN ({','.join('?' * len(ids))})",
                                  ids).fetchone()[0])
    except sqlite3.Error:
        return 0


def _counts(store: Path) -> dict[str, int]:
    with sqlite3.connect(store) as db:
        return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("institution", "achievement", "expert", "demand", "visit", "contact")}


def _first_case(tmp: Path, url: str, ids: list[str], shape: Shape, name: str,
                kill_at: float | None, clean_down: int | None) -> dict[str, Any]:
    client_dir = tmp / name
    client_dir.mkdir()
    store = client_dir / "store.sqlite3"
    proxy = ShapingProxy(url, shape)
    own_at: list[float] = []
    wire: list[tuple[float, int]] = []  # (seconds into the run, bytes down so far), every 0.25 s

    def watch(elapsed: float) -> None:
        wire.append((elapsed, proxy.bytes_down))
        if not own_at and _own_rows(store, ids) == len(ids):
            own_at.append(elapsed)

    try:
        killed_down = 0
        if kill_at is not None and clean_down:
            threshold = kill_at * clean_down
            _sync(client_dir, proxy.url, proxy, kill_when=lambda p: p.bytes_down >= threshold)
            killed_down = proxy.bytes_down
        run = _sync(client_dir, proxy.url, watch=watch)
        bytes_down = proxy.bytes_down
    finally:
        proxy.close()
    if not own_at and _own_rows(store, ids) == len(ids):
        own_at.append(run.wall_s)  # the run ended between two looks: at the latest then
    pulls = [e["t"] for e in run.events if e["phase"] == "pull"]
    installed = [e["t"] for e in run.events if e["phase"] == "install" and e["done"] == 1]  # committed: searchable
    last_byte = [e["t"] for e in run.events if e["phase"] == "install" and e["done"] == 0]  # hashed, then installed
    checkpointed = [e["t"] for e in run.events if e["phase"] == "checkpoint" and e["done"] == 1]
    # The link's work done: 99 % of this run's bytes down (the client's own progress cannot say when a snapshot's
    # last byte came: it holds the download's progress back while the own institutions are pulled).
    base = killed_down
    downloaded = [t for t, b in wire if b - base >= 0.99 * (bytes_down - base)]
    return {"wall_s": run.wall_s, "own_s": own_at[0] if own_at else None, "titles_s": pulls[-1] if pulls else None,
            "installed_s": installed[0] if installed else None, "downloaded_s": downloaded[0] if downloaded else None,
            "last_byte_s": last_byte[0] if last_byte else None,
            "checkpointed_s": checkpointed[0] if checkpointed else None,
            "logs": run.logs,
            "bytes_down": bytes_down, "killed_down": killed_down, "report": run.report, "counts": _counts(store),
            "store": _integrity(store), "peak_rss_mb": run.peak_rss_mb, "cpu_s": run.cpu_s}


def first_sync(args: argparse.Namespace) -> None:
    rate = args.kbps * 1000 / 8
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server_dir, ids = _server(tmp, args.first_sync_scale, 10)
        proc, url = _serve(server_dir)
        try:
            if "pages" not in args.skip:
                pages(url, args.first_sync_scale)
            if args.snapshot:
                (tmp / "publisher").mkdir()
                published = _client(tmp / "publisher", url, "publish", 0)
                print(f"catalog snapshot published (loopback): {published['size_mb']:.1f} MB in"
                      f" {published['wall_s']:.1f} s")
            clean = _first_case(tmp, url, ids, _shape(args), "clean", None, None)
            bound = clean["bytes_down"] / rate
            own = f"{clean['own_s']:.1f} s" if clean["own_s"] is not None else "(not seen)"
            titles = f"{clean['titles_s']:.1f} s" if clean["titles_s"] is not None else "(no page)"
            path = "snapshot" if clean["report"].get("snapshot_cursor") is not None else "pages"
            if clean["installed_s"] is not None:
                titles = f"{titles}; catalog installed (searchable) after {clean['installed_s']:.1f} s"
            print(f"first sync ({args.first_sync_scale} demo, 10 institutions, catalog by {path}) at {args.kbps}"
                  f" kbit/s: own institutions in the store after {own}; titles searchable after {titles};"
                  f" run ended after {clean['wall_s']:.1f} s; {clean['bytes_down'] / 1e6:.2f} MB down on the wire;"
                  f" lower bound {bound:.1f} s -> {clean['wall_s'] / bound:.2f}x; rows {clean['counts']};"
                  f" store: {clean['store']}")
            for pct in args.kills:
                case = _first_case(tmp, url, ids, _shape(args), f"kill{pct}", pct / 100,
                                   clean["bytes_down"])
                again = case["bytes_down"] - clean["bytes_down"]
                same = case["counts"] == clean["counts"]
                print(f"first sync, kill -9 at {pct} % ({case['killed_down'] / 1e6:.2f} MB received): resumed run"
                      f" ended after {case['wall_s']:.1f} s; bytes received again {again / 1e3:,.0f} KB"
                      f" ({100 * again / clean['bytes_down']:.1f} %); same rows as the clean run {same};"
                      f" store: {case['store']}")
        finally:
            proc.terminate()
            proc.wait(10)


# --- pages: what the first pull weighs as JSON, gzip -1 and zstd -3 ---

def pages(url: str, scale: str) -> None:
    import zstandard

    from specialist_app.sync_engine.engine import PULL_LIMIT
    from sync.ids import uuid7

    device = uuid7()
    token = requests.post(url + "/auth/login", json={"username": USER, "password": PASSWORD, "device_id": device,
                                                     "device_name": "bench"}, timeout=30).json()["access_token"]
    from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

    headers = {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    sizes: dict[str, int] = {}
    for encoding in ("identity", "gzip", "zstd"):
        cursors: dict[str, int] = {}
        total = n_pages = 0
        while True:
            answer = requests.post(url + "/sync/pull", json={"device_id": device, "cursors": cursors,
                                                             "limit": PULL_LIMIT},
                                   headers={**headers, "Accept-Encoding": encoding}, stream=True, timeout=120)
            raw = answer.raw.read(decode_content=False)
            total += len(raw)
            n_pages += 1
            if answer.headers.get("Content-Encoding") == "zstd":
                raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
            elif answer.headers.get("Content-Encoding") == "gzip":
                import gzip

                raw = gzip.decompress(raw)
            page = json.loads(raw)
            cursors = {**cursors, **{str(b): int(c) for b, c in page["cursors"].items()}}
            if not page.get("has_more"):
                break
        sizes[encoding] = total
    print(f"pages of the whole first pull ({scale} demo, 10 institutions, {n_pages} pages of {PULL_LIMIT} rows):"
          f" JSON {sizes['identity'] / 1e6:.2f} MB, gzip -1 {sizes['gzip'] / 1e6:.2f} MB"
          f" ({sizes['gzip'] / sizes['identity']:.1%}), zstd -3 {sizes['zstd'] / 1e6:.2f} MB"
          f" ({sizes['zstd'] / sizes['identity']:.1%}; {sizes['zstd'] / sizes['gzip']:.1%} of gzip's)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 MB photo, 100 visits, the small demo")
    parser.add_argument("--kbps", type=float, default=256.0)
    parser.add_argument("--delay-ms", type=float, default=150.0)
    parser.add_argument("--kills", default="30,60,90", help="kill -9 points, %% of the clean run's bytes ('' none)")
    parser.add_argument("--photo-mb", type=float, default=5.0)
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--first-sync-scale", default="province", choices=("small", "province"))
    parser.add_argument("--snapshot", action="store_true", help="publish a catalog snapshot for the first sync")
    parser.add_argument("--skip", default="", help="comma-separated: upload, first-sync, pages")
    args = parser.parse_args()
    args.kills = [int(k) for k in args.kills.split(",") if k.strip()]
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.quick:
        args.photo_mb, args.visits, args.first_sync_scale = 1.0, 100, "small"
    print(f"link: {args.kbps:g} kbit/s each way, {args.delay_ms:g} ms one way, a {STALL_FOR_S:g} s stall every"
          f" {STALL_EVERY_S:g} s (tests/reliability/shaping_proxy.py)")
    if "upload" not in args.skip:
        upload(args)
    if "first-sync" not in args.skip:
        first_sync(args)


if __name__ == "__main__":
    main()
