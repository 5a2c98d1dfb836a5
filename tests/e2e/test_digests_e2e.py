"""The province in full, the nation as digests, through a real `market-server serve` (MARKET_HOME_PROVINCE=22) and
the `specialist-app` CLI: a first sync holds Jilin's catalog in full and Beijing's as searchable digests; opening a
digest reads the full record once and keeps it; offline it says the full text comes when online; a change elsewhere
arrives as a new digest at the next sync."""

from __future__ import annotations

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
from sync.ids import uuid7
from tests.e2e.conftest import Client, Market


@pytest.fixture(scope="module")
def jilin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("jilin-market"), env={"MARKET_HOME_PROVINCE": "22"})
    yield server
    server.stop()


def _load(market: Market, *records: tuple[str, dict[str, Any]]) -> None:
    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(market.root)}))
    try:
        with engine.begin() as conn:
            load_records(conn, list(records), "admin")
    finally:
        engine.dispose()


def _client(tmp: Path, market: Market, name: str) -> Client:
    market.add_user(name)
    client = Client(tmp / name, tmp / f"{name}.keyring.json")
    client.login(market.url, name)
    return client


def _hits(client: Client, query: str) -> list[tuple[str, str | None]]:
    with client.uow() as uow:
        return [(h.id, h.digest_province) for h in search.search(uow, query, entities=["achievement"]).hits]


def test_first_sync_digests_open_and_later_changes(jilin: Market, tmp_path: Path) -> None:
    jl, bj = uuid7(), uuid7()
    jl_ach, bj_ach, ip = uuid7(), uuid7(), uuid7()
    _load(jilin,
          ("institution", {"id": jl, "name": "吉林大学", "org_type": "university", "region_code": "220102",
                           "status": "active"}),
          ("institution", {"id": bj, "name": "北京催化研究院", "org_type": "institute", "region_code": "110108",
                           "status": "active"}),
          ("achievement", {"id": jl_ach, "title": "玉米秸秆催化转化技术", "institution_id": jl,
                           "summary": "吉林省的成果简介"}),
          ("achievement", {"id": bj_ach, "title": "高效催化材料制备技术", "institution_id": bj, "trl": 6,
                           "keywords": ["纳米催化"], "summary": "北京的成果简介，全文在服务器上", "price": 50.0,
                           "price_mode": "fixed", "confidential_fields": ["price"]}),
          ("ip_item", {"id": ip, "achievement_id": bj_ach, "kind": "invention", "title": "一种催化剂"}))
    carol = _client(tmp_path, jilin, "carol")
    report = carol.sync()
    assert report["exit"] == 0, report
    assert report["digests"] >= 2 and report["snapshot_cursor"] is None
    assert carol.scalar("SELECT count(*) FROM achievement WHERE id = ?", jl_ach) == 1
    assert carol.scalar("SELECT count(*) FROM achievement WHERE id = ?", bj_ach) == 0  # only its digest
    assert carol.scalar("SELECT count(*) FROM ip_item") == 0
    assert sorted(_hits(carol, "催化")) == sorted([(jl_ach, None), (bj_ach, "11")])

    offline = carol.cli("digest", "show", bj_ach, "--offline", lang="zh_CN")
    assert offline.returncode == 3 and "全文需联网后获取" in offline.stdout, offline
    shown = carol.cli("digest", "show", bj_ach, "--json")
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    assert record["full"]["summary"] == "北京的成果简介，全文在服务器上" and "price" not in record["full"]
    assert [c["id"] for c in record["children"]] == [ip]
    jilin.stop()  # the full record is kept: it opens offline now
    try:
        again = carol.cli("digest", "show", bj_ach, "--json")
        assert again.returncode == 0 and json.loads(again.stdout)["full"]["summary"].startswith("北京")
    finally:
        jilin.start()

    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(jilin.root)}))
    try:
        table = ENTITY_TABLES["achievement"]
        with engine.begin() as conn:
            version = versions.allocate(conn, 1)
            conn.execute(table.update().where(table.c.id == bj_ach).values(title="新型锂电池隔膜", version=version))
    finally:
        engine.dispose()
    later = carol.sync()
    assert later["exit"] == 0 and later["digests"] == 1, later
    assert _hits(carol, "隔膜") == [(bj_ach, "11")] and _hits(carol, "高效") == []  # the old title is gone
    assert carol.scalar("SELECT full_record FROM catalog_digest WHERE id = ?", bj_ach) is None  # read again
    nothing = carol.sync()
    assert nothing["exit"] == 0 and nothing["digests"] == 0


def test_an_institution_moved_to_another_province_moves_between_full_and_digest(jilin: Market, tmp_path: Path) -> None:
    moving, moving_ach, ip = uuid7(), uuid7(), uuid7()
    _load(jilin,
          ("institution", {"id": moving, "name": "长春储能研究所", "org_type": "institute", "region_code": "220102",
                           "status": "active"}),
          ("achievement", {"id": moving_ach, "title": "钠离子电池储能系统", "institution_id": moving,
                           "summary": "长春的成果全文"}),
          ("ip_item", {"id": ip, "achievement_id": moving_ach, "kind": "invention", "title": "一种储能电池"}))
    dana = _client(tmp_path, jilin, "dana")  # a Jilin specialist
    erin = _client(tmp_path, jilin, "erin")
    jilin.admin("user", "province", "erin", "11")  # a Beijing specialist
    assert dana.sync()["exit"] == 0 and erin.sync()["exit"] == 0
    assert dana.scalar("SELECT count(*) FROM achievement WHERE id = ?", moving_ach) == 1
    assert _hits(erin, "钠离子电池") == [(moving_ach, "22")]

    jilin.add_user("ops", role="admin")
    ops = Client(tmp_path / "ops", tmp_path / "ops.keyring.json")
    ops.login(jilin.url, "ops")
    assert ops.sync()["exit"] == 0
    ops.update("institution", moving, {"region_code": "110105"})  # it moved to Beijing
    pushed = ops.sync()
    assert pushed["exit"] == 0, pushed

    assert dana.sync()["exit"] == 0  # Jilin: its full copies give way to digests, its IP items go
    assert dana.scalar("SELECT count(*) FROM achievement WHERE id = ?", moving_ach) == 0
    assert dana.scalar("SELECT count(*) FROM institution WHERE id = ?", moving) == 0
    assert dana.scalar("SELECT count(*) FROM ip_item WHERE id = ?", ip) == 0
    assert _hits(dana, "钠离子电池") == [(moving_ach, "11")]
    assert erin.sync()["exit"] == 0  # Beijing: now in full, no longer a digest
    assert erin.scalar("SELECT count(*) FROM achievement WHERE id = ?", moving_ach) == 1
    assert _hits(erin, "钠离子电池") == [(moving_ach, None)]  # found as the full record, its full text too
    assert _hits(erin, "长春的成果全文") == [(moving_ach, None)]
