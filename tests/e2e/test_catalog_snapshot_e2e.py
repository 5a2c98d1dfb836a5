"""Catalog snapshots through a real `market-server serve`: an admin publishes with the CLI, new specialists install it.

A client that installs the snapshot must end with exactly the rows and search results of a client that pulled the
same catalog page by page, its own institution's records in full, and every change made after the snapshot.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from market_server.db import make_engine
from market_server.seed import load_records
from market_server.settings import Settings
from specialist_app.services import search
from specialist_app.store import catalog_snapshot
from sync.demo import achievements_only
from sync.ids import uuid7

QUERIES = ("电池", "材料", "光", "制备方法", "石墨烯散热")


def _load_catalog(world: Any, n: int) -> str:
    """`n` demo achievements, as an import would load them, plus one of the assigned institution with a
    confidential price; returns that one's id."""
    settings = Settings.from_env({"MARKET_DATA_DIR": str(world.market.root)})
    engine = make_engine(settings)
    mine = uuid7()
    rows = [("achievement", r) for r in itertools.islice(achievements_only(n, seed=11), n)]
    rows.append(("achievement", {"id": mine, "title": "高效钙钛矿电池", "institution_id": world.inst,
                                 "price": 88.0, "confidential_fields": ["price"]}))
    try:
        with engine.begin() as conn:
            load_records(conn, rows, "admin")
    finally:
        engine.dispose()
    return mine


def _publish(world: Any) -> dict[str, Any]:
    done = world.admin.cli("catalog-snapshot", "publish", "--json")
    assert done.returncode == 0, done.stderr
    info: dict[str, Any] = json.loads(done.stdout)
    return info


def _new_specialist(world: Any, name: str) -> Any:
    world.market.add_user(name)
    world.market.admin("assign", name, world.inst)
    client = world.client(f"{name}-pc")
    client.login(world.url, name)
    return client


def _catalog(client: Any) -> dict[str, list[tuple[Any, ...]]]:
    with client.uow() as uow:
        return {table: [tuple(r) for r in uow.conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY id')]
                for table in catalog_snapshot.CATALOG_TABLES}


def _searches(client: Any) -> dict[str, list[str]]:
    with client.uow() as uow:
        return {q: [h.id for h in search.search(uow, q, limit=1000).hits] for q in QUERIES}


@pytest.fixture(scope="module")
def published(world: Any) -> tuple[dict[str, Any], str, Any]:
    """A catalog, a snapshot of it, then a change after the snapshot; and a client that paged it all (reference)."""
    mine = _load_catalog(world, 150)
    info = _publish(world)
    assert world.admin.sync()["exit"] == 0  # the admin's own store gets the catalog to edit one of its rows
    later = world.admin.cli("record", "edit", "achievement", mine, "--values-json",
                            json.dumps({"title": "石墨烯散热膜"}))
    assert later.returncode == 0, later.stderr
    assert world.admin.sync()["exit"] == 0
    reference = _new_specialist(world, "paged")
    report = reference.sync("--no-snapshot")
    assert report["exit"] == 0 and report["snapshot_cursor"] is None, report
    return info, mine, reference


def test_a_new_specialist_installs_the_snapshot_and_ends_like_a_paged_pull(published: Any, world: Any) -> None:
    info, mine, reference = published
    assert info["format"] == catalog_snapshot.FORMAT and info["size"] > 0
    carol = _new_specialist(world, "carol")
    report = carol.sync()
    assert report["exit"] == 0, report
    assert report["snapshot_cursor"] == info["cursor"]
    assert _catalog(carol) == _catalog(reference)
    assert _searches(carol) == _searches(reference)
    assert _searches(carol)["石墨烯散热"] == [mine]  # changed after the snapshot: arrived by paging
    row = carol.get("achievement", mine)
    assert row is not None and row["price"] == 88.0  # her institution's record in full, not the masked copy
    assert not list(carol.store_path.parent.glob("*.snapshot*"))  # no download or work file left behind


def test_a_download_cut_off_earlier_is_resumed(published: Any, world: Any) -> None:
    info, _mine, reference = published
    dave = _new_specialist(world, "dave")
    stored = world.market.root / "blobs" / "snapshots"
    whole = next(p for p in stored.iterdir() if p.name.startswith(info["sha256"])).read_bytes()
    part = dave.store_path.with_name(f"{dave.store_path.name}.{info['sha256'][:16]}.snapshot.part")
    part.write_bytes(whole[: len(whole) // 2])
    report = dave.sync()
    assert report["exit"] == 0 and report["snapshot_cursor"] == info["cursor"], report
    assert _catalog(dave) == _catalog(reference)
    assert not part.exists()


def test_a_damaged_snapshot_is_not_installed_and_the_catalog_comes_page_by_page(
    published: Any, world: Any
) -> None:
    info, _mine, reference = published
    stored = next(p for p in (world.market.root / "blobs" / "snapshots").iterdir()
                  if p.name.startswith(info["sha256"]))
    whole = stored.read_bytes()
    stored.write_bytes(whole[:1000] + bytes(200) + whole[1200:])
    try:
        erin = _new_specialist(world, "erin")
        report = erin.sync()
    finally:
        stored.write_bytes(whole)
    assert report["exit"] == 0 and report["snapshot_cursor"] is None, report
    assert _catalog(erin) == _catalog(reference)
    assert _searches(erin) == _searches(reference)


def test_publishing_needs_an_administrator(published: Any, world: Any) -> None:
    _info, _mine, reference = published
    done = reference.cli("catalog-snapshot", "publish")
    assert done.returncode == 1
    assert "not allowed" in done.stderr or "permission" in done.stderr.lower(), done.stderr
    in_chinese = reference.cli("catalog-snapshot", "publish", lang="zh_CN")
    assert in_chinese.returncode == 1 and "权限" in in_chinese.stderr, in_chinese.stderr


def test_the_sync_command_says_the_catalog_came_as_a_snapshot(published: Any, world: Any) -> None:
    info, _mine, _reference = published
    fay = _new_specialist(world, "fay")
    done = fay.cli("sync", lang="zh_CN")
    assert done.returncode == 0, done.stderr
    assert f"已安装大市场目录快照（版本 {info['cursor']}）" in done.stdout, done.stdout
    again = fay.cli("sync")
    assert again.returncode == 0 and "snapshot" not in again.stdout, again.stdout
