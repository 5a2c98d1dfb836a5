"""Guards against a Qt binding that leaks references on Signal.emit() (PySide6 6.12.0 aborted the app)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    pair = Signal(int, int)
    anything = Signal(object)


def test_emitting_signals_keeps_reference_counts_of_singletons() -> None:
    emitter = _Emitter()
    calls = [0]

    def count(_value: object) -> None:
        calls[0] += 1

    emitter.anything.connect(count)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.pair.emit(1, 2)
        emitter.anything.emit(None)
    # Other code may take or drop a few references meanwhile; a leak per emit moves these by hundreds.
    assert abs(sys.getrefcount(True) - true_before) < 50
    assert abs(sys.getrefcount(None) - none_before) < 50
    assert calls[0] == 200
