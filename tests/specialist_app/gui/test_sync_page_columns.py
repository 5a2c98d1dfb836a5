"""The sync page's tables fill their width: the last column (the run's note, the reason) takes what is left."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store


def _log_runs(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql(
            "INSERT INTO sync_run (started_at, outcome, pushed, pulled) VALUES ('2026-12-02T23:05:00Z', 'ok', 3, 3),"
            " ('2026-12-02T23:01:00Z', 'ok', 0, 50481)")
        uow.conn.exec_driver_sql(
            "INSERT INTO sync_run (started_at, outcome, error_code, error_message, error_message_en) VALUES"
            " ('2026-12-02T23:03:00Z', 'offline', 'network_unavailable',"
            " '无法连接服务器（ConnectionError），数据已保存在本机，联网后请再次同步',"
            " 'Cannot reach the server (ConnectionError); your data is kept on this computer')")
        uow.commit()


def test_the_sync_log_fills_the_page_it_is_read_into(qtbot: QtBot, ctx: AppContext) -> None:
    """In a real window the log, read in while its page was shown, ended two thirds of the way across: the last
    column (the run's note) was no wider than its text, the rest of the table an empty grey header."""
    done: list[bool] = []
    ctx.runner.submit(_log_runs, lambda _result: done.append(True))
    qtbot.waitUntil(lambda: bool(done))
    stack = QStackedWidget()  # as in the main window
    qtbot.addWidget(stack)
    stack.addWidget(QWidget())
    page = SyncPage(ctx)
    stack.addWidget(page)
    stack.resize(1200, 600)
    stack.show()
    qtbot.waitExposed(stack)
    stack.setCurrentWidget(page)
    qtbot.waitExposed(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.runs_table.rowCount() == 3)
    table = page.runs_table
    header = table.horizontalHeader()
    last = header.count() - 1

    def filled() -> bool:
        return header.sectionPosition(last) + header.sectionSize(last) >= table.viewport().width() - 1

    qtbot.waitUntil(filled)
    stack.resize(1300, 600)
    qtbot.waitUntil(filled)
