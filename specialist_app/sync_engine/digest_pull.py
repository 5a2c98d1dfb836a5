"""Digests of the catalog outside the home province: the feed pulled page by page after the records, and one
record read in full when a digest is opened (docs/sync-protocol.md, "Digests")."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from specialist_app.services import digests, sync_ops
from specialist_app.store.db import Store
from specialist_app.sync_engine import endpoints
from specialist_app.sync_engine.errors import ServerError, SyncCancelled
from specialist_app.sync_engine.transport import Transport

PAGE = 5000  # digests per request (each ~300 bytes of JSON before compression)
ProgressFn = Callable[[str, int, int | None], None]


def pull_digests(store: Store, transport: Transport, progress: ProgressFn, cancel: threading.Event,
                 province: str | None = None) -> int:
    """Pull the digest feed to its end, a page per transaction; how many digests changed. A server without the
    feed (older than it) answers 404: then there is nothing to pull. `province` (administrators publishing a
    digest snapshot): that province's public feed instead of the user's own."""
    device, cursor, changed, done = sync_ops.device_id(store), sync_ops.digest_cursor(store), 0, 0
    while True:
        if cancel.is_set():
            raise SyncCancelled()
        try:
            body: dict[str, Any] = {"device_id": device, "cursor": cursor, "limit": PAGE}
            if province is not None:
                body["province"] = province
            page = transport.post_json(endpoints.DIGESTS, body)
        except ServerError as exc:
            if exc.status == 404:
                return changed
            raise
        if not isinstance(page, dict) or not isinstance(page.get("digests"), list):
            raise ServerError("digest answer is not a page")
        changed += sync_ops.apply_digest_page(store, page)
        done += len(page["digests"])
        if page["digests"]:
            progress("digests", done, None)
        cursor = max(cursor, int(page.get("cursor") or 0))
        if not page.get("has_more"):
            return changed


def fetch_record(store: Store, transport: Transport, entity: str, row_id: str) -> dict[str, Any]:
    """Read one catalog record in full from the server (one request) and keep it with its digest."""
    record = transport.get_json(f"{endpoints.CATALOG_RECORD}/{quote(entity, safe='')}/{quote(row_id, safe='')}")
    if not isinstance(record, dict) or not isinstance(record.get("row"), dict):
        raise ServerError("catalog record answer is not a record")
    digests.keep_full(store, row_id, record)
    return record
