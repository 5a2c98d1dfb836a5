"""The sync progress widget: a determinate bar for phases whose size is known, a busy bar for the others."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from specialist_app.gui.sync_controller import SyncProgress


class _Runs(QObject):
    """The signals SyncProgress listens to (SyncController's), driven by the test."""

    started = Signal()
    progress = Signal(str, int, int)
    finished = Signal(object)

    def cancel(self) -> None:
        raise AssertionError("not clicked in these tests")

    def is_running(self) -> bool:
        return True


def test_the_snapshot_download_fills_the_bar_by_bytes_and_installing_is_busy(qtbot: QtBot) -> None:
    runs = _Runs()
    widget = SyncProgress(runs, "en")  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    runs.started.emit()
    runs.progress.emit("snapshot", 61_000_000, 129_000_000)
    assert (widget.bar.minimum(), widget.bar.maximum()) == (0, 129_000_000 // 1024)
    assert widget.bar.value() == 61_000_000 // 1024
    assert widget.phase.text() == "Downloading the market catalog: 61 / 129 MB"
    runs.progress.emit("install", 0, 1)
    assert widget.bar.maximum() == 0  # busy
    assert "Installing the market catalog" in widget.phase.text()
