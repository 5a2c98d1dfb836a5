"""The sync progress widget: a determinate bar for phases whose size is known, a busy bar for the others."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from specialist_app.gui.sync_controller import SyncProgress
from specialist_app.sync_engine.rate import RateMeter


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
    runs.progress.emit("install", 1, 1)
    runs.progress.emit("checkpoint", 0, 1)  # searchable already: its pages go into the store file
    assert widget.bar.maximum() == 0
    assert widget.phase.text() == "Market catalog installed; writing it to disk (you can search already)…"


def test_retries_say_the_network_is_unstable_and_the_bar_keeps_its_progress(qtbot: QtBot, zh_translator: None) -> None:
    runs = _Runs()
    widget = SyncProgress(runs, "zh_CN")  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    runs.started.emit()
    runs.progress.emit("pull", 400, 2000)
    assert (widget.bar.maximum(), widget.bar.value()) == (2000, 400)
    assert widget.phase.text().startswith("正在接收更新：400 / 2000")
    runs.progress.emit("retry", 2, 5)
    assert widget.phase.text() == "网络不稳定，正在重试（2/5）"
    assert (widget.bar.maximum(), widget.bar.value()) == (2000, 400)
    widget.resize(620, 32)
    widget.grab().save(str(_shots() / "sync_progress_retry_zh_CN.png"))


def test_a_download_with_a_known_size_shows_its_speed_and_time_left(qtbot: QtBot) -> None:
    runs = _Runs()
    widget = SyncProgress(runs, "en")  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    clock = iter([0.0, 10.0])
    widget._meter = RateMeter(lambda: next(clock))  # a link moving 32 kB/s, without waiting for one
    widget._meter.update("snapshot", 0, 34_000_000)
    runs.progress.emit("snapshot", 320_000, 34_000_000)
    assert widget.phase.text() == "Downloading the market catalog: 0 / 34 MB · 32 kB/s, about 18 min left"
    widget.resize(620, 32)
    widget.grab().save(str(_shots() / "sync_progress_snapshot_en.png"))


def _shots() -> Path:
    folder = Path(os.environ.get("SPECIALIST_APP_SHOTS", tempfile.gettempdir())) / "specialist-app-shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
