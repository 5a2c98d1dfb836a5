"""`specialist-app sync` progress on stderr: phase, done / total, speed and time left, retries."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from specialist_app.sync_engine.rate import BYTE_PHASES, RateMeter, coarse_duration, format_speed
from sync.messages import MESSAGES, render

EVERY_S = 1.0  # at most one line a second per phase, except the first of a phase and every retry


class ProgressPrinter:
    """A ProgressFn that writes one line per report worth showing."""

    def __init__(self, lang: str, out: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.lang = lang
        self.out = out or sys.stderr
        self._clock = clock
        self._meter = RateMeter(clock)
        self._last: tuple[str, float] | None = None

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        speed, left = self._meter.update(phase, done, total)
        now = self._clock()
        if phase != "retry" and self._last is not None and self._last[0] == phase and now - self._last[1] < EVERY_S \
                and done != total:
            return
        self._last = (phase, now)
        print(progress_line(phase, done, total, speed, left, self.lang), file=self.out, flush=True)


def progress_line(phase: str, done: int, total: int | None, speed: float | None, left: float | None,
                  lang: str) -> str:
    """One line about where a sync is, e.g. "正在下载大市场目录：3 / 34 MB（31 kB/s，约剩 18 分钟）"."""
    if phase == "retry":
        return render("progress_retry", lang, attempt=done, attempts=total)
    shown_total = max(total, done) if total is not None else None
    if phase in BYTE_PHASES:
        values = {"done": f"{done / 1e6:.1f}", "total": f"{(shown_total or 0) / 1e6:.1f}"}
    else:
        values = {"done": str(done), "total": str(shown_total)}
    code = f"progress_{phase}"
    if phase == "pull" and shown_total is not None:
        code = "progress_pull_total"
    text = render(code, lang, **values) if code in MESSAGES else f"{phase}: {values['done']} / {values['total']}"
    if speed is not None:
        if left is not None:
            unit, n = coarse_duration(left)
            rate = render(f"progress_left_{unit}", lang, speed=format_speed(speed, phase), n=n)
        else:
            rate = render("progress_rate", lang, speed=format_speed(speed, phase))
        text = render("progress_with_rate", lang, text=text, rate=rate)
    return text
