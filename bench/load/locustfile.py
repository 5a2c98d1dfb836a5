"""Locust users for bench/load/load_bench.py: each user is one specialist's device, signed in once (its access
token prepared by the bench), syncing on a schedule as the app does: push what it has, then pull until nothing
is left.

Read from the environment (the bench sets them): LOAD_DEVICES (the JSON file of devices), LOAD_INTERVAL (seconds
between the starts of a device's syncs: constant pacing, so arrivals do not wait for answers: open loop while a sync
takes less than that), LOAD_PUSH_SHARE (share of syncs that push 1-5 visits first), LOAD_BLOB_SHARE (share of those
pushes that also attach a new 20 KB PDF), LOAD_SPREAD (1: each device's first sync at a random moment of its first
interval; 0: at once, the "9:00 at an event" burst), LOAD_ONCE (1: one sync per device, then idle).

Request names in the statistics: "pull: nothing new", "pull: changes", "push", "blob: upload", "digests: nothing
new", "digests: changes".
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import task
from locust.contrib.fasthttp import FastHttpUser

_DEVICES: list[dict[str, Any]] = json.loads(Path(os.environ["LOAD_DEVICES"]).read_text(encoding="utf-8")) \
    if os.environ.get("LOAD_DEVICES") else []
_NEXT = itertools.count()
_LOCK = threading.Lock()
INTERVAL = float(os.environ.get("LOAD_INTERVAL") or 30)
PUSH_SHARE = float(os.environ.get("LOAD_PUSH_SHARE") or 0.02)
BLOB_SHARE = float(os.environ.get("LOAD_BLOB_SHARE") or 0.005)
SPREAD = os.environ.get("LOAD_SPREAD", "1") == "1"
ONCE = os.environ.get("LOAD_ONCE", "0") == "1"
DIGESTS = os.environ.get("LOAD_DIGESTS", "0") == "1"


def _uuid7ish(rng: random.Random) -> str:
    """A random id in UUID form (the server only needs it unique)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Device(FastHttpUser):
    connection_timeout = 30.0
    network_timeout = 120.0

    def on_start(self) -> None:
        with _LOCK:
            me = _DEVICES[next(_NEXT) % len(_DEVICES)]
        self.device_id: str = me["device_id"]
        self.institutions: list[str] = me["institutions"]
        self.cursors: dict[str, int] = dict(me["cursors"])
        self.digest_cursor = int(me.get("digest_cursor") or 0)
        self.seq = 0
        self.rng = random.Random(self.device_id)
        self.headers = {"Authorization": f"Bearer {me['token']}", "X-Sync-Protocol": "1",
                        "Accept-Encoding": "gzip"}
        self.synced = False
        if SPREAD:
            gevent.sleep(self.rng.random() * INTERVAL)
        self.next_start = time.monotonic()

    def wait_time(self) -> float:
        """Until this device's next scheduled sync: one every INTERVAL seconds from its first (open loop; at once
        when a sync took longer than that). Locust's `constant_pacing` counts from the user's creation, not from
        its first task, so the spread first syncs were followed by every device syncing within the spawn's 10 s
        of each later interval (200 syncs/s for 10 s, then none for 20 s), three times the rate meant."""
        self.next_start += INTERVAL
        return max(0.0, self.next_start - time.monotonic())

    @task
    def sync(self) -> None:
        if ONCE and self.synced:
            return
        self.synced = True
        if self.rng.random() < PUSH_SHARE:
            self._push()
        first = True
        while self._pull(first):
            first = False
        while DIGESTS and self._digests():
            pass

    def _push(self) -> None:
        mutations = []
        visits = [_uuid7ish(self.rng) for _ in range(self.rng.randint(1, 5))]
        for visit_id in visits:
            self.seq += 1
            mutations.append({"seq": self.seq, "entity": "visit", "id": visit_id, "op": "create", "fields": {
                "institution_id": self.rng.choice(self.institutions), "status": "done",
                "visited_at": "2026-12-02T01:00:00Z", "purpose": "负载测试走访"}})
        blob = None
        if self.rng.random() < BLOB_SHARE:
            blob = b"%PDF-1.4\n" + self.rng.randbytes(20_000)
            self.seq += 1
            mutations.append({"seq": self.seq, "entity": "attachment", "id": _uuid7ish(self.rng), "op": "create",
                              "fields": {"owner_entity": "visit", "owner_id": visits[0], "filename": "纪要.pdf",
                                         "mime_type": "application/pdf", "size": len(blob),
                                         "sha256": hashlib.sha256(blob).hexdigest()}})
        self.client.post("/sync/push", json={"device_id": self.device_id, "mutations": mutations},
                         headers=self.headers, name="push")
        if blob is not None:
            self.client.put(f"/blobs/{hashlib.sha256(blob).hexdigest()}", data=blob,  # type: ignore[arg-type]
                            name="blob: upload",
                            headers={**self.headers, "Content-Type": "application/octet-stream"})

    def _pull(self, first: bool) -> bool:
        """One page (the first of a sync asks for the total to come, as the app does); whether there is more."""
        body = {"device_id": self.device_id, "cursors": self.cursors, "count_total": first, "digests": DIGESTS}
        page = self._page("/sync/pull", body, "pull", "changes")
        if page is None:
            return False
        self.cursors = page["cursors"]
        return bool(page["has_more"])

    def _digests(self) -> bool:
        """One page of the digest feed (a client with a home province, after its pulls); whether there is more."""
        page = self._page("/sync/digests", {"device_id": self.device_id, "cursor": self.digest_cursor}, "digests",
                          "digests")
        if page is None:
            return False
        self.digest_cursor = page["cursor"]
        return bool(page["has_more"])

    def _page(self, path: str, body: dict[str, Any], kind: str, rows: str) -> dict[str, Any] | None:
        """POST one page, counted as "<kind>: changes" or "<kind>: nothing new" by whether its `rows` list is empty;
        None (a failure counted) unless 200."""
        with self.client.post(path, json=body, headers=self.headers, name=kind, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
                return None
            page: dict[str, Any] = answer.json()
            answer.request_meta["name"] = f"{kind}: changes" if page[rows] else f"{kind}: nothing new"
            return page
