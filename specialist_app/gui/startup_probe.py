"""Timing probe for bench/gui_bench.py: open the main window on a data dir, time first data and searches, exit.

`specialist-app-gui --probe-startup [--data-dir D] [--lang L] [--search 玉米,材料] [--session]` prints one line
`probe: {json}` with wall-clock seconds (time.time()) at which the window was shown, its first page populated,
the Achievements page listed its first rows, and per-keystroke search latencies; plus the peak RSS.
`--session` starts as the app does for a specialist who signed in before: the stored sign-in read from the keyring,
the window with its sync controller and menus, and the sync at start (offline when nobody answers at the server).
Without it, the main window alone on the data dir's current profile.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from specialist_app import paths
from specialist_app.gui.app import make_context
from specialist_app.gui.context import AppContext
from specialist_app.gui.i18n import install_translator
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.pages.catalog import CatalogPage
from specialist_app.gui.search_model import SearchResultsModel
from specialist_app.gui.tasks import TaskRunner

if TYPE_CHECKING:
    from specialist_app.gui.session import Session

TIMEOUT_MS = 120_000


def _wait_idle(runner: TaskRunner[Any]) -> None:
    if runner.pending() == 0:
        return
    loop = QEventLoop()
    runner.idle.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()


def _wait_page(model: SearchResultsModel) -> None:
    if not model.loading:
        return
    loop = QEventLoop()
    model.page_loaded.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()


def _type_char(page: CatalogPage, char: str) -> tuple[float, float]:
    """Commit one character through the input method; (keystroke -> rows shown, search issued -> rows shown)."""
    model = page.model
    issued: list[float] = []
    model.modelAboutToBeReset.connect(lambda: issued.append(time.perf_counter()))
    event = QInputMethodEvent()
    event.setCommitString(char)
    start = time.perf_counter()
    QApplication.sendEvent(page.search_edit, event)
    loop = QEventLoop()
    model.page_loaded.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    model.page_loaded.disconnect(loop.quit)
    model.modelAboutToBeReset.disconnect()
    done = time.perf_counter()
    return done - start, done - (issued[-1] if issued else start)


def _open_session(base: Path, lang: str) -> tuple[MainWindow, AppContext, Session]:
    from specialist_app.gui.session import Session  # as app.main imports it: after the application is made

    session = Session(base, lang)
    if not session.start():
        raise RuntimeError(f"no stored sign-in in {base}")
    assert session.window is not None and session.ctx is not None
    return session.window, session.ctx, session


def run_probe(data_dir: str | None, lang: str, queries: Sequence[str], *, session: bool = False) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    translator = install_translator(app, lang)
    base = paths.data_dir(data_dir)
    opened: Session | None = None
    if session:
        window, ctx, opened = _open_session(base, lang)
    else:
        ctx = make_context(base, lang)
        window = MainWindow(ctx)
        window.show()
    app.processEvents()
    report: dict[str, Any] = {"shown_at": time.time()}
    _wait_idle(ctx.runner)
    report["ready_at"] = time.time()  # dashboard and status bar show their data
    page = window.show_page("achievements")
    assert isinstance(page, CatalogPage)
    started = time.perf_counter()
    _wait_page(page.model)
    report["achievements_list_s"] = time.perf_counter() - started
    report["achievements_total"] = page.model.total
    report["achievements_capped"] = page.model.total_capped  # more than the total: the service stopped counting
    keystrokes: list[float] = []
    searches: list[float] = []
    for query in queries:
        page.search_edit.clear()
        _wait_page(page.model)
        for char in query:
            total, search_only = _type_char(page, char)
            keystrokes.append(total)
            searches.append(search_only)
    report["keystroke_s"] = keystrokes
    report["search_s"] = searches
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if opened is not None:
        opened.shutdown()
    else:
        window.close()
    del translator
    return report


def main(argv: Sequence[str]) -> int:
    args = list(argv[1:])

    def option(name: str) -> str | None:
        return args[args.index(name) + 1] if name in args[:-1] else None

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    queries = [q for q in (option("--search") or "").split(",") if q]
    report = run_probe(option("--data-dir"), option("--lang") or "zh_CN", queries, session="--session" in args)
    print("probe: " + json.dumps(report, ensure_ascii=False), flush=True)
    return 0
