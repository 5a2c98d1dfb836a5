"""Overdue follow-ups lead somewhere (#14.4): marked in red with 逾期 N 天 on the dashboard and in an institution's
visit history; a double-click opens the visit at that follow-up; mark done / move the due date is one step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.visit_editor import VisitEditor
from specialist_app.gui.institution_models import VisitHistoryModel
from specialist_app.gui.institution_window import InstitutionWindow
from specialist_app.gui.pages.dashboard import DashboardPage
from specialist_app.gui.row_model import OVERDUE_COLOUR
from specialist_app.gui.visit_models import OverdueFollowUpsModel
from specialist_app.services import records
from specialist_app.services.queries import market_today
from tests.specialist_app.gui.editor_helpers import OPENED, close_opened, read_store, wait_loaded


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


@pytest.fixture
def overdue(seed: Callable[..., list[str]]) -> tuple[str, str, str]:
    """An institution, a visit and its follow-up due three days ago (and one due next week)."""
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute"}])
    [visit] = seed("visit", [{"institution_id": inst, "status": "done", "visited_at": "2026-01-05T02:00:00Z",
                              "purpose": "首次走访"}])
    today = market_today()
    late, _later = seed("follow_up", [
        {"visit_id": visit, "action": "寄送样品检测报告", "due_date": (today - timedelta(days=3)).isoformat()},
        {"visit_id": visit, "action": "约见总工", "due_date": (today + timedelta(days=7)).isoformat()}])
    return inst, visit, late


def _dashboard(qtbot: QtBot, ctx: AppContext) -> DashboardPage:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    ctx.events.changed.connect(lambda _entity: page.refresh())  # as the main window does for its current page
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None)
    return page


def _double_click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    at = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)  # the view acts on a press it saw
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def _menu_action(menu: QMenu, name: str) -> QAction:
    return next(a for a in menu.actions() if a.objectName() == name)


def _follow_up(data_dir: Path, id: str) -> dict[str, object]:
    return read_store(data_dir, lambda uow: records.get(uow, "follow_up", id))  # type: ignore[no-any-return]


def test_the_dashboard_marks_overdue_items_in_red_with_the_days(
    qtbot: QtBot, ctx: AppContext, zh_translator: None, overdue: tuple[str, str, str]
) -> None:
    page = _dashboard(qtbot, ctx)
    model = page.overdue_model
    assert model.rowCount() == 1
    days = model.index(0, OverdueFollowUpsModel.COL_OVERDUE)
    assert days.data() == "逾期 3 天"
    assert days.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    assert model.index(0, OverdueFollowUpsModel.COL_ACTION).data() == "寄送样品检测报告"


def test_double_click_opens_the_visit_at_that_follow_up(
    qtbot: QtBot, ctx: AppContext, overdue: tuple[str, str, str]
) -> None:
    _inst, visit, late = overdue
    page = _dashboard(qtbot, ctx)
    _double_click(qtbot, page.overdue, page.overdue_model.index(0, OverdueFollowUpsModel.COL_ACTION))
    [editor] = page.findChildren(VisitEditor)
    wait_loaded(qtbot, ctx, editor)
    assert editor.record_id == visit
    table = editor.child_tables["follow_up"]
    selected = table.table.selectionModel().selectedRows()
    assert [table.contents().rows[i.row()]["id"] for i in selected] == [late]


def test_mark_done_from_the_dashboard_is_one_step(
    qtbot: QtBot, ctx: AppContext, data_dir: Path, overdue: tuple[str, str, str]
) -> None:
    late = overdue[2]
    page = _dashboard(qtbot, ctx)
    assert not page.mark_done_button.isEnabled()  # nothing chosen yet
    page.overdue.setCurrentIndex(page.overdue_model.index(0, 0))
    assert page.mark_done_button.isEnabled()
    page.mark_done_button.click()
    qtbot.waitUntil(lambda: page.overdue_model.rowCount() == 0)  # the page reloads on the change
    assert _follow_up(data_dir, late)["done"]


def test_move_the_due_date_from_the_context_menu(
    qtbot: QtBot, ctx: AppContext, data_dir: Path, overdue: tuple[str, str, str]
) -> None:
    late = overdue[2]
    page = _dashboard(qtbot, ctx)
    index = page.overdue_model.index(0, OverdueFollowUpsModel.COL_ACTION)
    menu = page.overdue_menu_at(page.overdue.visualRect(index).center())
    assert menu is not None
    _menu_action(menu, "postpone_7").trigger()
    qtbot.waitUntil(lambda: page.overdue_model.rowCount() == 0)
    follow_up = _follow_up(data_dir, late)
    assert follow_up["due_date"] == (market_today() + timedelta(days=7)).isoformat() and not follow_up["done"]


def test_upcoming_visits_open_the_same_way(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    tomorrow = market_today() + timedelta(days=1)
    [visit] = seed("visit", [{"institution_id": inst, "status": "planned",
                              "planned_at": f"{tomorrow.isoformat()}T02:00:00Z", "purpose": "洽谈合作"}])
    page = _dashboard(qtbot, ctx)
    assert page.upcoming_model.rowCount() == 1
    _double_click(qtbot, page.upcoming, page.upcoming_model.index(0, 0))
    [editor] = page.findChildren(VisitEditor)
    OPENED.append(editor)
    assert editor.record_id == visit


def test_the_visit_history_marks_and_acts_on_follow_ups(
    qtbot: QtBot, ctx: AppContext, data_dir: Path, zh_translator: None, overdue: tuple[str, str, str]
) -> None:
    inst, visit, late = overdue
    window = InstitutionWindow(ctx, inst)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.visits_model.rowCount() == 1)
    model = window.visits_model
    parent = model.index(0, 0)
    statuses = [model.index(r, VisitHistoryModel.COL_STATUS, parent).data() for r in range(model.rowCount(parent))]
    assert statuses == ["逾期 3 天", "待办"]
    late_index = model.index(0, VisitHistoryModel.COL_TEXT, parent)
    assert model.index(0, VisitHistoryModel.COL_STATUS, parent).data(
        Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR

    window.tabs.setCurrentWidget(window.visits)
    _double_click(qtbot, window.visits, late_index)
    [editor] = window.findChildren(VisitEditor)
    wait_loaded(qtbot, ctx, editor)
    assert editor.record_id == visit
    editor.close()

    assert window.visit_menu_at(window.visits.visualRect(model.index(0, 0)).center()) is None  # a visit: no menu
    menu = window.visit_menu_at(window.visits.visualRect(late_index).center())
    assert menu is not None
    _menu_action(menu, "mark_done").trigger()
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.index(0, VisitHistoryModel.COL_STATUS,
                                                                  model.index(0, 0)).data() == "✓ 已完成")
    assert _follow_up(data_dir, late)["done"]


def test_a_change_the_market_would_refuse_is_said_and_not_made(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, overdue: tuple[str, str, str]
) -> None:
    from specialist_app.services import account
    from sync.protocol import UserInfo

    def pulled_but_not_assigned(uow: Any) -> None:  # another specialist's institution, as a pull leaves it
        uow.conn.exec_driver_sql("UPDATE institution SET server_version = 1")
        account.record(uow.conn, UserInfo(username="kim", role="specialist", institutions=[]))
        uow.commit()

    read_store(data_dir, pulled_but_not_assigned)
    ctx = make_ctx("en")
    ctx.username = "kim"
    page = _dashboard(qtbot, ctx)
    page.overdue.setCurrentIndex(page.overdue_model.index(0, 0))
    page.mark_done_button.click()
    qtbot.waitUntil(lambda: page.follow_up_actions.last_message != "")
    assert "not assigned" in page.follow_up_actions.last_message
    box = page.findChild(QMessageBox, "follow_up_refused")
    assert box is not None and box.isVisible()
    box.close()
    assert not _follow_up(data_dir, overdue[2])["done"]
    assert page.overdue_model.rowCount() == 1
