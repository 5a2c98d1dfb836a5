"""Console rendering helpers: times shown in market time (UTC+8), whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from market_server.console.web import market_time


@pytest.mark.parametrize(("stored", "shown"), [
    ("2026-12-02T03:58:35Z", "2026-12-02 11:58"),
    ("2026-12-31T20:00:00Z", "2027-01-01 04:00"),  # the market's new year starts before UTC's
    (datetime(2026, 12, 2, 3, 58, 35), "2026-12-02 11:58"),  # naive database values are UTC
    (datetime(2026, 12, 2, 3, 58, tzinfo=UTC), "2026-12-02 11:58"),
    (None, ""),
    ("not a time", "not a time"),
])
def test_stored_utc_times_are_shown_in_market_time(stored: object, shown: str) -> None:
    assert market_time(stored) == shown
