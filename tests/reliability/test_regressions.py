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
from faultproxy import FaultProxy
from sqlalchemy import create_engine, text

from market_server import cli as market_cli
from specialist_app.sync_engine.errors import ServerError
from specialist_app.sync_engine.transport import Transport


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
