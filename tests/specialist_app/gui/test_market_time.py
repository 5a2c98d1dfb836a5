"""Times are shown in market time (UTC+8) whatever the laptop's zone, and say so where the laptop keeps another."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from specialist_app.gui import data
from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.gui.status_bar import SyncStatusBar, format_market_time
from specialist_app.store.db import Store


@pytest.fixture
def shanghai_laptop(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_utc_stamps_read_as_market_time_on_a_utc_laptop(utc_laptop: None) -> None:
    assert time.strftime("%z") == "+0000", os.environ.get("TZ")
    assert format_market_time("2026-12-02T16:30:00Z") == "2026-12-03 00:30"  # past midnight in the market
    assert format_market_time("2026-12-02T16:30:00+00:00") == "2026-12-03 00:30"
    assert format_market_time("not a time") == "not a time"


def test_the_status_bar_says_whose_time_on_a_utc_laptop(qtbot: QtBot, ctx: AppContext, utc_laptop: None) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = SyncStatusBar(ctx)
    window.setStatusBar(bar)
    window.show()
    bar._show(data.StatusSummary(0, 0, "2026-12-02T06:30:00Z"))
    assert bar.last_sync_label.text().endswith("2026-12-02 14:30")
    assert bar.zone_label.isVisible() and "UTC+8" in bar.zone_label.text()


def test_no_zone_note_on_a_laptop_in_market_time(qtbot: QtBot, ctx: AppContext, shanghai_laptop: None) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = SyncStatusBar(ctx)
    window.setStatusBar(bar)
    window.show()
    assert not bar.zone_label.isVisible()


def _log_run(store: Store) -> None:
    from specialist_app.services.uow import UnitOfWork

    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql("INSERT INTO sync_run (started_at, outcome) VALUES ('2026-12-02T23:05:00Z', 'ok')")
        uow.commit()


def test_the_sync_log_shows_market_time(qtbot: QtBot, ctx: AppContext, utc_laptop: None) -> None:
    done: list[bool] = []
    ctx.runner.submit(_log_run, lambda _result: done.append(True))
    qtbot.waitUntil(lambda: bool(done))
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.runs_table.rowCount() == 1)
    item = page.runs_table.item(0, 0)
    assert item is not None and item.text() == "2026-12-03 07:05"


def test_conflict_values_read_and_edit_in_market_time(utc_laptop: None) -> None:
    from specialist_app.gui.dialogs.values import editable_text, value_text
    from sync.entities import VISIT
    from sync.fields import normalize

    assert value_text("visit", "planned_at", "2026-12-02T06:30:00Z", "zh_CN") == "2026-12-02 14:30"
    typed = editable_text("visit", "planned_at", "2026-12-02T06:30:00Z", "zh_CN")
    assert typed == "2026-12-02 14:30"
    assert normalize(VISIT.field("planned_at"), typed) == "2026-12-02T06:30:00Z"  # read back as market time
