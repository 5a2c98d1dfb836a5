"""Regression tests for the bugs the reliability harness found (see docs/reliability.md)."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from faultproxy import FaultProxy
from harness import Device, ServerDB, differences
from sqlalchemy import create_engine, text

from market_server import cli as market_cli
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.sync_engine.errors import ServerError
from specialist_app.sync_engine.transport import Transport
from tests.reliability.conftest import make_team, password


@pytest.mark.parametrize("fault", ["cut_body", "reset_after", "drop_before", "status_after"])
def test_an_answer_lost_or_cut_mid_body_is_retried(market: Any, fault: str) -> None:
    """Bug 1: a body cut off mid-way raised requests' ChunkedEncodingError out of the engine (no retry)."""
    proxy = FaultProxy(market.url, seed=0, fault_rate=0.0)
    proxy.script = [fault, fault]
    transport = Transport(proxy.url, max_attempts=3, sleep=lambda _s: None)
    try:
        assert transport.get_json("/health", auth=False)["status"] == "ok"
        assert proxy.requests == 3
    finally:
        transport.close()
        proxy.close()


def test_slow_link_faults_deliver_every_byte_late(market: Any) -> None:
    """The fault proxy's slow-link faults (slow uplink, slow downlink, a stall mid-answer) slow a request down but
    the client still gets the whole answer, unchanged."""
    proxy = FaultProxy(market.url, seed=0, fault_rate=0.0)
    proxy.script = ["slow_up", "slow_down", "stall"]
    transport = Transport(proxy.url, max_attempts=1, sleep=lambda _s: None)
    try:
        direct = transport.get_json("/health", auth=False)  # consumes "slow_up" (no body to slow)
        for _ in range(2):
            assert transport.get_json("/health", auth=False) == direct
        assert {k: proxy.injected[k] for k in ("slow_up", "slow_down", "stall")} == {
            "slow_up": 1, "slow_down": 1, "stall": 1}
        body = {"username": "slow-uplink", "password": "x" * 3000, "device_id": "slow-uplink"}  # ~3 KB to upload
        direct_answer = requests.post(market.url + "/auth/login", json=body, timeout=30)
        proxy.script = ["slow_up"]
        slowed = requests.post(proxy.url + "/auth/login", json=body, timeout=30)
        assert proxy.injected["slow_up"] == 2
        assert (slowed.status_code, slowed.json()["code"]) == (direct_answer.status_code, direct_answer.json()["code"])
    finally:
        transport.close()
        proxy.close()


def test_an_answer_that_is_not_json_is_a_server_error(market: Any) -> None:
    """Bug 1b: a 200 whose body is not JSON raised a bare JSONDecodeError instead of a SyncError."""
    transport = Transport(market.url, max_attempts=1, sleep=lambda _s: None)
    try:
        with pytest.raises(ServerError) as caught:
            transport.get_json("/docs", auth=False)  # Swagger UI: HTML
        assert "not JSON" in caught.value.detail
    finally:
        transport.close()


@pytest.mark.postgres
def test_admin_commands_close_their_database_connections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bug 2: every `market-server` admin command left its pooled PostgreSQL connection open (ResourceWarning)."""
    url = os.environ.get("MARKET_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("MARKET_TEST_POSTGRES_URL is not set")
    schema = f"reg_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        for key, value in (("MARKET_DATABASE_URL", url), ("MARKET_DATABASE_SCHEMA", schema),
                           ("MARKET_DATA_DIR", str(tmp_path))):
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO("pw-regression-123456\n"))
        with contextlib.redirect_stdout(io.StringIO()):
            assert market_cli.main(["migrate"]) == 0
            assert market_cli.main(["user", "add", "reg", "--role", "specialist", "--password-stdin"]) == 0
        with admin.connect() as conn:
            still_open = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND query ILIKE :q"), {"q": f"%{schema}%"}).scalar()
        gc.collect()  # an unclosed connection would surface here as an unraisable ResourceWarning (an error)
        assert still_open == 0
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_a_delete_against_edits_resolved_keep_theirs_ends_with_the_servers_latest_values(
    market: Any, tmp_path: Path
) -> None:
    """Bug 8: one laptop deleted a row another edited (a `__deleted__` conflict); later edits of the row pulled while
    the conflict was open moved the row's version but not the conflict's "theirs", so "keep theirs" brought back the
    values of the first edit and that laptop kept them for good (found with 5 devices behind the fault proxy)."""
    team = make_team(market, "reg8")
    user = sorted(team.scopes)[0]  # s1: institution A
    inst = sorted(team.scopes[user])[0]
    first, second = (Device(n, tmp_path / f"{n}.sqlite3", market.url, user, password(user)) for n in ("a", "b"))
    try:
        assert first.sync(market.url).ok  # the institution arrives
        with UnitOfWork(first.store) as uow:
            row_id = records.create(uow, "contact", {"institution_id": inst, "name": "张三", "position": "教授"})
            uow.commit()
        assert first.sync(market.url).ok and second.sync(market.url).ok
        with UnitOfWork(second.store) as uow:
            records.delete(uow, "contact", row_id)
            uow.commit()
        with UnitOfWork(first.store) as uow:
            records.update(uow, "contact", row_id, {"notes": "第一次修改"})
            uow.commit()
        assert first.sync(market.url).ok
        assert second.sync(market.url).conflicts == 1  # the delete meets the edit
        with UnitOfWork(first.store) as uow:
            records.update(uow, "contact", row_id, {"position": "研究员", "notes": "第二次修改"})
            uow.commit()
        assert first.sync(market.url).ok and second.sync(market.url).ok  # pulled while the conflict is open
        assert second.resolve_all("theirs") == 1
        assert second.sync(market.url).ok and first.sync(market.url).ok
        server = ServerDB(f"sqlite:///{team.db_path}")
        try:
            live = server.live_contacts({inst})
            assert live[row_id]["position"] == "研究员" and live[row_id]["notes"] == "第二次修改"
            for device in (first, second):
                assert differences(device, live, {inst}) == []
        finally:
            server.close()
    finally:
        first.close()
        second.close()
