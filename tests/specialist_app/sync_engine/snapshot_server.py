"""A loopback HTTP server that serves a real catalog snapshot file as the market server's snapshot routes do."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from specialist_app.services import pull_apply, search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import catalog_snapshot
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import snapshot_publish
from sync.demo import achievements_only

CURSOR = 41


class SnapshotServer:
    """GET /catalog-snapshot answers `info` (or `meta_status`); GET /catalog-snapshot/<sha> serves `data` with Range.

    `cut_at`: the next download's body ends at that byte of the file (the connection closes before its
    Content-Length); `down`: downloads are answered 503; `hold`: downloads wait until it is set (10 s at most).
    `ranges`: each download's Range header."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.info: dict[str, Any] = {"format": catalog_snapshot.FORMAT, "cursor": CURSOR,
                                     "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        self.meta_status = 200
        self.paths: list[str] = []
        self.ranges: list[str | None] = []
        self.cut_at: int | None = None
        self.down = False
        self.hold: threading.Event | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.paths.append(self.path)
                if self.path.startswith("/catalog-snapshot?"):
                    body = json.dumps(server.info).encode()
                    self._send(server.meta_status, body, "application/json")
                    return
                server.ranges.append(self.headers.get("Range"))
                if server.hold is not None:
                    server.hold.wait(10)
                if server.down:
                    self._send(503, b"{}", "application/json")
                    return
                start, total = int((self.headers.get("Range") or "bytes=0-")[6:].rstrip("-") or 0), len(server.data)
                if start >= total:  # as the market server answers a Range past the end
                    self._send(416, b"", "application/json", {"Content-Range": f"bytes */{total}"})
                    return
                cut, server.cut_at = server.cut_at, None
                self._send(206 if start else 200, server.data[start:], "application/octet-stream",
                           {"Content-Range": f"bytes {start}-{total - 1}/{total}"} if start else {},
                           None if cut is None else cut - start)

            def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None,
                      cut: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body if cut is None else body[:cut])
                if cut is not None:
                    self.wfile.flush()
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def downloads(self) -> int:
        return sum(1 for p in self.paths if p.startswith("/catalog-snapshot/"))


def published(tmp: Path) -> bytes:
    """A real snapshot file (zstd) of a store that pulled 60 demo achievements."""
    source = open_store(tmp / "publisher.sqlite3")
    changes = [{"entity": "achievement", "id": r["id"], "version": v, "updated_at": "2025-03-01T08:00:00Z",
                "fields": {k: x for k, x in r.items() if k not in ("id", "updated_at")}, "masked": []}
               for v, r in enumerate(itertools.islice(achievements_only(60, seed=3), 60), start=1)]
    with UnitOfWork(source) as uow:
        pull_apply.apply_page(uow.conn, {"changes": changes, "cursors": {"catalog": CURSOR}, "buckets": ["catalog"]})
        uow.commit()
    plain, packed = tmp / "snapshot.sqlite3", tmp / "snapshot.zst"
    catalog_snapshot.export(source, plain, CURSOR)
    source.close()
    snapshot_publish._compress(plain, packed)
    return packed.read_bytes()


def work_files(store: Store) -> list[str]:
    return sorted(p.name for p in store.path.parent.glob(f"{store.path.name}.*snapshot*"))


def documents(store: Store) -> int:
    with UnitOfWork(store) as uow:
        return search.search(uow, "").total
