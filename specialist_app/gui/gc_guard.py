"""Python's cyclic garbage collection runs on the GUI thread only, at the thresholds it would use by itself.

A collection runs on whichever thread happens to allocate past the threshold. When that is a worker thread (a sync,
a search, a match) and the cycle holds a closed widget, the widget is deleted on that thread, and Qt crashes. So the
app turns the automatic collector off and a timer on the GUI thread looks at the same thresholds instead (the shape
Anki and other PyQt apps use).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500  # a generation-0 pass takes well under a millisecond; garbage waits at most this long


class MainThreadGarbageCollector(QObject):
    """Disables automatic collection while it runs; `stop` gives it back."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.collections = 0  # passes run (for tests and the curious)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the oldest generation whose count is past its threshold, as the interpreter would."""
        thresholds, counts = gc.get_threshold(), gc.get_count()
        generation = -1
        for gen in range(3):
            if counts[gen] > thresholds[gen]:
                generation = gen
        if generation >= 0:
            gc.collect(generation)
            self.collections += 1

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
