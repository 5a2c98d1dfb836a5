"""Visits: planned visits ahead and recent ones; plan a visit, log it (or log directly), open any to edit."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.editors.visit_editor import EDIT, LOG, PLAN
from specialist_app.gui.pages.base import Page
from specialist_app.gui.pages.visits_data import VisitLists, visit_lists
from specialist_app.gui.row_model import ID_ROLE, list_view
from specialist_app.gui.visit_models import RecentVisitsModel, UpcomingVisitsModel


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
        self.upcoming_model = UpcomingVisitsModel(ctx.lang, self)
        self.upcoming = list_view(self.upcoming_model, "upcoming_visits", self.tr("Planned visits"),
                                  stretch=UpcomingVisitsModel.COL_PURPOSE)
        self.upcoming.doubleClicked.connect(self._open_index)
        self.body.addWidget(self.upcoming, 1)
        self.body.addWidget(QLabel(self.tr("Recent visits")))
        self.recent_model = RecentVisitsModel(ctx.lang, self)
        self.recent = list_view(self.recent_model, "recent_visits", self.tr("Recent visits"),
                                stretch=RecentVisitsModel.COL_PURPOSE)
        self.recent.doubleClicked.connect(self._open_index)
        self.body.addWidget(self.recent, 2)

    def refresh(self) -> None:
        self.ctx.runner.submit(visit_lists, self.show_lists, key="visit-lists")

    def show_lists(self, lists: VisitLists) -> None:
        self.lists = lists
        self.upcoming_model.set_rows(lists.upcoming)
        self.recent_model.set_rows(lists.recent)

    def _open_index(self, index: QModelIndex) -> None:
        self.open_visit(str(index.data(ID_ROLE)), EDIT)

    def open_visit(self, visit_id: str | None, mode: str) -> None:
        open_editor(self.ctx, "visit", visit_id, parent=self, mode=mode)

    def _log_selected(self) -> None:
        index = self.upcoming.currentIndex()
        if index.isValid():
            self.open_visit(str(index.data(ID_ROLE)), LOG)
