"""Digest snapshots through a real `market-server serve` (MARKET_HOME_PROVINCE=22): an administrator publishes
Jilin's with `catalog-snapshot publish --province 22`; a new Jilin specialist installs it and must end with exactly
the rows, digests, cursors and search results of one who synced page by page, with their own institutions' records
in full (one in Jilin, one in Beijing) and every change made after the snapshot. A specialist of another province
is never given it and pages instead."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from market_server import versions
from market_server.db import make_engine
from market_server.seed import load_records
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES
from specialist_app.services import search
from specialist_app.store import catalog_snapshot
from sync.demo import achievements_only
from sync.ids import uuid7
from tests.e2e.conftest import Client, Market

QUERIES = ("电池", "材料", "光", "制备方法", "石墨烯散热", "隔膜", "吉林", "北京")


@pytest.fixture(scope="module")
def jilin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("jilin-market"), env={"MARKET_HOME_PROVINCE": "22"})
    yield server
    server.stop()


def _engine(market: Market) -> Any:
    return make_engine(Settings.from_env({"MARKET_DATA_DIR": str(market.root)}))


def _load(market: Market) -> dict[str, str]:
    """Four Jilin and four Beijing institutions, 160 demo achievements over them (some with a confidential
    price), a demand in each province; two of the institutions (one per province) will be the specialists'."""
    ids = {"jl": [uuid7() for _ in range(4)], "bj": [uuid7() for _ in range(4)]}
    rows: list[tuple[str, dict[str, Any]]] = []
    for n, i in enumerate(ids["jl"]):
        rows.append(("institution", {"id": i, "name": f"吉林第{n}研究院", "org_type": "institute",
                                     "region_code": "220102", "status": "active"}))
    for n, i in enumerate(ids["bj"]):
        rows.append(("institution", {"id": i, "name": f"北京第{n}研究院", "org_type": "institute",
                                     "region_code": "110108", "status": "active"}))
    owners = [*ids["jl"], *ids["bj"]]
    for n, r in enumerate(itertools.islice(achievements_only(160, seed=17), 160)):
        r["institution_id"] = owners[n % len(owners)]
        if n % 5 == 0:
            r |= {"price": 10.0 + n, "price_mode": "fixed", "confidential_fields": ["price"]}
        rows.append(("achievement", r))
    mine_bj, mine_jl = uuid7(), uuid7()
    rows += [("achievement", {"id": mine_bj, "title": "高效钙钛矿电池", "institution_id": ids["bj"][0], "price": 88.0,
                              "price_mode": "fixed", "confidential_fields": ["price"]}),
             ("achievement", {"id": mine_jl, "title": "玉米秸秆电池材料", "institution_id": ids["jl"][0],
                              "price": 66.0, "price_mode": "fixed", "confidential_fields": ["price"]}),
             ("demand", {"id": uuid7(), "title": "北京电池隔膜需求", "institution_id": ids["bj"][1],
                         "demand_type": "tech", "budget": 5.0}),
             ("demand", {"id": uuid7(), "title": "吉林电池材料需求", "institution_id": ids["jl"][1],
                         "demand_type": "tech", "budget": 7.0})]
    engine = _engine(market)
    try:
        with engine.begin() as conn:
            load_records(conn, rows, "admin")
    finally:
        engine.dispose()
    return {"bj": ids["bj"][0], "jl": ids["jl"][0], "mine_bj": mine_bj, "mine_jl": mine_jl,
            "other_bj": next(r["id"] for e, r in rows if e == "achievement" and r["institution_id"] == ids["bj"][2]),
            "other_jl": next(r["id"] for e, r in rows if e == "achievement" and r["institution_id"] == ids["jl"][2])}


def _retitle(market: Market, row_id: str, title: str) -> None:
    engine = _engine(market)
    try:
        table = ENTITY_TABLES["achievement"]
        with engine.begin() as conn:
            version = versions.allocate(conn, 1)
            conn.execute(table.update().where(table.c.id == row_id).values(title=title, version=version))
    finally:
        engine.dispose()


def _specialist(market: Market, tmp: Path, name: str, w: dict[str, str]) -> Client:
    market.add_user(name)
    market.admin("assign", name, w["bj"])
    market.admin("assign", name, w["jl"])
    client = Client(tmp / name, tmp / f"{name}.keyring.json")
    client.login(market.url, name)
    return client


def _state(client: Client) -> dict[str, Any]:
    """Every catalog and digest row, the cursors, and the search results (with their digest marks and scores)."""
    with client.uow() as uow:
        tables = {t: [tuple(r) for r in uow.conn.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY id')]
                  for t in (*catalog_snapshot.CATALOG_TABLES, *catalog_snapshot.DIGEST_TABLES)}
        cursors = [tuple(r) for r in uow.conn.exec_driver_sql("SELECT * FROM sync_cursor ORDER BY bucket")]
        digest_cursor = uow.conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'digest_cursor'").scalar()
        hits = {q: [(h.id, h.digest_province, round(h.score, 9)) for h in search.search(uow, q, limit=1000).hits]
                for q in QUERIES}
    return {"tables": tables, "cursors": cursors, "digest_cursor": digest_cursor, "hits": hits}


@pytest.fixture(scope="module")
def published(jilin: Market, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A national catalog, Jilin's digest snapshot of it, then changes after the snapshot in both provinces; and
    a specialist who synced it all page by page (the reference)."""
    tmp = tmp_path_factory.mktemp("clients")
    w = _load(jilin)
    jilin.add_user("admin", "admin")
    admin = Client(tmp / "admin", tmp / "admin.keyring.json")
    admin.login(jilin.url, "admin")
    done = admin.cli("catalog-snapshot", "publish", "--province", "22", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    _retitle(jilin, w["other_bj"], "石墨烯散热隔膜")  # a digest changed after the snapshot
    _retitle(jilin, w["other_jl"], "石墨烯散热膜片")  # a province record changed after it
    reference = _specialist(jilin, tmp, "paged", w)
    report = reference.sync("--no-snapshot")
    assert report["exit"] == 0 and report["snapshot_cursor"] is None and report["digests"] > 50, report
    return {"info": info, "w": w, "reference": reference, "tmp": tmp}


def test_a_new_specialist_installs_it_and_ends_like_a_paged_sync(published: dict[str, Any], jilin: Market) -> None:
    info, w, reference = published["info"], published["w"], published["reference"]
    assert info["province"] == "22" and info["format"] == catalog_snapshot.FORMAT and info["size"] > 0
    carol = _specialist(jilin, published["tmp"], "carol", w)
    report = carol.sync()
    assert report["exit"] == 0 and report["snapshot_cursor"] is not None, report
    mine, paged = _state(carol), _state(reference)
    assert mine["tables"]["catalog_digest"] and mine["hits"]["电池"]
    for table, rows in paged["tables"].items():
        assert mine["tables"][table] == rows, table
    assert mine["cursors"] == paged["cursors"] and mine["digest_cursor"] == paged["digest_cursor"]
    for query, hits in paged["hits"].items():  # the same hits with the same scores, in the same order of score
        assert sorted(mine["hits"][query]) == sorted(hits), query  # (ties go newest indexed first: the own
        assert [h[2] for h in mine["hits"][query]] == [h[2] for h in hits], query  # rows came later here)
    changed = {h[0] for h in mine["hits"]["石墨烯散热"]}
    assert {w["other_bj"], w["other_jl"]} <= changed  # changed after the snapshot: arrived
    for own in ("mine_bj", "mine_jl"):  # her institutions' records in full (one of them in Beijing), no digest
        row = carol.get("achievement", w[own])
        assert row is not None and row["price"] in (88.0, 66.0), own
        assert carol.scalar("SELECT count(*) FROM catalog_digest WHERE id = ?", w[own]) == 0
    assert not list(carol.store_path.parent.glob("*.snapshot*"))  # no download or work file left behind


def test_another_province_is_not_given_it_and_pages(published: dict[str, Any], jilin: Market) -> None:
    tmp = published["tmp"]
    jilin.add_user("dora")
    jilin.admin("user", "province", "dora", "11")
    dora = Client(tmp / "dora", tmp / "dora.keyring.json")
    dora.login(jilin.url, "dora")
    report = dora.sync()
    assert report["exit"] == 0 and report["snapshot_cursor"] is None and report["digests"] > 50, report
    assert dora.get("achievement", published["w"]["other_bj"]) is not None  # Beijing in full: not Jilin's file
    assert dora.scalar("SELECT count(*) FROM catalog_digest WHERE province = '11'") == 0
