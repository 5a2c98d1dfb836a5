"""The store's integrity check runs beside the window once its first page has data; damage is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from specialist_app.gui import store_check
from specialist_app.gui.context import AppContext
from specialist_app.gui.main_window import MainWindow
from specialist_app.store.db import Store, StoreDamaged


def test_the_check_runs_after_the_first_page_and_passes(qtbot: QtBot, ctx: AppContext) -> None:
    failures: list[object] = []
    ctx.runner.store_failed.connect(failures.append)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.store_check.finished, timeout=20_000):
        pass
    assert ctx.runner.pending() == 0 and failures == []


def test_a_damaged_store_found_later_is_reported(qtbot: QtBot, ctx: AppContext,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def damaged(path: Path, *, check: bool = True) -> Store:
        raise StoreDamaged(path, "quick_check: page 7 is never used")

    monkeypatch.setattr(store_check, "open_store", damaged)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(ctx.runner.store_failed, timeout=20_000) as failed:
        pass
    assert isinstance(failed.args[0], StoreDamaged)
    assert window.current_page() is window.pages["dashboard"]  # the window opened first, on unchecked data
