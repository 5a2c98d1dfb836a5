"""Speed and time left of a sync phase, from its progress reports (what the status bar and the CLI show)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 10.0  # the speed is that of the last seconds, so a link that slows down shows it soon
MIN_SPAN_S = 1.0  # no speed before a second of reports: the first ones say little
BYTE_PHASES = frozenset({"snapshot", "upload", "download"})  # phases counted in bytes (the others in rows)


class RateMeter:
    """Feed it every progress report; `update` answers (units per second, seconds left), each None if unknown.

    Reports of another phase start a new measurement; "retry" reports leave the current one alone.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._phase: str | None = None
        self._samples: deque[tuple[float, int]] = deque()

    def update(self, phase: str, done: int, total: int | None) -> tuple[float | None, float | None]:
        if phase == "retry":
            return None, None
        now = self._clock()
        if phase != self._phase:
            self._phase = phase
            self._samples.clear()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] >= WINDOW_S:
            self._samples.popleft()
        start, first = self._samples[0]
        span = now - start
        if span < MIN_SPAN_S or done <= first:
            return None, None
        speed = (done - first) / span
        left = (total - done) / speed if total is not None and total >= done else None
        return speed, left


def coarse_duration(seconds: float) -> tuple[str, str]:
    """(unit "s" | "min" | "h", the number to show) of a time left: seconds under a minute, hours with a decimal."""
    if seconds < 60:
        return "s", str(max(1, round(seconds)))
    if seconds < 3600:
        return "min", str(round(seconds / 60))
    return "h", f"{seconds / 3600:.1f}"


def format_speed(speed: float, phase: str) -> str:
    """Bytes per second as kB/s or MB/s; rows per second as a number."""
    if phase not in BYTE_PHASES:
        return f"{speed:.0f}/s"
    return f"{speed / 1e6:.1f} MB/s" if speed >= 1e6 else f"{speed / 1e3:.0f} kB/s"
