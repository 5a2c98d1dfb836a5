"""Many sync rounds from three devices through a proxy that drops, resets, cuts and fails requests at random.

Afterwards, every device synced over a clean link holds exactly the server's rows for its scope; every edit a
user made is on the server, superseded by an edit made on top of it, or listed as a conflict or rejection; and
nothing is on the server twice.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from faultproxy import FaultProxy
from harness import (
    SCALE,
    Device,
    Ledger,
    ServerDB,
    check_no_loss,
    differences,
    random_edit,
    record_figures,
    seeded,
    settle,
)

from tests.reliability.conftest import make_team, password

ROUNDS = 12 * SCALE


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 29])
def test_sync_rounds_through_a_faulty_link_lose_and_duplicate_nothing(
    market: Any, tmp_path: Path, seed: int
) -> None:
    team = make_team(market, f"fp{seed}")
    proxy = FaultProxy(market.url, seed=seeded(seed), fault_rate=0.35)
    specialists = sorted(team.scopes)
    users = [*specialists, *specialists[:2]]  # 5 devices: s1 and s2 each also have a second laptop
    devices = [Device(f"d{i}", tmp_path / f"d{i}.sqlite3", market.url, user, password(user))
               for i, user in enumerate(users)]
    rng = random.Random(seeded(seed))
    ledger = Ledger()
    outcomes: dict[str, int] = {}
    try:
        for device in devices:  # a first clean sync: every device knows its institutions
            assert device.sync(market.url).ok
        for _round in range(ROUNDS):
            for device, user in zip(devices, users, strict=True):
                for _ in range(rng.randint(0, 4)):
                    random_edit(rng, device, ledger, sorted(team.scopes[user]))
            for device in rng.sample(devices, len(devices)):
                report = device.sync(proxy.url, max_attempts=rng.randint(1, 4))
                outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1
                assert report.error_code in (None, "network_unavailable", "server_error"), report
        proxy.enabled = False
        for _ in range(2):  # clean link: everything pushed, then everything pulled everywhere
            for device in devices:
                report = device.sync(proxy.url)
                assert report.ok, report
        server = ServerDB(f"sqlite:///{team.db_path}")
        try:
            everything = set(team.institutions.values())
            verdict = check_no_loss(ledger, server.contacts(everything), devices)
            for device in devices:
                assert device.outbox_size() == 0
                assert device.integrity() == "ok"
            assert verdict.lost == [] and verdict.duplicated == []
            settle(devices, market.url)
            for device, user in zip(devices, users, strict=True):
                assert differences(device, server.live_contacts(team.scopes[user]), team.scopes[user]) == []
        finally:
            server.close()
        record_figures("fault_proxy", seed=seed, rounds=ROUNDS, requests=proxy.requests,
                       faults=proxy.faults_injected, by_fault=dict(proxy.injected), edits=len(ledger.edits),
                       outcomes=outcomes, lost=len(verdict.lost), duplicated=len(verdict.duplicated))
        assert proxy.faults_injected > ROUNDS  # the link really was bad
    finally:
        proxy.close()
        for device in devices:
            device.close()
