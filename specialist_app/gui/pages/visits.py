"""Visits: planned visits ahead and recent ones; plan a visit, log it (or log directly), open any to edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.editors.visit_editor import EDIT, LOG, PLAN
from specialist_app.gui.i18n import code_label
from specialist_app.gui.pages.base import Page
from specialist_app.gui.pages.visits_data import VisitLists, visit_lists
from specialist_app.gui.status_bar import format_local_time
from sync import codes as C

ID_ROLE = Qt.ItemDataRole.UserRole + 1
INSTITUTION_ROLE = Qt.ItemDataRole.UserRole + 2


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(headers)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return tree


class VisitsPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Visits"), parent)
        self.lists: VisitLists | None = None
        actions = QHBoxLayout()
        self.plan_button = QPushButton(icon("add"), self.tr("Plan a visit"))
        self.plan_button.setObjectName("plan_visit")
        self.plan_button.clicked.connect(lambda: self.open_visit(None, PLAN))
        self.log_button = QPushButton(icon("visit"), self.tr("Log a visit"))
        self.log_button.setObjectName("log_visit")
        self.log_button.clicked.connect(lambda: self.open_visit(None, LOG))
        self.log_planned_button = QPushButton(self.tr("Log the selected planned visit"))
        self.log_planned_button.setObjectName("log_planned")
        self.log_planned_button.clicked.connect(self._log_selected)
        for button in (self.plan_button, self.log_button, self.log_planned_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.body.addLayout(actions)

        self.body.addWidget(QLabel(self.tr("Planned visits (next 60 days)")))
        self.upcoming = _tree([self.tr("Planned at"), self.tr("Type"), self.tr("Institution"), self.tr("Purpose")],
                              "upcoming_visits")
        self.upcoming.setAccessibleName(self.tr("Planned visits"))
        self.upcoming.itemDoubleClicked.connect(lambda item: self.open_visit(item.data(0, ID_ROLE), EDIT))
        self.body.addWidget(self.upcoming, 1)
        self.body.addWidget(QLabel(self.tr("Recent visits")))
        self.recent = _tree([self.tr("Visited at"), self.tr("Status"), self.tr("Institution"), self.tr("Purpose")],
                            "recent_visits")
        self.recent.setAccessibleName(self.tr("Recent visits"))
        self.recent.itemDoubleClicked.connect(lambda item: self.open_visit(item.data(0, ID_ROLE), EDIT))
        self.body.addWidget(self.recent, 2)

    def refresh(self) -> None:
        self.ctx.runner.submit(visit_lists, self.show_lists, key="visit-lists")

    def show_lists(self, lists: VisitLists) -> None:
        self.lists = lists
        lang = self.ctx.lang
        self.upcoming.clear()
        for visit in lists.upcoming:
            self.upcoming.addTopLevelItem(self._item(visit, [
                format_local_time(visit["planned_at"]) if visit.get("planned_at") else "",
                code_label(C.VISIT_TYPE, visit.get("visit_type"), lang),
                visit.get("institution_name") or "", visit.get("purpose") or ""]))
        self.recent.clear()
        for visit in lists.recent:
            when = visit.get("visited_at") or visit.get("planned_at")
            self.recent.addTopLevelItem(self._item(visit, [
                format_local_time(when) if when else "", code_label(C.VISIT_STATUS, visit.get("status"), lang),
                visit.get("institution_name") or "", visit.get("purpose") or ""]))

    @staticmethod
    def _item(visit: dict[str, Any], texts: list[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(texts)
        item.setData(0, ID_ROLE, visit["id"])
        item.setData(0, INSTITUTION_ROLE, visit.get("institution_id"))
        return item

    def open_visit(self, visit_id: str | None, mode: str) -> None:
        open_editor(self.ctx, "visit", visit_id, parent=self, mode=mode)

    def _log_selected(self) -> None:
        item = self.upcoming.currentItem()
        if item is not None:
            self.open_visit(str(item.data(0, ID_ROLE)), LOG)
