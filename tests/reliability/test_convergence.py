"""Convergence property test: devices edit shared records offline and sync in random orders, some syncs cut off.

Whatever hypothesis chooses, after a final clean sync every device holds the server's rows, and every edit a
user made is on the server, superseded by an edit made on top of it, or listed as a conflict or rejection.
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
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.reliability.conftest import make_team, password

EXAMPLES = 6 * SCALE
STEPS = 14
_run: dict[str, int] = {"examples": 0, "steps": 0, "interrupted": 0}


@pytest.mark.slow
def test_devices_converge_whatever_the_order_of_edits_syncs_and_interruptions(market: Any, tmp_path: Path) -> None:
    proxy = FaultProxy(market.url, seed=1, fault_rate=0.5, faults=("drop_after", "cut_body", "reset_before"))

    class Devices(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            _run["examples"] += 1
            n = _run["examples"]
            self.team = make_team(market, f"hy{n}-")
            s1, s2, _s3 = sorted(self.team.scopes)
            self.shared = self.team.scopes[s1] & self.team.scopes[s2]
            # Two laptops of the same specialist and one of a colleague, all on institution A.
            self.users = [s1, s2, s2]
            self.devices = [Device(f"h{n}d{i}", tmp_path / f"h{n}d{i}.sqlite3", market.url, u, password(u))
                            for i, u in enumerate(self.users)]
            self.ledger = Ledger()
            for device in self.devices:
                assert device.sync(market.url).ok

        # A seed, not st.randoms(): how many numbers an edit draws depends on the device's rows, and hypothesis
        # must see the same draws whenever it replays a prefix of steps (else FlakyStrategyDefinition).
        @rule(who=st.integers(0, 2), seed=st.integers(0, 2**32 - 1), count=st.integers(1, 4))
        def edit_offline(self, who: int, seed: int, count: int) -> None:
            _run["steps"] += 1
            rnd = random.Random(seeded(seed))
            for _ in range(count):
                random_edit(rnd, self.devices[who], self.ledger, sorted(self.shared))

        @rule(who=st.integers(0, 2))
        def sync(self, who: int) -> None:
            _run["steps"] += 1
            assert self.devices[who].sync(market.url).ok

        @rule(who=st.integers(0, 2), seed=st.integers(0, 10**6))
        def sync_through_a_link_that_drops_answers(self, who: int, seed: int) -> None:
            _run["steps"] += 1
            proxy.reseed(seeded(seed))
            report = self.devices[who].sync(proxy.url, max_attempts=1)
            _run["interrupted"] += not report.ok
            assert report.error_code in (None, "network_unavailable", "server_error"), report

        @rule(who=st.integers(0, 2), after=st.integers(1, 4))
        def cancel_mid_sync(self, who: int, after: int) -> None:
            _run["steps"] += 1
            report = self.devices[who].sync(market.url, pull_limit=2, push_batch=2, cancel_after=after)
            _run["interrupted"] += not report.ok
            assert report.error_code in (None, "sync_cancelled"), report

        def teardown(self) -> None:
            if not hasattr(self, "devices"):
                return
            try:
                for _ in range(2):
                    for device in self.devices:
                        assert device.sync(market.url).ok
                server = ServerDB(f"sqlite:///{self.team.db_path}")
                try:
                    verdict = check_no_loss(self.ledger, server.contacts(self.shared), self.devices)
                    assert verdict.lost == [] and verdict.duplicated == []
                    settle(self.devices, market.url)
                    for device in self.devices:
                        assert device.outbox_size() == 0
                        assert differences(device, server.live_contacts(self.shared), self.shared) == []
                finally:
                    server.close()
            finally:
                for device in self.devices:
                    device.close()

    Devices.TestCase.settings = settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    try:
        run_state_machine_as_test(Devices, settings=Devices.TestCase.settings)
    finally:
        proxy.close()
    record_figures("convergence", examples=_run["examples"], steps=_run["steps"],
                   interrupted_syncs=_run["interrupted"], proxied_requests=proxy.requests,
                   faults=proxy.faults_injected, lost=0, duplicated=0)
    assert _run["examples"] >= EXAMPLES
