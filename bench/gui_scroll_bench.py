"""Desktop app benchmark: scrolling the Achievements list of 100,000 rows (fetch per page, frame time, RSS).

Usage: .venv/bin/python bench/gui_scroll_bench.py [--rows 5000] [--pagedowns 300] [--during-check]
Prints figures; it is not a test. Reuses the 100,000-achievement store of bench/gui_bench.py (built once into
bench/out/gui/). In this process (offscreen Qt, zh_CN, a 1280x800 window) it opens the Achievements page with an
empty query sorted newest, then (1) scrolls the table to the bottom again and again (the view calls fetchMore)
until --rows rows are loaded, timing each scroll -> rowsInserted and each scroll + paint; (2) presses PageDown from
the top --pagedowns times, timing each key press + paint (and each fetch it starts at the end of the loaded rows).
A paint is `processEvents()` then `viewport().grab()`. By default the store's background integrity check
(gui/store_check.py) is waited for first; --during-check scrolls while it runs, as in the app's first seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _bench_common import percentiles
from gui_bench import ACHIEVEMENTS, OUT, build_achievements
from PySide6.QtCore import QEventLoop, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QTableView

from specialist_app.gui.app import make_context
from specialist_app.gui.i18n import install_translator
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.pages.catalog import CatalogPage
from specialist_app.gui.search_model import SearchResultsModel
from specialist_app.services.search import SearchSort

TIMEOUT_MS = 60_000


def wait_for(connect: Callable[[Callable[[], None]], object], done: Callable[[], bool]) -> None:
    """Run the event loop until `done()` (checked on each signal delivered through `connect`)."""
    if done():
        return
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if done():
            loop.quit()

    connect(check)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()


def paint(view: QTableView) -> None:
    QApplication.processEvents()
    view.viewport().grab()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class InsertClock:
    """Times from `start()` to the next rowsInserted of the model."""

    def __init__(self, model: SearchResultsModel) -> None:
        self.started: float | None = None
        self.samples: list[float] = []
        model.rowsInserted.connect(self._inserted)

    def start(self) -> None:
        self.started = time.perf_counter()

    def _inserted(self, *_args: object) -> None:
        if self.started is not None:
            self.samples.append(time.perf_counter() - self.started)
            self.started = None


def report(label: str, samples: list[float]) -> None:
    p50, p95, worst = percentiles(samples)
    print(f"  {label:<34} p50 {p50:5.1f} ms  p95 {p95:5.1f} ms  max {worst:5.1f} ms  (n={len(samples)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_000, help="rows to load by scrolling to the bottom")
    parser.add_argument("--pagedowns", type=int, default=300)
    parser.add_argument("--during-check", action="store_true", help="do not wait for the integrity check")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = build_achievements()

    app = QApplication([sys.argv[0]])
    translator = install_translator(app, "zh_CN")
    ctx = make_context(data_dir, "zh_CN")
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    check_done: list[bool] = []
    window.store_check.finished.connect(lambda: check_done.append(True))
    wait_for(ctx.runner.idle.connect, lambda: ctx.runner.pending() == 0)
    page = window.show_page("achievements")
    assert isinstance(page, CatalogPage)
    model, view = page.model, page.table
    page.sort_combo.setCurrentIndex(page.sort_combo.findData(SearchSort.NEWEST.value))
    page.run_search()
    wait_for(model.page_loaded.connect, lambda: not model.loading)
    if not args.during_check:
        wait_for(window.store_check.finished.connect, lambda: bool(check_done))
    paint(view)
    listed = f"more than {model.total:,}" if model.total_capped else f"{model.total:,}"
    print(f"[{ACHIEVEMENTS:,} achievements] {listed} listed, newest first; {model.rowCount():,} rows loaded,"
          f" {view.height()} px table, integrity check {'running' if not check_done else 'done'}")

    clock = InsertClock(model)
    bar = view.verticalScrollBar()
    fetch_frames: list[float] = []
    arrived_in_frame = 0
    began, rows_before = time.perf_counter(), model.rowCount()
    while model.rowCount() < args.rows:
        loaded = model.rowCount()
        start = time.perf_counter()
        clock.start()
        bar.setValue(bar.maximum())  # at the end of the rows the view calls fetchMore
        paint(view)
        fetch_frames.append(time.perf_counter() - start)
        arrived_in_frame += model.rowCount() > loaded
        wait_for(model.rowsInserted.connect, lambda loaded=loaded: model.rowCount() > loaded)  # type: ignore[misc]
        if model.rowCount() == loaded:
            raise RuntimeError("scrolling to the bottom fetched no rows")
        paint(view)
    loading_s = time.perf_counter() - began
    rows_loaded = model.rowCount() - rows_before
    fetches = list(clock.samples)
    print("\n(1) scroll to the bottom until the rows are loaded")
    report("scroll -> rows inserted (fetch)", fetches)
    report("scroll + paint (frame)", fetch_frames)
    print(f"  the page arrived within the frame in {arrived_in_frame} of {len(fetch_frames)} scrolls")
    print(f"  {rows_loaded:,} rows in {loading_s:.2f} s = {rows_loaded / loading_s:,.0f} rows/s"
          f" (scroll, fetch, paint, one page after another); RSS {rss_mb():.0f} MB")

    rng = random.Random(7)
    jump_frames: list[float] = []
    for _ in range(200):
        start = time.perf_counter()
        bar.setValue(rng.randrange(bar.maximum()))  # a drag of the scroll bar within the loaded rows
        paint(view)
        jump_frames.append(time.perf_counter() - start)
    print("\n(2) scroll bar jumps to random places within the loaded rows (no fetch)")
    report("scroll + paint (frame)", jump_frames)

    clock.samples.clear()
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0, QModelIndex()))
    bar.setValue(0)
    paint(view)
    key_frames: list[float] = []
    fetching_frames: list[float] = []
    for _ in range(args.pagedowns):
        loaded = model.rowCount()
        start = time.perf_counter()
        clock.start()
        QApplication.sendEvent(view, QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_PageDown,
                                               Qt.KeyboardModifier.NoModifier))
        paint(view)
        key_frames.append(time.perf_counter() - start)
        if model.loading or model.rowCount() > loaded:
            fetching_frames.append(key_frames[-1])
        if model.loading:  # PageDown reached the end of the loaded rows: wait for the page as a user would
            wait_for(model.rowsInserted.connect, lambda loaded=loaded: model.rowCount() > loaded)  # type: ignore[misc]
            paint(view)
        else:
            clock.started = None
    print(f"\n(3) PageDown x {args.pagedowns} from the top (row {view.currentIndex().row():,} reached,"
          f" {model.rowCount():,} rows loaded)")
    report("key press + paint (frame)", key_frames)
    report("  of which frames that fetched", fetching_frames)
    if clock.samples:
        report("key press -> rows inserted (fetch)", clock.samples)
    print(f"\nRSS now {rss_mb():.0f} MB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    window.close()
    del translator
    return 0


if __name__ == "__main__":
    sys.exit(main())
