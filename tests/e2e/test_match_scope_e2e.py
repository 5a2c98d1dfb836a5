"""A match record (对接记录) reaches the specialists of both its institutions, through a real server process: carol
(the demand's enterprise) makes it, dave (assigned only the achievement's university) pulls it, may change it, and
loses it when the university is taken from him (issue #15.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import account
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import open_store
from sync.entities import MATCH
from tests.e2e.conftest import Client, Market


def _client(tmp: Path, market: Market, name: str) -> Client:
    market.add_user(name)
    client = Client(tmp / f"{name}-pc", tmp / f"{name}.keyring.json")
    client.login(market.url, name)
    return client


def _synced(client: Client) -> dict[str, Any]:
    report = client.sync()
    assert report["exit"] == 0, report
    return report


def _refusal(client: Client, username: str, row: dict[str, Any]) -> object:
    store = open_store(client.store_path)
    try:
        with ReadUnitOfWork(store) as uow:
            return account.write_refusal(uow, account.load(uow, username), MATCH, row)
    finally:
        store.close()


def test_the_achievements_specialist_receives_a_match_and_edits_it(
    tmp_path_factory: pytest.TempPathFactory, market: Market
) -> None:
    tmp = tmp_path_factory.mktemp("match_scope")
    market.add_user("matcher_admin", "admin")
    admin = Client(tmp / "admin-pc", tmp / "admin.keyring.json")
    admin.login(market.url, "matcher_admin")
    enterprise = admin.create("institution", {"name": "长春光谱仪器有限公司", "org_type": "enterprise"})
    university = admin.create("institution", {"name": "吉林工学院", "org_type": "university"})
    demand = admin.create("demand", {"institution_id": enterprise, "title": "微型光谱仪生产线智能化改造",
                                     "demand_type": "tackling"})
    achievement = admin.create("achievement", {"institution_id": university, "title": "光谱仪在线标定技术"})
    _synced(admin)
    carol, dave = _client(tmp, market, "carol"), _client(tmp, market, "dave")
    market.admin("assign", "carol", enterprise)
    market.admin("assign", "dave", university)
    _synced(carol)
    _synced(dave)

    match = carol.create("match_record", {"demand_id": demand, "achievement_id": achievement,
                                          "source": "specialist", "stage": "recommended",
                                          "recommended_on": "2026-12-01"})
    assert _synced(carol)["rejected"] == 0
    assert dave.get("match_record", match) is None
    _synced(dave)
    got = dave.get("match_record", match)
    assert got is not None and got["demand_id"] == demand and got["achievement_id"] == achievement
    assert _refusal(dave, "dave", got) is None  # his app offers the edit: the achievement's university is his

    dave.update("match_record", match, {"stage": "negotiating", "negotiated_on": "2026-12-02",
                                        "notes": "高校同意派团队到企业现场"})
    report = _synced(dave)
    assert (report["pushed"], report["rejected"], report["conflicts"]) == (1, 0, 0), report
    _synced(carol)
    seen = carol.get("match_record", match)
    assert seen is not None and seen["stage"] == "negotiating" and seen["notes"] == "高校同意派团队到企业现场"

    market.admin("unassign", "dave", university)
    _synced(dave)
    assert dave.get("match_record", match) is None  # neither of its institutions is his any more
