"""A first sync that tells the truth (#14.6): the status bar says Syncing while a run goes (not Offline), the pull
shows done / total with time left once the server counts, and an empty store's chart has whole-number ticks."""

from __future__ import annotations

from PySide6.QtCharts import QValueAxis
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.dashboard import DashboardPage, count_axis
from specialist_app.gui.status_bar import SyncStatusBar
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


def test_the_status_bar_says_syncing_while_a_run_goes(qtbot: QtBot, ctx: AppContext, zh_translator: None) -> None:
    bar = SyncStatusBar(ctx)
    qtbot.addWidget(bar)
    assert bar.online_label.text() == "离线"  # nothing tried yet
    bar.set_syncing(True)
    assert bar.online_label.text() == "正在同步"
    bar.set_online(True)  # the run reached the server; it still runs
    assert bar.online_label.text() == "正在同步"
    bar.set_syncing(False)
    assert bar.online_label.text() == "在线"


def test_the_pull_shows_done_of_total_and_time_left(qtbot: QtBot, zh_translator: None) -> None:
    runs = _Runs()
    widget = SyncProgress(runs, "zh_CN")  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    runs.started.emit()
    clock = iter([0.0, 10.0])
    widget._meter = RateMeter(lambda: next(clock))  # 100 rows a second, without waiting for them
    widget._meter.update("pull", 0, 12_000)
    runs.progress.emit("pull", 1_000, 12_000)
    assert (widget.bar.maximum(), widget.bar.value()) == (12_000, 1_000)
    assert widget.phase.text().startswith("正在接收更新：1000 / 12000")
    assert "2 分钟" in widget.phase.text()  # 11,000 rows left at 100 a second


def test_an_empty_store_charts_whole_counts_from_0_to_4(qtbot: QtBot, ctx: AppContext) -> None:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None)
    [axis] = [a for a in page.chart.axes() if isinstance(a, QValueAxis)]
    assert (axis.min(), axis.max(), axis.tickCount(), axis.labelFormat()) == (0, 4, 5, "%d")


def test_count_axes_step_by_whole_nice_numbers() -> None:
    assert count_axis(0) == (4, 5)
    assert count_axis(7) == (8, 5)
    assert count_axis(23) == (25, 6)
    assert count_axis(99) == (100, 6)
