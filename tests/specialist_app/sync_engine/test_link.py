"""Bodies cross a slow link whatever their size (progress deadline, not a total one), compressed, sized by speed;
a file that cannot be sent never holds back records. Real server on loopback, through the shaping proxy."""

from __future__ import annotations

import random
import string
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services.attachments import add_attachment
from specialist_app.services.records import create
from specialist_app.services.uow import UnitOfWork
from specialist_app.sync_engine import blobs, push
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.link import Throughput
from specialist_app.sync_engine.transport import Transport
from sync.protocol import MAX_PUSH_BODY_BYTES
from tests.reliability.shaping_proxy import Shape, ShapingProxy
from tests.specialist_app.sync_engine import test_blobs
from tests.specialist_app.sync_engine.cutting_proxy import CuttingProxy
from tests.specialist_app.sync_engine.test_blobs import Market, png_bytes

KIB = 1024
market, make_device, visit_of = test_blobs.market, test_blobs.make_device, test_blobs.visit_of  # the same fixtures


@pytest.fixture
def slow(market: Market) -> Iterator[ShapingProxy]:
    proxy = ShapingProxy(market.url, Shape(up_kbps=2000, delay_ms=20))
    yield proxy
    proxy.close()


def _small_connect_timeout(device: Any) -> None:
    device.transport.timeout = (0.3, 30.0)  # far shorter than any body below takes to send


def test_an_upload_slower_than_the_connect_timeout_arrives(
    slow: ShapingProxy, make_device: Any, visit_of: Any, tmp_path: Path
) -> None:
    user, inst = visit_of()
    alice = make_device(user, slow.url)
    _small_connect_timeout(alice)
    alice.sync()
    with UnitOfWork(alice.store) as uow:
        visit = create(uow, "visit", {"institution_id": inst, "status": "planned"})
        uow.commit()
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(600 * KIB, seed=7))
    _row, info = add_attachment(alice.store, "visit", visit, photo)
    slow.stall(0.8)  # no byte moves for longer than the connect timeout, too
    start = time.monotonic()
    sent = blobs.upload_blob(alice.transport, info.sha256, photo, chunk_size=600 * KIB)
    took = time.monotonic() - start
    assert sent == 600 * KIB
    assert took > 2.0  # 600 KB at 2 Mbit/s: the link really was slower than the connect timeout many times over
    assert blobs.server_offset(alice.transport, info.sha256) == (600 * KIB, True)
    measured = alice.transport.throughput.up_bytes_per_s
    assert measured is not None and measured < 2000 * 1000 / 8 * 1.2


def test_a_push_batch_that_takes_seconds_to_send_arrives_compressed(
    slow: ShapingProxy, make_device: Any, visit_of: Any
) -> None:
    user, inst = visit_of()
    alice = make_device(user, slow.url)
    _small_connect_timeout(alice)
    alice.sync()
    rng = random.Random(3)
    with UnitOfWork(alice.store) as uow:
        for _ in range(250):  # random letters: zstd still leaves ~60 % of them
            notes = "".join(rng.choices(string.ascii_letters, k=5000))
            create(uow, "visit", {"institution_id": inst, "status": "planned", "notes": notes})
        uow.commit()
    fresh = Transport(slow.url, auth=alice.transport.auth, max_attempts=1, connect_timeout_s=0.3)
    assert not fresh.server_reads_zstd  # a new run's transport learns it before its first large body
    before = slow.bytes_up
    start = time.monotonic()
    try:
        report = SyncEngine(alice.store, fresh, push_batch=500).run()
    finally:
        fresh.close()
    assert report.ok and report.pushed == 250, report.as_dict("en")
    assert time.monotonic() - start > 1.0
    assert fresh.server_reads_zstd
    assert slow.bytes_up - before < 250 * 5000 * 0.8  # compressed on the wire


def test_a_file_that_cannot_be_sent_does_not_hold_back_a_colleagues_visit(
    market: Market, make_device: Any, tmp_path: Path
) -> None:
    from tests.market_server.conftest import add_rows, add_user, institution

    row = institution()
    add_rows(market.engine, row)
    inst = str(row[1]["id"])
    cutter = CuttingProxy(market.url)
    try:
        alice = make_device(add_user(market.engine, assigned=[inst]), cutter.url)
        bob = make_device(add_user(market.engine, assigned=[inst]))
        alice.sync()
        with UnitOfWork(alice.store) as uow:
            visit = create(uow, "visit", {"institution_id": inst, "status": "planned"})
            uow.commit()
        photo = tmp_path / "photo.png"
        photo.write_bytes(png_bytes(100 * KIB, seed=9))
        add_attachment(alice.store, "visit", visit, photo)
        bob.sync()
        with UnitOfWork(bob.store) as uow:
            bobs = create(uow, "visit", {"institution_id": inst, "status": "planned", "notes": "colleague"})
            uow.commit()
        bob.sync()
        cutter.cut_patch_from = 0  # every upload chunk of alice's is cut off half-way
        report = SyncEngine(alice.store, alice.transport).run()
        assert report.ok and report.outcome == "partial" and report.blobs_failed == 1, report.as_dict("en")
        assert report.pulled >= 1 and report.error_code is None  # not "cannot reach the server"
        with UnitOfWork(alice.store) as uow:
            assert uow.conn.exec_driver_sql("SELECT count(*) FROM visit WHERE id = ?", (bobs,)).scalar() == 1
            assert uow.conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 0
        summary = blobs.pending_summary(alice.store)
        assert (summary["pending_files"], summary["pending_file_bytes"]) == (1, 100 * KIB)
        assert summary["files"][0]["state"] == "failed" and summary["files"][0]["reason"] == "network_unavailable"
        cutter.cut_patch_from = None
        again = SyncEngine(alice.store, alice.transport).run()
        assert again.ok and again.outcome == "ok" and again.blobs_uploaded == 1
        assert blobs.pending_summary(alice.store)["pending_files"] == 0
    finally:
        cutter.close()


def test_chunks_follow_the_measured_speed() -> None:
    meter = Throughput()
    sizes = {"floor": 64 * KIB, "ceiling": 4096 * KIB, "unknown": 256 * KIB, "seconds": 8.0}
    assert meter.body_bytes(**sizes) == 256 * KIB  # type: ignore[arg-type]
    meter.record_upload(320 * KIB, 10.0)  # 256 kbit/s
    assert meter.body_bytes(**sizes) == 256 * KIB  # type: ignore[arg-type]
    slow_batch = push.batch_bytes(meter)  # push batches: ~5 s on the wire once compressed (~3x)
    assert slow_batch == int(320 * KIB / 10.0 * push.BATCH_SECONDS * 3)
    for _ in range(8):
        meter.record_upload(8192 * KIB, 1.0)  # a fast link
    assert meter.body_bytes(**sizes) == 4096 * KIB  # type: ignore[arg-type]
    assert push.batch_bytes(meter) == MAX_PUSH_BODY_BYTES // 2 > slow_batch  # within the server's cap
    assert push.batch_bytes(Throughput()) == 256 * KIB  # nothing measured yet
