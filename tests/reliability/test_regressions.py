"""Regression tests for the bugs the reliability harness found (see docs/reliability.md)."""

from __future__ import annotations

from typing import Any

import pytest
from faultproxy import FaultProxy

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
