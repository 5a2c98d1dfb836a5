"""The GUI's record lists are table models with named columns and roles (dashboard, visits, an institution's
window), checked by Qt's model tester."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHeaderView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.institution_models import ContactsModel, DemandsModel, VisitHistoryModel
from specialist_app.gui.institution_window import InstitutionWindow
from specialist_app.gui.pages.dashboard import DashboardPage
from specialist_app.gui.pages.visits import VisitsPage
from specialist_app.gui.row_model import ENTITY_ROLE, ID_ROLE, ROW_ROLE, TEXT_COLUMN_CAP
from specialist_app.gui.visit_models import OverdueFollowUpsModel, RecentVisitsModel, UpcomingVisitsModel

VISITS = [
    {"id": "v2", "status": "done", "visited_at": "2026-11-20T02:00:00Z", "visit_type": "onsite", "purpose": "回访",
     "follow_ups": []},
    {"id": "v1", "status": "done", "visited_at": "2026-11-01T02:00:00Z", "purpose": "首次走访", "follow_ups": [
        {"id": "f1", "visit_id": "v1", "action": "寄送材料", "due_date": "2026-11-10", "done": False},
        {"id": "f2", "visit_id": "v1", "action": "约见厂长", "due_date": "2026-11-12", "done": True}]},
]


def test_the_visit_history_is_a_tree_of_visits_and_their_follow_ups(qtmodeltester: ModelTester) -> None:
    model = VisitHistoryModel("zh_CN")
    model.set_rows(VISITS, today=date(2026, 12, 2))
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.rowCount(model.index(0, 0)) == 0
    older = model.index(1, 0)
    assert model.rowCount(older) == 2
    follow_up = model.index(0, VisitHistoryModel.COL_TEXT, older)
    assert (follow_up.data(), follow_up.data(ID_ROLE), follow_up.data(ENTITY_ROLE)) == ("寄送材料", "f1", "follow_up")
    assert follow_up.parent().data(ID_ROLE) == "v1" and follow_up.data(ROW_ROLE)["visit_id"] == "v1"
    assert older.data(ENTITY_ROLE) == "visit"
    assert not model.parent(older).isValid()


def test_flat_models_name_their_columns(qtmodeltester: ModelTester) -> None:
    upcoming = UpcomingVisitsModel("zh_CN")
    upcoming.set_rows([{"id": "v9", "planned_at": "2026-12-05T01:00:00Z", "visit_type": "onsite",
                        "institution_name": "吉林大学", "purpose": "洽谈"}])
    qtmodeltester.check(upcoming)
    assert upcoming.index(0, UpcomingVisitsModel.COL_INSTITUTION).data() == "吉林大学"
    assert upcoming.index(0, UpcomingVisitsModel.COL_PURPOSE).data(ID_ROLE) == "v9"
    recent = RecentVisitsModel("zh_CN")
    recent.set_rows([{**VISITS[0], "institution_name": "吉林大学"}])
    qtmodeltester.check(recent)
    overdue = OverdueFollowUpsModel("zh_CN")
    overdue.set_rows([{**VISITS[1]["follow_ups"][0], "institution_name": "吉林大学"}], today=date(2026, 12, 2))
    qtmodeltester.check(overdue)
    assert overdue.index(0, OverdueFollowUpsModel.COL_ACTION).data() == "寄送材料"
    contacts = ContactsModel("zh_CN")
    contacts.set_rows([{"id": "c1", "name": "刘主任", "phone": "0431-1234567"}])
    qtmodeltester.check(contacts)
    assert contacts.index(0, ContactsModel.COL_PHONE).data() == "0431-1234567"
    demands = DemandsModel("zh_CN")
    demands.set_rows([{"id": "d1", "title": "精密光学检测", "status": "open"}])
    qtmodeltester.check(demands)


def test_pages_show_their_rows_through_the_models(qtbot: QtBot, ctx: AppContext,
                                                  seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute"}])
    seed("visit", [{"institution_id": inst, "status": "done", "visited_at": "2026-11-01T02:00:00Z",
                    "purpose": "首次走访"}])
    visits = VisitsPage(ctx)
    qtbot.addWidget(visits)
    visits.refresh()
    qtbot.waitUntil(lambda: visits.recent_model.rowCount() == 1)
    assert visits.recent.model() is visits.recent_model
    assert visits.recent_model.index(0, RecentVisitsModel.COL_INSTITUTION).data() == "长春光机所"
    window = InstitutionWindow(ctx, inst)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.visits_model.rowCount() == 1)
    assert window.visits_model.index(0, VisitHistoryModel.COL_TEXT, QModelIndex()).data() == "首次走访"


def test_the_follow_up_item_column_takes_the_room(qtbot: QtBot, ctx: AppContext) -> None:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    header = page.overdue.header()
    assert header.sectionResizeMode(OverdueFollowUpsModel.COL_ACTION) == QHeaderView.ResizeMode.Stretch
    page.overdue_model.set_rows([{"id": "f1", "visit_id": "v1", "due_date": "2026-11-08",
                                  "action": "协助办理技术合同登记并对接金融机构提供知识产权质押融资",
                                  "institution_name": "中国科学院长春光学精密机械与物理研究所"}],
                                today=date(2026, 12, 2))
    qtbot.waitUntil(lambda: page.overdue.viewport().width() > 400)
    widths = {column: page.overdue.columnWidth(column) for column in range(page.overdue_model.columnCount())}
    assert widths[OverdueFollowUpsModel.COL_ACTION] == max(widths.values())
    assert widths[OverdueFollowUpsModel.COL_INSTITUTION] <= TEXT_COLUMN_CAP  # a long name gives way (tooltip)
    due = page.overdue_model.index(0, OverdueFollowUpsModel.COL_DUE)
    assert widths[OverdueFollowUpsModel.COL_DUE] >= page.overdue.fontMetrics().horizontalAdvance(due.data())
