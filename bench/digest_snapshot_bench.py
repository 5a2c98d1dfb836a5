"""A province's digest snapshot at size: how long packing and installing it take, how big the file is, and whether
search works right after the install.

    .venv/bin/python bench/digest_snapshot_bench.py --source STORE [--dir DIR] [--in-place] [--repeat 1]
        [--link-mbps N [--link-delay-ms MS] [--link-stall EVERY:FOR] [--link-reset-mb MB]]

`--source` is a store holding a home province's catalog in full and the rest of the nation as digests, e.g. the
one `bench/national_digest_bench.py --achievements N --dir D` leaves at D/store.sqlite3 (built as a first sync
builds it, without a server). It is copied to DIR first (`--in-place`: used as it is, and changed: the export
merges its index). Then, as `specialist-app catalog-snapshot publish --province 22` does after its pulls
(`store/catalog_snapshot.export` with the province and both cursors, zstd at `snapshot_publish.ZSTD_LEVEL`), the
snapshot file is written and compressed. Then in a fresh process, as a new laptop's first sync does
(`sync_engine/snapshot._fetch_and_install`):

  (a) during the download: the compressed file is fed to `sync_engine/unpack.Unpacker` in the download's chunks
      (`download.CHUNK`, 16 KiB): SHA-256 and zstd decompression into the plain file, work that overlaps the
      download (the file is read from the disk here, not received);
  (b) after the last byte: the hash compared, the plain file installed (ATTACH, the tables copied in one
      transaction, both cursors, committed without a checkpoint) and `catalog_snapshot.reindex_kept`: searchable;
  (c) then `catalog_snapshot.checkpoint`: the install's pages copied from the WAL into the store file, the WAL
      emptied (the pull goes on after it);

and the bench's 36 searches (1/2/4 characters, all entities and achievements only) run at once: their hit counts
must be the source store's. Prints each step's wall and CPU time, the sizes, the install process's peak RSS, and the
first sync at 100 Mbit/s and 1 Gbit/s: max(download, unpack) + after the last byte, the download computed from the
size (no network here).

`--link-mbps N`: instead, the first sync's own `snapshot.bootstrap` asks for the snapshot and downloads it for real
through a loopback link shaped to N Mbit/s down (`tests/reliability/shaping_proxy.py`, no delay) from a file server
in this process that answers the offer and serves the file with Range, as the market server's snapshot routes do
(the server itself, its accounts and its offer rules are not run); `--link-delay-ms`, `--link-stall` and
`--link-reset-mb` add a delay, periodic stalls and connections cut after so many MB (each cut resumed with
Range by the app's own download, its unpacker going on); (a) is then the offer and the download with its
unpacking, (b) from the last byte to the checkpoint's start, and the first sync is their sum, measured. Not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national_digest_bench import HOME, own_peak_rss_mb, search_figures  # noqa: E402

from specialist_app.store import catalog_snapshot, digests  # noqa: E402
from specialist_app.store.db import Store, open_store  # noqa: E402
from specialist_app.sync_engine import download, snapshot, snapshot_publish, unpack  # noqa: E402
from specialist_app.sync_engine.transport import Transport  # noqa: E402
from sync.protocol import CATALOG_BUCKET  # noqa: E402
from tests.reliability.shaping_proxy import Shape, ShapingProxy  # noqa: E402

LINKS = (("100 Mbit/s", 100e6), ("1 Gbit/s", 1e9))


def _stamp() -> str:
    return f"{time.strftime('%H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()[0]:.2f}"


def _mb(path: Path) -> float:
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()) / 1e6


def _searches(store: Store, repeat: int) -> tuple[dict[str, int], list[str]]:
    """Every bench query's hit count, and p50/p95 lines per group (national_digest_bench's searches)."""
    totals, lines = search_figures(store, repeat)
    return totals, [f"    {line}" for line in lines]


def publish(source: Path, work: Path, in_place: bool, repeat: int) -> dict[str, Any]:
    """Export and compress as the publisher does; the source's search totals for the install to match."""
    store_path = source
    if not in_place:
        store_path = work / "publisher.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        shutil.copyfile(source, store_path)
        print(f"  copied the source ({_mb(source):,.1f} MB) in {time.perf_counter() - started:.0f} s (not counted)")
    started = time.perf_counter()
    store = open_store(store_path)  # an older store is migrated first (not counted)
    print(f"  opened the source store in {time.perf_counter() - started:.1f} s; {_stamp()}", flush=True)
    try:
        with store.engine.connect() as conn:
            cursor = int(conn.exec_driver_sql("SELECT cursor FROM sync_cursor WHERE bucket = ?",
                                              (CATALOG_BUCKET,)).scalar() or 0)
            digest_cursor = digests.cursor(conn)
            counts = {t: int(conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() or 0)
                      for t in ("achievement", "catalog_digest")}
        totals, _lines = _searches(store, 1)
        plain, packed = work / "snapshot.sqlite3", work / "snapshot.sqlite3.zst"
        started, cpu = time.perf_counter(), time.process_time()
        catalog_snapshot.export(store, plain, cursor, province=HOME, digest_cursor=digest_cursor)
        export_s, export_cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        store.close()
    started, cpu = time.perf_counter(), time.process_time()
    sha = snapshot_publish._compress(plain, packed)
    zstd_s, zstd_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  export (index merged into one segment, VACUUM INTO, other tables emptied): {export_s:.1f} s wall,"
          f" {export_cpu:.1f} s CPU; file {plain.stat().st_size / 1e6:,.1f} MB")
    print(f"  zstd level {snapshot_publish.ZSTD_LEVEL} (all cores) + SHA-256: {zstd_s:.1f} s wall, {zstd_cpu:.1f} s CPU"
          f" in this process (the compressor's threads are counted); compressed {packed.stat().st_size / 1e6:,.1f} MB"
          f" ({packed.stat().st_size:,} bytes); {_stamp()}", flush=True)
    plain.unlink()
    return {"cursor": cursor, "digest_cursor": digest_cursor, "sha": sha, "size": packed.stat().st_size,
            "packed": str(packed), "totals": totals, "counts": counts, "repeat": repeat}


class _FileServer:
    """The two requests a first sync makes for its snapshot, served from the file as the market server does:
    `GET /catalog-snapshot?...` (the offer) and `GET /catalog-snapshot/<sha>` (the file, with Range)."""

    def __init__(self, path: Path, job: dict[str, Any]) -> None:
        offer = json.dumps({"format": catalog_snapshot.FORMAT, "cursor": job["cursor"], "sha256": job["sha"],
                            "size": job["size"], "province": HOME}).encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/catalog-snapshot?"):
                    self._head(200, len(offer), "application/json")
                    self.wfile.write(offer)
                    return
                total = path.stat().st_size
                start = int((self.headers.get("Range") or "bytes=0-")[6:].rstrip("-") or 0)
                self._head(206 if start else 200, total - start, "application/octet-stream",
                           {"Content-Range": f"bytes {start}-{total - 1}/{total}"} if start else {})
                with path.open("rb") as f, contextlib.suppress(ConnectionError):  # a cut link (--link-reset-mb)
                    f.seek(start)
                    shutil.copyfileobj(f, self.wfile, 1 << 16)

            def _head(self, status: int, length: int, kind: str, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(length))
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def __enter__(self) -> _FileServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _wal_mb(store: Store) -> float:
    wal = store.path.with_name(f"{store.path.name}-wal")
    return wal.stat().st_size / 1e6 if wal.exists() else 0.0


def _computed(store: Store, work: Path, job: dict[str, Any]) -> dict[str, Any]:
    """(a), (b), (c) one after the other, the compressed file read from the disk in the download's chunks."""
    info = snapshot.SnapshotInfo(catalog_snapshot.FORMAT, job["cursor"], job["sha"], job["size"], HOME)
    packed, plain = Path(job["packed"]), work / "client.sqlite3.snapshot.sqlite3"
    try:
        # (a) what the download loop now does with each chunk besides writing it to the part
        started, cpu = time.perf_counter(), time.process_time()
        with packed.open("rb") as received, unpack.Unpacker(packed, plain) as unpacker:
            unpacker.resume(0)
            while chunk := received.read(download.CHUNK):
                unpacker.write(chunk)
            unpack_s, unpack_cpu = time.perf_counter() - started, time.process_time() - cpu
            # (b) after the last byte: the hash compared, the install, the kept rows indexed
            started, cpu = time.perf_counter(), time.process_time()
            unpacker.finish(info.sha256)
        finish_s = time.perf_counter() - started
        cursor = snapshot._install(store, plain, info, True, None)
        install_s = time.perf_counter() - started - finish_s
    finally:
        plain.unlink(missing_ok=True)
    kept_started = time.perf_counter()
    catalog_snapshot.reindex_kept(store)  # after a digest snapshot: digests held in full (none here) dropped
    kept_s = time.perf_counter() - kept_started
    installed, installed_cpu = time.perf_counter() - started, time.process_time() - cpu
    wal_mb = _wal_mb(store)
    # (c) the checkpoint after it
    started, cpu = time.perf_counter(), time.process_time()
    emptied = catalog_snapshot.checkpoint(store)
    checkpoint_s, checkpoint_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"cursor": cursor, "unpack_s": unpack_s, "unpack_cpu": unpack_cpu, "finish_s": finish_s,
            "install_s": install_s, "kept_s": kept_s, "installed_s": installed, "installed_cpu": installed_cpu,
            "wal_mb": wal_mb, "checkpoint_s": checkpoint_s, "checkpoint_cpu": checkpoint_cpu, "emptied": emptied,
            "wal_after_mb": _wal_mb(store)}


def _over_the_link(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    """The first sync's own `snapshot.bootstrap` through the shaped link: the offer, the download unpacked as it
    comes, the install, `reindex_kept` and the checkpoint; the moments taken from its progress reports (the last
    byte: the "install" phase begins) and from the checkpoint's start (searchable)."""
    marks: dict[str, float] = {}
    checkpoint = catalog_snapshot.checkpoint

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "install" and "last_byte" not in marks:
            marks["last_byte"], marks["last_byte_cpu"] = time.perf_counter(), time.process_time()

    def timed_checkpoint(store: Store) -> bool:
        marks["searchable"], marks["searchable_cpu"] = time.perf_counter(), time.process_time()
        marks["wal_mb"] = _wal_mb(store)
        try:
            return checkpoint(store)
        finally:
            marks["checkpointed"], marks["checkpointed_cpu"] = time.perf_counter(), time.process_time()

    catalog_snapshot.checkpoint = timed_checkpoint
    transport = Transport(job["link_url"])
    try:
        started, cpu = time.perf_counter(), time.process_time()
        cursor = snapshot.bootstrap(store, transport, progress, mode="snapshot", keep_rows=True, province=HOME)
        ended = time.perf_counter()
    finally:
        transport.close()
        catalog_snapshot.checkpoint = checkpoint
    assert cursor is not None, "the snapshot was not installed"
    return {"cursor": cursor, "link": True, "download_s": marks["last_byte"] - started,
            "download_cpu": marks["last_byte_cpu"] - cpu, "installed_s": marks["searchable"] - marks["last_byte"],
            "installed_cpu": marks["searchable_cpu"] - marks["last_byte_cpu"], "wal_mb": marks["wal_mb"],
            "checkpoint_s": marks["checkpointed"] - marks["searchable"],
            "checkpoint_cpu": marks["checkpointed_cpu"] - marks["searchable_cpu"], "total_s": ended - started,
            "emptied": _wal_mb(store) == 0, "wal_after_mb": _wal_mb(store)}


def install(work: Path, job: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: a new laptop's empty store takes the file (unpacked as it came, installed)."""
    target = work / "client.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    store = open_store(target)
    steps = _over_the_link(store, job) if job.get("link_url") else _computed(store, work, job)
    started = time.perf_counter()
    totals, lines = _searches(store, 1)
    first_search_s = time.perf_counter() - started
    again_totals, again_lines = _searches(store, job["repeat"])
    with store.engine.connect() as conn:
        counts = {t: int(conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() or 0)
                  for t in ("achievement", "catalog_digest")}
        cursors = (int(conn.exec_driver_sql("SELECT cursor FROM sync_cursor WHERE bucket = ?",
                                            (CATALOG_BUCKET,)).scalar() or 0), digests.cursor(conn))
    started = time.perf_counter()
    store.close()
    close_s = time.perf_counter() - started
    return steps | {"first_search_s": first_search_s, "totals": totals, "again": again_totals,
            "lines": [*lines, "    (again, warm:)", *again_lines], "counts": counts, "cursors": cursors,
            "close_s": close_s, "store_mb": _mb(target),
            "peak_mb": own_peak_rss_mb()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="a digest-way store (bench/national_digest_bench.py's)")
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out" / "digest_snapshot")
    parser.add_argument("--in-place", action="store_true", help="export from the source itself (it is changed)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the 36 searches after the first")
    parser.add_argument("--link-delay-ms", type=float, default=0.0, help="with --link-mbps: one-way delay")
    parser.add_argument("--link-stall", help="with --link-mbps: EVERY:FOR seconds, nothing moves FOR s every EVERY s")
    parser.add_argument("--link-reset-mb", type=float, help="with --link-mbps: each connection is reset after this"
                        " many MB (the download resumes with Range, the unpacker going on from where it was)")
    parser.add_argument("--link-mbps", type=float, help="download the file for real through a shaped loopback link"
                        " of this speed (tests/reliability/shaping_proxy.py) from a file server here")
    parser.add_argument("--install-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.install_only:
        job = json.loads(args.install_only.read_text())
        print(json.dumps(install(Path(job["work"]), job)))
        return 0
    if args.source is None or not args.source.exists():
        parser.error("--source STORE is needed (bench/national_digest_bench.py builds one)")
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"digest snapshot of province {HOME} from {args.source}; {time.strftime('%Y-%m-%d')} {_stamp()}", flush=True)
    job = publish(args.source, args.dir, args.in_place, args.repeat) | {"work": str(args.dir)}
    print(f"  source: {job['counts']['achievement']:,} achievements in full, {job['counts']['catalog_digest']:,}"
          f" digests; cursors catalog {job['cursor']:,}, digests {job['digest_cursor']:,}")
    job_file = args.dir / "job.json"
    with contextlib.ExitStack() as link:
        if args.link_mbps:
            served = link.enter_context(_FileServer(Path(job["packed"]), job))
            every, _, stall = (args.link_stall or "").partition(":")
            proxy = ShapingProxy(served.url, Shape(
                down_kbps=args.link_mbps * 1000, delay_ms=args.link_delay_ms,
                stall_every_s=float(every) if every else None, stall_for_s=float(stall or 0),
                reset_after_bytes=int(args.link_reset_mb * 1e6) if args.link_reset_mb else None))
            link.callback(proxy.close)
            job["link_url"] = proxy.url
        job_file.write_text(json.dumps(job))
        print(f"install in a fresh process{f', over a {args.link_mbps:g} Mbit/s link' if args.link_mbps else ''};"
              f" {_stamp()}", flush=True)
        done = subprocess.run([sys.executable, __file__, "--install-only", str(job_file)], check=True,
                              capture_output=True, text=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    same = got["totals"] == job["totals"] and got["again"] == job["totals"]
    if got.get("link"):
        bound = job["size"] * 8 / (args.link_mbps * 1e6)
        print(f"  (a) the offer and the download through the {args.link_mbps:g} Mbit/s link, each chunk unpacked as it"
              f" came: **{got['download_s']:.1f} s** (the link alone: {bound:.1f} s), {got['download_cpu']:.1f} s CPU")
        print(f"  (b) after the last byte (hash, install, reindex_kept): **searchable after {got['installed_s']:.1f}"
              f" s** ({got['installed_cpu']:.1f} s CPU); WAL {got['wal_mb']:,.1f} MB")
    else:
        print(f"  (a) during the download: SHA-256 + zstd into the plain file, fed in {download.CHUNK // 1024} KiB"
              f" chunks: {got['unpack_s']:.1f} s wall, {got['unpack_cpu']:.1f} s CPU")
        print(f"  (b) after the last byte: hash compared + file closed {got['finish_s']:.2f} s, ATTACH + copy in one"
              f" transaction + commit (no checkpoint) {got['install_s']:.1f} s, reindex_kept (digests held in full"
              f" dropped) {got['kept_s']:.1f} s: **searchable after {got['installed_s']:.1f} s**"
              f" ({got['installed_cpu']:.1f} s CPU); WAL {got['wal_mb']:,.1f} MB")
    print(f"  (c) checkpoint after it (PASSIVE, then TRUNCATE): {got['checkpoint_s']:.1f} s wall,"
          f" {got['checkpoint_cpu']:.1f} s CPU; WAL emptied: {got['emptied']} ({got['wal_after_mb']:.1f} MB left)")
    print(f"  the first 36 searches took {got['first_search_s']:.1f} s; hit counts equal to the source's: {same}")
    print(f"  store {got['store_mb']:,.1f} MB; {got['counts']['achievement']:,} achievements,"
          f" {got['counts']['catalog_digest']:,} digests; cursors {got['cursors']}; close {got['close_s']:.1f} s;"
          f" install process peak RSS {got['peak_mb']:.0f} MB")
    print("  searches right after the install (service call, limit 50):")
    print("\n".join(got["lines"]))
    size = job["size"]
    if got.get("link"):
        print(f"  **first sync at {args.link_mbps:g} Mbit/s, measured: {got['download_s'] + got['installed_s']:.1f} s**"
              f" to searchable (download {got['download_s']:.1f} + after the last byte {got['installed_s']:.1f}); the"
              f" checkpoint's {got['checkpoint_s']:.1f} s before the pull goes on; bootstrap returned after"
              f" {got['total_s']:.1f} s")
    for label, bits in () if got.get("link") else LINKS:
        fetch = size * 8 / bits
        during = max(fetch, got["unpack_s"])
        print(f"  first sync at {label}: max(download {fetch:.1f} s ({size / 1e6:,.1f} MB, computed), unpack"
              f" {got['unpack_s']:.1f} s) + after the last byte {got['installed_s']:.1f} s ="
              f" **{during + got['installed_s']:.1f} s** to searchable; the checkpoint's {got['checkpoint_s']:.1f} s"
              f" before the pull goes on (the own institutions' buckets and the pulls after the snapshot's cursors"
              f" come on top)")
    print(f"done {_stamp()}")
    Path(job["packed"]).unlink(missing_ok=True)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
