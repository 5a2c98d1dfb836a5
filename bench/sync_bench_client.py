"""The client side of bench/sync_bench.py: one measurement in its own process (started by sync_bench.py).

    .venv/bin/python bench/sync_bench_client.py ACTION STORE_DIR URL N PAGE_SIZE [PROVINCE]

PROVINCE (action publish): publish that home province's digest snapshot instead of the public catalog's.

Its top level imports only the standard library: a big pull starts the app's tokenizing process with "spawn",
which re-imports the main script, and the bench should measure that process as the app starts it, not carrying
the bench's own imports.
"""

from __future__ import annotations

import gzip
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _worker_peaks() -> list[float]:
    """Peak RSS (MB) of the tokenizing process, read from /proc just before the pull shuts it down.

    Not RUSAGE_CHILDREN: a spawned child's ru_maxrss includes the moment between fork and exec, when it still
    maps all of this process's pages.
    """
    from _bench_common import peak_rss_mb

    from specialist_app.sync_engine.pretokenize import Pretokenizer

    peaks: list[float] = []
    close = Pretokenizer.close

    def measured_close(self: Pretokenizer, *, kill: bool = False) -> None:
        pool = self._pool
        for pid in list(getattr(pool, "_processes", None) or ()):
            if (peak := peak_rss_mb(pid)) is not None:
                peaks.append(peak)
        close(self, kill=kill)

    Pretokenizer.close = measured_close  # type: ignore[method-assign]
    return peaks


def _client_main(action: str, store_dir: Path, url: str, n: int, page_size: int, province: str | None = None
                 ) -> None:
    import keyring

    from specialist_app import credentials
    from specialist_app.demo_keyring import MemoryKeyring
    from specialist_app.services import records
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store import search_index
    from specialist_app.store.db import open_store
    from specialist_app.sync_engine.engine import SyncEngine
    from specialist_app.sync_engine.transport import Transport

    keyring.set_keyring(MemoryKeyring())
    store = open_store(store_dir / "store.sqlite3")
    with UnitOfWork(store) as uow:
        device = str(uow.conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'device_id'").scalar_one())
    user = "benchadmin" if action == "publish" else "bench"
    auth = credentials.login(store_dir, url, user, f"{user}-password-1", device_id=device)
    transport = Transport(url, auth=auth)
    out: dict[str, Any] = {}
    if action == "publish":
        from specialist_app.sync_engine.snapshot_publish import publish

        start = time.perf_counter()
        info = publish(transport, device, store_dir, province=province)
        out.update(wall_s=time.perf_counter() - start, size_mb=info["size"] / 1e6, cursor=info["cursor"])
        store.close()
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return
    if action == "push":
        with UnitOfWork(store) as uow:
            inst = uow.conn.exec_driver_sql("SELECT institution_id FROM assigned_institution").scalar_one()
            for i in range(n):
                records.create(uow, "visit", {"institution_id": inst, "status": "planned", "purpose": f"走访 {i}"})
            uow.commit()
    worker_peaks = _worker_peaks()
    if action == "baseline":
        start = time.perf_counter()
        blob = gzip.compress(json.dumps(_fetch_all(transport, device)).encode())
        rows = json.loads(gzip.decompress(blob))
        _naive_insert(store, rows)
        out.update(rows=len(rows), wall_s=time.perf_counter() - start)
    else:
        phases: dict[str, float] = {}
        last_pull_page = 0.0

        def progress(phase: str, done: int, total: int | None) -> None:
            nonlocal last_pull_page
            phases.setdefault(phase, time.perf_counter())
            if phase == "pull":  # reported right after each pulled page's transaction commits
                last_pull_page = time.perf_counter()
            if phase == "install" and done:  # the snapshot's transaction committed: its catalog is searchable
                phases["installed"] = time.perf_counter()

        engine = SyncEngine(store, transport, pull_limit=page_size, use_snapshot=action != "pull-pages")
        requests_sent = _count_requests(transport)
        pull_span = _pull_span(transport)
        push_spans = _time_calls(engine, "_push")
        start = time.perf_counter()
        report = engine.run(progress)
        end = time.perf_counter()
        # The "index" phase starts when the last page is applied: every title/keyword/short field is searchable.
        out.update(wall_s=end - start, short_fields_s=phases.get("index", end) - start, pushed=report.pushed,
                   pulled=report.pulled, error=report.error_code, requests=requests_sent,
                   pull_phase_s=last_pull_page - pull_span["first_request"], pull_requests_s=pull_span["requests_s"],
                   first_push_s=push_spans[0] if push_spans else 0.0, snapshot_cursor=report.snapshot_cursor)
        if report.snapshot_cursor is not None:
            # From the run's start: until the file is downloaded; until its transaction committed.
            out.update(download_s=phases["install"] - start, installed_s=phases["installed"] - start)
        if report.error_code:
            raise SystemExit(f"sync failed: {report.error_code} {report.message('en')}")
        with UnitOfWork(store) as uow:
            out["documents"] = uow.conn.exec_driver_sql(f"SELECT count(*) FROM {search_index.DOC}").scalar_one()
            out["searchable"] = uow.conn.exec_driver_sql(
                f"SELECT count(*) FROM {search_index.DOC} WHERE entity = 'achievement'").scalar_one()
            out["deferred_left"] = search_index.deferred_count(uow.conn)
    closing = time.perf_counter()
    store.close()  # copies the run's WAL pages into the store file (a checkpoint), after the run
    out["close_s"] = time.perf_counter() - closing
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["worker_rss_mb"] = max(worker_peaks, default=0.0)
    print(json.dumps(out))


def _count_requests(transport: Any) -> dict[str, int]:
    """HTTP requests the transport sends during the run, by "METHOD path" (filled in as they are sent)."""
    counts: dict[str, int] = {}
    send = transport.request

    def counted(method: str, path: str, **kwargs: Any) -> Any:
        key = f"{method} {path if not path.startswith('/blobs/') else '/blobs/{sha}'}"
        counts[key] = counts.get(key, 0) + 1
        return send(method, path, **kwargs)

    transport.request = counted
    return counts


def _pull_span(transport: Any) -> dict[str, float]:
    """Wall-clock mark of the pull phase's start (the first pull request sent) and time spent in pull requests."""
    from specialist_app.sync_engine import endpoints

    marks: dict[str, float] = {"first_request": 0.0, "requests_s": 0.0}
    send = transport.post_json

    def timed_post(path: str, payload: Any, **kwargs: Any) -> Any:
        if path != endpoints.PULL:
            return send(path, payload, **kwargs)
        began = time.perf_counter()
        marks["first_request"] = marks["first_request"] or began
        try:
            return send(path, payload, **kwargs)
        finally:
            marks["requests_s"] += time.perf_counter() - began  # request, server, answer and its decoding

    transport.post_json = timed_post
    return marks


def _time_calls(obj: Any, name: str) -> list[float]:
    """Wall seconds of each call of obj.name during the run, in call order."""
    spans: list[float] = []
    method = getattr(obj, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spans.append(time.perf_counter() - start)

    setattr(obj, name, timed)
    return spans


def _fetch_all(transport: Any, device: str) -> list[dict[str, Any]]:
    """The baseline's download: every page fetched as plain JSON, no per-page application."""
    from specialist_app.sync_engine import endpoints

    rows: list[dict[str, Any]] = []
    cursors: dict[str, int] = {}
    while True:
        page = transport.post_json(endpoints.PULL, {"device_id": device, "cursors": cursors, "limit": 5000})
        rows.extend(page["changes"])
        cursors = page["cursors"]
        if not page["has_more"]:
            return rows


def _naive_insert(store: Any, rows: list[dict[str, Any]]) -> None:
    from specialist_app.store.rows import upsert_rows

    with store.engine.begin() as conn:
        for entity in sorted({r["entity"] for r in rows}):
            upsert_rows(conn, entity, [
                {**r["fields"], "id": r["id"], "server_version": r["version"], "updated_at": r["updated_at"]}
                for r in rows if r["entity"] == entity and not r.get("deleted")
            ])


if __name__ == "__main__":
    _client_main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                 sys.argv[6] if len(sys.argv) > 6 else None)
