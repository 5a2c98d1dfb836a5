"""Push on the wire: the PushRequest body, batch sizes from the measured upload speed, a local answer for an
entry the server could not read. The outbox side is services/push_outbox.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from specialist_app.services.push_outbox import OutboxEntry
from specialist_app.sync_engine.link import Throughput
from sync.protocol import MAX_PUSH_BODY_BYTES

BATCH_SECONDS = 5.0  # a push batch's target time on the wire


def build_request(device: str, entries: Sequence[OutboxEntry]) -> dict[str, Any]:
    """The PushRequest body."""
    return {"device_id": device, "mutations": [e.as_mutation() for e in entries]}


def batch_bytes(meter: Throughput) -> int:
    """How many stored bytes a batch may carry: about BATCH_SECONDS of the measured upload speed once the body is
    compressed (text shrinks ~3x with zstd), within the server's cap; a modest size before anything was measured.
    Small batches on a slow link keep the seconds a cut batch costs low; large ones on a fast link save round trips."""
    ceiling = MAX_PUSH_BODY_BYTES // 2
    return meter.body_bytes(seconds=BATCH_SECONDS * 3, floor=16 * 1024, ceiling=ceiling,
                                           unknown=256 * 1024)


def refused_result(entry: OutboxEntry, detail: str) -> dict[str, Any]:
    """A local 'rejected' answer for an entry the server could not read at all (request-level 4xx)."""
    return {
        "seq": entry.seq,
        "entity": entry.entity,
        "id": entry.row_id,
        "outcome": "rejected",
        "reason": "unreadable",
        "message": detail or None,
    }
