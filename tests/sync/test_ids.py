"""UUIDv7 ids: version, variant, time and order."""

from __future__ import annotations

import time
import uuid

from sync.ids import uuid7, uuid7_time_ms


def test_version_variant_and_time() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    parsed = uuid.UUID(value)
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert before <= uuid7_time_ms(value) <= after + 1


def test_ids_are_unique_and_sorted_in_creation_order() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
