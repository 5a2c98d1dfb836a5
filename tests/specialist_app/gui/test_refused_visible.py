"""Nothing refused is silent: a change the market refused shows in the status bar, as a notice after the sync and on
the dashboard, until the user fixes or dismisses it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from specialist_app import paths
from specialist_app.gui.pages.dashboard import DashboardPage
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.gui.session import Session
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from tests.e2e.conftest import Market
from tests.specialist_app.gui.test_sync_session import quick_transport, sign_in, wait_report


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    server.add_user("kira")
    yield server
    server.stop()


pytestmark = pytest.mark.usefixtures("keyring_file")


@pytest.fixture
def session(qtbot: QtBot, data_dir: Path) -> Iterator[Session]:
    made = Session(data_dir, "zh_CN", make_transport=quick_transport, sync_at_start=False)
    yield made
    made.shutdown()


def _notices() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "refused_notice" and w.isVisible()]


def test_a_refused_change_shows_until_it_is_dismissed(qtbot: QtBot, market: Market, data_dir: Path,
                                                      session: Session, zh_translator: None) -> None:
    account = sign_in(data_dir, market.url, "kira")
    store = open_store(paths.store_path(data_dir, account.profile))
    try:  # what the server refuses from a specialist: a new expert (the market's administrators keep those)
        with UnitOfWork(store) as uow:
            records.create(uow, "expert", {"name": "王教授"})
            uow.commit()
    finally:
        store.close()
    assert session.start() is True
    window, controller = session.window, session.controller
    assert window is not None and controller is not None
    controller.sync_now()
    report = wait_report(qtbot, controller)
    assert report.rejected == 1

    # A notice after the sync that refused it, which leads to the list.
    qtbot.waitUntil(lambda: len(_notices()) == 1)
    [notice] = _notices()
    assert "1" in notice.text() and "退回" in notice.text()
    # The status bar: a red count beside pending and conflicts (pending is 0: the refused change left the outbox).
    status = window.status
    qtbot.waitUntil(lambda: status.refused_label.isVisible())
    assert status.refused_label.text() == "被退回：1" and "#b00020" in status.refused_label.styleSheet()
    assert "0" in status.pending_label.text()
    # The dashboard says so too.
    dashboard = window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.refused_banner.isVisible())
    assert "1" in dashboard.refused_banner.label.text()

    show = next(b for b in notice.buttons() if b.text() == "查看被退回的修改")
    show.click()
    page = window.current_page()
    assert isinstance(page, SyncPage)
    assert page.tabs.currentWidget() is page.rejections_table.parentWidget()
    qtbot.waitUntil(lambda: page.rejections_table.rowCount() == 1)
    reason = page.rejections_table.item(0, 2)
    assert reason is not None and "专家信息由管理员维护" in reason.text()
    assert "administrators" not in reason.text()

    page.rejections_table.selectRow(0)
    page.dismiss_button.click()
    qtbot.waitUntil(lambda: not status.refused_label.isVisible())
    window.show_page("dashboard")
    qtbot.waitUntil(lambda: not dashboard.refused_banner.isVisible())


def test_the_status_bar_link_opens_the_refused_list(qtbot: QtBot, make_ctx: Callable[[str], Any]) -> None:
    from specialist_app.gui.main_window import MainWindow

    ctx = make_ctx("zh_CN")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    qtbot.mouseClick(window.status.refused_label, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, SyncPage)
    assert page.tabs.currentWidget() is page.rejections_table.parentWidget()
