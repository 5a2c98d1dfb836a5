"""The fixed reference date of the demo data, and date helpers in the contract's canonical form."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sync.fields import format_datetime

# "Today" for the demo data: output never changes with the calendar.
REFERENCE_DATE = date(2026, 11, 1)
# The reference date's end (market local midnight after it) in Unix milliseconds.
REFERENCE_MS = int(
    (datetime.combine(REFERENCE_DATE, time(), tzinfo=UTC) + timedelta(days=1, hours=-8)).timestamp() * 1000
)
HISTORY_DAYS = 548  # visits over the 18 months before the reference date


def day(offset_days: int) -> date:
    """The date `offset_days` after the reference date (negative: before)."""
    return REFERENCE_DATE + timedelta(days=offset_days)


def local_datetime(on: date, minutes_after_midnight: int) -> str:
    """Canonical UTC date-time of a market-local (UTC+8) time of day."""
    return format_datetime(datetime.combine(on, time()) + timedelta(minutes=minutes_after_midnight))


def add_days(on: date, days: int) -> date:
    return on + timedelta(days=days)
