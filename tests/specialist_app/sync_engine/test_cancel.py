"""Cancel answers within 2 s in every phase, against the real server behind a slow or stalled link, and keeps
what was done: the next sync goes on from there."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from market_server.seed import load_records
from specialist_app.services import search
from specialist_app.services.attachments import add_attachment
from specialist_app.services.records import create
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import blobs, snapshot_publish
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.errors import SyncCancelled
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from sync.demo import achievements_only
from tests.market_server.conftest import achievement, add_rows, add_user, institution
from tests.specialist_app.sync_engine.slow_proxy import SlowProxy
from tests.specialist_app.sync_engine.test_blobs import Market, Token, market, png_bytes

__all__ = ["market"]  # the real server app on loopback (module-scoped fixture)

ANSWER_S = 2.0
CATALOG_ROWS = 1200


@pytest.fixture(scope="module")
def catalog(market: Market) -> int:
    rows = [("achievement", r) for r in itertools.islice(achievements_only(CATALOG_ROWS, seed=5), CATALOG_ROWS)]
    with market.engine.begin() as conn:
        load_records(conn, rows, "admin")
    return len(rows)


@pytest.fixture
def proxy(market: Market) -> Iterator[SlowProxy]:
    p = SlowProxy(market.url)
    yield p
    p.close()


class Device:
    """A store signed in through the slow proxy; `run` syncs on a thread and `cancel_when` cancels it."""

    def __init__(self, root: Path, market: Market, url: str, username: str) -> None:
        self.store: Store = open_store(root / "store.sqlite3")
        with UnitOfWork(self.store) as uow:
            self.device_id = meta.device_id(uow.conn)
        self.auth = Token(market.url, username, self.device_id)
        self.url = url
        self.phases: list[tuple[str, int, int | None]] = []

    def engine(self, **kw: Any) -> SyncEngine:
        return SyncEngine(self.store, Transport(self.url, auth=self.auth, max_attempts=2, base_delay_s=0.0), **kw)

    def sync(self, **kw: Any) -> SyncReport:
        return self.engine(**kw).run(lambda *step: self.phases.append(step))

    def cancel_during(self, reached: threading.Event, **kw: Any) -> tuple[SyncReport, float]:
        """Start a sync, cancel it once `reached` is set; (its report, seconds from the cancel to its end)."""
        cancel = threading.Event()
        out: list[SyncReport] = []
        engine = self.engine(**kw)
        worker = threading.Thread(target=lambda: out.append(engine.run(lambda *s: self.phases.append(s), cancel)))
        worker.start()
        assert reached.wait(30), self.phases[-3:]
        cancelled_at = time.monotonic()
        cancel.set()
        worker.join(30)
        took = time.monotonic() - cancelled_at
        engine.transport.close()
        assert out, "the run did not end"
        return out[0], took

    def scalar(self, sql: str) -> Any:
        with UnitOfWork(self.store) as uow:
            return uow.conn.exec_driver_sql(sql).scalar()


@pytest.fixture
def device(market: Market, proxy: SlowProxy, tmp_path: Path) -> Iterator[Any]:
    made: list[Device] = []

    def make(username: str, name: str = "device") -> Device:
        made.append(Device(tmp_path / name, market, proxy.url, username))
        return made[-1]

    yield make
    for d in made:
        d.store.close()


def _phase_event(dev: Device, phase: str) -> threading.Event:
    """Set once `dev` reports progress in `phase` with something done."""
    event = threading.Event()
    original = dev.phases.append

    class Watch(list[tuple[str, int, int | None]]):
        def append(self, step: tuple[str, int, int | None]) -> None:
            original(step)
            if step[0] == phase and step[1] > 0:
                event.set()

    watch = Watch()
    dev.phases = watch
    return event


def _assigned_user(market: Market) -> tuple[str, str]:
    row = institution()
    add_rows(market.engine, row)
    return add_user(market.engine, assigned=[row[1]["id"]]), str(row[1]["id"])


def test_cancel_during_a_page_pull_answers_at_once_and_the_next_sync_goes_on(
    market: Market, catalog: int, proxy: SlowProxy, device: Any
) -> None:
    user, _inst = _assigned_user(market)
    dev = device(user)
    proxy.slow = ("POST /sync/pull",)
    report, took = dev.cancel_during(_phase_event(dev, "pull"), pull_limit=200, use_snapshot=False)
    assert report.outcome == "cancelled" and took < ANSWER_S, (report.outcome, took)
    held = dev.scalar("SELECT count(*) FROM achievement")
    assert 0 < held < catalog
    # Every row held is at or below the catalog cursor: the page and its cursor committed together.
    assert dev.scalar("SELECT max(server_version) FROM achievement") <= dev.scalar(
        "SELECT cursor FROM sync_cursor WHERE bucket = 'catalog'")
    proxy.slow = ()
    assert dev.sync(pull_limit=2000, use_snapshot=False).ok
    assert dev.scalar("SELECT count(*) FROM achievement") >= catalog


@pytest.fixture(scope="module")
def own_rows(market: Market) -> tuple[str, str]:
    """An institution with an achievement whose price is confidential, in the catalog before it is published."""
    inst = institution()
    ach = achievement(inst[1]["id"], title="高效钙钛矿叠层电池", price=88.0, confidential_fields=["price"])
    add_rows(market.engine, inst, ach)
    return str(inst[1]["id"]), str(ach[1]["id"])


@pytest.fixture(scope="module")
def published(market: Market, catalog: int, own_rows: tuple[str, str],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The catalog's snapshot, published by an administrator."""
    admin = add_user(market.engine, role="admin")
    publisher = Device(tmp_path_factory.mktemp("publisher"), market, market.url, admin)
    transport = Transport(market.url, auth=publisher.auth)
    try:
        return snapshot_publish.publish(transport, publisher.device_id, publisher.store.path.parent / "publish")
    finally:
        transport.close()
        publisher.store.close()


def test_cancel_during_the_snapshot_download_keeps_the_part_and_the_next_sync_resumes_it(
    market: Market, published: dict[str, Any], proxy: SlowProxy, device: Any
) -> None:
    info = published
    user, _inst = _assigned_user(market)
    dev = device(user)
    proxy.slow = ("GET /catalog-snapshot/",)
    proxy.rate = 64_000
    report, took = dev.cancel_during(_phase_event(dev, "snapshot"), catalog="snapshot")
    assert report.outcome == "cancelled" and took < ANSWER_S, (report.outcome, took)
    parts = list(dev.store.path.parent.glob("*.snapshot.part"))
    assert len(parts) == 1 and 0 < parts[0].stat().st_size < info["size"]
    assert dev.scalar("SELECT count(*) FROM achievement") == 0
    proxy.slow = ()
    again = dev.sync()
    assert again.ok and again.snapshot_cursor == info["cursor"], again.as_dict("en")
    assert not list(dev.store.path.parent.glob("*.snapshot.part"))


def test_a_first_sync_brings_its_own_institutions_before_the_snapshot_and_keeps_them_whole(
    market: Market, published: dict[str, Any], own_rows: tuple[str, str], device: Any
) -> None:
    inst, ach = own_rows
    dev = device(add_user(market.engine, assigned=[inst]))
    report = dev.sync()
    assert report.ok and report.snapshot_cursor == published["cursor"], report.as_dict("en")
    phases = [phase for phase, done, _total in dev.phases if done > 0]
    assert phases.index("pull") < phases.index("snapshot")
    with UnitOfWork(dev.store) as uow:
        row = uow.conn.exec_driver_sql("SELECT price, masked FROM achievement WHERE id = ?", (ach,)).one()
        hits = [h.id for h in search.search(uow, "钙钛矿叠层", limit=10).hits]
    assert tuple(row) == (88.0, None)  # the full copy, not the snapshot's masked one
    assert hits == [ach]
    assert dev.scalar("SELECT count(*) FROM achievement") == published_rows(market)


def published_rows(market: Market) -> int:
    with market.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM achievement WHERE deleted = 0").scalar() or 0)


def test_on_a_slow_link_auto_gives_the_snapshot_up_for_pages_after_its_first_seconds(
    market: Market, catalog: int, published: dict[str, Any], proxy: SlowProxy, device: Any
) -> None:
    user, _inst = _assigned_user(market)
    dev = device(user)
    proxy.slow = ("GET /catalog-snapshot/",)
    proxy.rate = 32_000  # 256 kbit/s
    report = dev.sync()
    assert report.ok and report.snapshot_cursor is None, report.as_dict("en")
    assert dev.scalar("SELECT count(*) FROM achievement") >= catalog
    assert not list(dev.store.path.parent.glob("*.snapshot.part"))
    fetched = max(done for phase, done, _total in dev.phases if phase == "snapshot")
    assert fetched < published["size"]


def test_cancel_while_a_push_waits_for_its_answer_keeps_the_changes_for_the_next_sync(
    market: Market, proxy: SlowProxy, device: Any
) -> None:
    user, inst = _assigned_user(market)
    dev = device(user)
    assert dev.sync(use_snapshot=False).ok
    with UnitOfWork(dev.store) as uow:
        visits = [create(uow, "visit", {"institution_id": inst, "status": "planned"}) for _ in range(3)]
        uow.commit()
    proxy.stall = ("POST /sync/push",)
    report, took = dev.cancel_during(proxy.seen, use_snapshot=False)
    assert report.outcome == "cancelled" and took < ANSWER_S, (report.outcome, took)
    proxy.stall = ()
    assert dev.sync(use_snapshot=False).pushed == 3
    with market.engine.connect() as conn:
        ids = conn.exec_driver_sql("SELECT id FROM visit WHERE institution_id = ?", (inst,)).scalars().all()
    assert sorted(ids) == sorted(visits)


def test_cancel_during_an_upload_and_a_download_answers_at_once_and_both_resume(
    market: Market, proxy: SlowProxy, device: Any, tmp_path: Path
) -> None:
    user, inst = _assigned_user(market)
    dev = device(user)
    assert dev.sync(use_snapshot=False).ok
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(400_000, seed=3))
    with UnitOfWork(dev.store) as uow:
        visit = create(uow, "visit", {"institution_id": inst, "status": "planned"})
        uow.commit()
    sha = add_attachment(dev.store, "visit", visit, photo)[1].sha256
    proxy.slow = ("PATCH /blobs/",)
    report, took = dev.cancel_during(proxy.seen, use_snapshot=False)
    assert report.outcome == "cancelled" and took < ANSWER_S, (report.outcome, took)
    proxy.slow = ()
    assert dev.sync(use_snapshot=False).ok
    assert (market.blob_dir / sha[:2] / sha).read_bytes() == photo.read_bytes()

    other = device(user, "other")
    assert other.sync(use_snapshot=False).ok
    proxy.slow = ("GET /blobs/",)
    proxy.seen.clear()
    transport = Transport(proxy.url, auth=other.auth, max_attempts=2)
    cancel = threading.Event()
    failure: list[BaseException] = []

    def fetch() -> None:
        with transport.cancelled_by(cancel):
            try:
                blobs.fetch_blob(other.store, transport, sha)
            except SyncCancelled as exc:
                failure.append(exc)

    worker = threading.Thread(target=fetch)
    worker.start()
    assert proxy.seen.wait(30)
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(30)
    assert failure and time.monotonic() - cancelled_at < ANSWER_S
    proxy.slow = ()
    assert blobs.fetch_blob(other.store, transport, sha).read_bytes() == photo.read_bytes()
    transport.close()
