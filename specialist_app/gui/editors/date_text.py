"""Dates and times as people type them (2026-12-02, 2026/12/2, 2026年12月2日, 12/2, 14:30), read in market time."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from sync.fields import MARKET_TZ_OFFSET, format_datetime, parse_datetime

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DEFAULT_TIME = time(9, 0)  # a date typed without a time: the morning, as sync.fields reads one

_FULL = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SHORT = (  # month and day of the current year
    re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
)
_TIME = re.compile(r"^(\d{1,2})\s*(?::\s*(\d{2})(?::\d{2})?|[点时]\s*(?:(\d{1,2})\s*分?)?)$")
_SPLIT = re.compile(r"^(.+?)(?:\s+|T|(?<=[日号]))(\d{1,2}\s*(?::\s*\d{2}(?::\d{2})?|[点时](?:\s*\d{1,2}\s*分?)?))$")


def market_now() -> datetime:
    """Now on the market's clock (UTC+8, whatever this computer's zone), as a naive date-time."""
    return (datetime.now(UTC) + MARKET_TZ_OFFSET).replace(tzinfo=None)


def market_today() -> date:
    return market_now().date()


def _plain(text: str) -> str:
    # Full-width digits and punctuation from a Chinese input method read as their ASCII forms.
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date in `text`, or None when it is not one (empty included)."""
    plain = _plain(text)
    for pattern in _FULL:
        if m := pattern.match(plain):
            return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for pattern in _SHORT:
        if m := pattern.match(plain):
            return _date((today or market_today()).year, int(m.group(1)), int(m.group(2)))
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    m = _TIME.match(_plain(text))
    if not m:
        return None
    minute = m.group(2) or m.group(3) or "0"
    try:
        return time(int(m.group(1)), int(minute))
    except ValueError:
        return None


def parse_date_time(text: str, today: date | None = None) -> datetime | None:
    """A market-time date-time from a date with an optional time (a date alone: 09:00), or None."""
    plain = _plain(text)
    day = parse_date(plain, today)
    if day is not None:
        return datetime.combine(day, DEFAULT_TIME)
    m = _SPLIT.match(plain)
    if not m:
        return None
    day, moment = parse_date(m.group(1), today), parse_time(m.group(2))
    return None if day is None or moment is None else datetime.combine(day, moment)


def canonical_date(text: str, today: date | None = None) -> str | None:
    day = parse_date(text, today)
    return None if day is None else day.strftime(DATE_FORMAT)


def canonical_date_time(text: str, today: date | None = None) -> str | None:
    """The contract's UTC form of a date-time typed in market time."""
    moment = parse_date_time(text, today)
    return None if moment is None else format_datetime(moment)  # naive: market time


def show_date_time(value: str) -> str:
    """A UTC date-time (canonical, or ISO with a zone; none: UTC) as market time 'YYYY-MM-DD HH:MM'.

    Raises ValueError when `value` is not a date-time."""
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return (moment.astimezone(UTC) + MARKET_TZ_OFFSET).strftime(DATETIME_FORMAT)


def laptop_in_market_time() -> bool:
    """Whether this computer's clock keeps market time (UTC+8); if not, shown times say whose time they are."""
    return datetime.now().astimezone().utcoffset() == MARKET_TZ_OFFSET


def proposal(days: int, today: date | None = None) -> date:
    return (today or market_today()) + timedelta(days=days)
