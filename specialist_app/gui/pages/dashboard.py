"""Dashboard: upcoming visits, overdue follow-ups (open, mark done, move), this month's counts, a 12-month chart."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, QModelIndex, QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui import data
from specialist_app.gui.context import FIGURE_FONT_STEP, SPACING, AppContext
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.editors.visit_editor import EDIT
from specialist_app.gui.follow_up_actions import POSTPONE_DAYS, FollowUpActions, postpone_label
from specialist_app.gui.i18n import code_label
from specialist_app.gui.pages.base import Page, data_label
from specialist_app.gui.refused import RefusedBanner
from specialist_app.gui.row_model import ID_ROLE, ROW_ROLE, list_view
from specialist_app.gui.visit_models import OverdueFollowUpsModel, UpcomingVisitsModel
from sync import codes as C


class FigureCard(QFrame):
    """A big number with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING // 2)
        self.value_label = data_label("0")
        font = self.value_label.font()
        font.setPointSize(font.pointSize() + FIGURE_FONT_STEP)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)


def count_axis(highest: float) -> tuple[int, int]:
    """(top, tick count) of an axis of whole counts: 0..4 for an empty store, then steps of 1, 2, 5, 10, 20, 50…
    with at most six ticks."""
    step = 1
    while math.ceil(highest / step) > 5:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    top = max(math.ceil(highest / step), 4 if step == 1 else 1) * step
    return top, top // step + 1


class DashboardPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Dashboard"), parent)
        self.data: data.DashboardData | None = None
        self.refused_banner = RefusedBanner(ctx)  # until the user fixes or dismisses what the market refused
        self.body.addWidget(self.refused_banner)
        figures = QHBoxLayout()
        self.visits_card = FigureCard(self.tr("Visits this month"))
        self.achievements_card = FigureCard(self.tr("Achievements collected this month"))
        self.demands_card = FigureCard(self.tr("Demands collected this month"))
        self.matches_card = FigureCard(self.tr("Matches this month"))  # 本月对接; its caption adds every match by stage
        self.matches_card.setObjectName("matches_card")
        self.matches_card.caption_label.setWordWrap(True)  # five stages in English are wider than the card
        for card in (self.visits_card, self.achievements_card, self.demands_card, self.matches_card):
            figures.addWidget(card)
        self.body.addLayout(figures)

        grid = QGridLayout()
        grid.setSpacing(SPACING)
        grid.addWidget(QLabel(self.tr("Upcoming visits (next 14 days)")), 0, 0)
        grid.addWidget(QLabel(self.tr("Overdue follow-ups")), 0, 1)
        self.upcoming_model = UpcomingVisitsModel(ctx.lang, self)
        self.upcoming = list_view(self.upcoming_model, "upcoming", self.tr("Upcoming visits"),
                                  stretch=UpcomingVisitsModel.COL_PURPOSE)
        self.upcoming.setColumnHidden(UpcomingVisitsModel.COL_TYPE, True)  # two lists side by side: room is short
        self.upcoming.doubleClicked.connect(self._open_upcoming)
        self.overdue_model = OverdueFollowUpsModel(ctx.lang, self)
        self.overdue = list_view(self.overdue_model, "overdue", self.tr("Overdue follow-ups"),
                                 stretch=OverdueFollowUpsModel.COL_ACTION)
        self.overdue.doubleClicked.connect(self._open_overdue)
        self.overdue.customContextMenuRequested.connect(self._overdue_menu)
        self.overdue.selectionModel().selectionChanged.connect(self._overdue_selected)
        self.follow_up_actions = FollowUpActions(ctx, self.open_visit_at, self)
        grid.addWidget(self.upcoming, 1, 0)
        grid.addWidget(self.overdue, 1, 1)
        grid.addLayout(self._overdue_buttons(), 2, 1)
        self.body.addLayout(grid, 1)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Last 12 months"))
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.body.addWidget(self.chart_view, 1)

    def _overdue_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.mark_done_button = QPushButton(self.tr("Mark done"))
        self.mark_done_button.setObjectName("mark_done")
        self.mark_done_button.setToolTip(self.tr("Mark the selected follow-up done"))
        self.mark_done_button.clicked.connect(self._mark_selected_done)
        self.postpone_button = QPushButton(self.tr("Move due date"))
        self.postpone_button.setObjectName("postpone")
        self.postpone_button.setToolTip(self.tr("Give the selected follow-up a new due date"))
        menu = QMenu(self.postpone_button)
        for days in POSTPONE_DAYS:
            action = menu.addAction(postpone_label(days))
            action.triggered.connect(lambda _checked=False, d=days: self._postpone_selected(d))
        self.postpone_button.setMenu(menu)
        for button in (self.mark_done_button, self.postpone_button):
            button.setEnabled(False)
            row.addWidget(button)
        return row

    def refresh(self) -> None:
        self.ctx.runner.submit(data.dashboard, self.show_data, key="dashboard")

    def show_data(self, found: data.DashboardData) -> None:
        self.data = found
        self.refused_banner.set_count(found.refused)
        current = found.months[-1] if found.months else {"visits": 0, "achievements": 0, "demands": 0}
        self.visits_card.value_label.setText(str(current["visits"]))
        self.achievements_card.value_label.setText(str(current["achievements"]))
        self.demands_card.value_label.setText(str(current["demands"]))
        self.matches_card.value_label.setText(str(found.matches_this_month))
        stages = "  ".join(f"{code_label(C.MATCH_STAGE, stage, self.ctx.lang)} {n}"
                           for stage, n in found.matches_by_stage.items() if n)
        self.matches_card.caption_label.setText(self.tr("Matches this month") + (
            "\n" + self.tr("All matches: %1").replace("%1", stages) if stages else ""))
        self.upcoming_model.set_rows(found.upcoming_visits)
        self.overdue_model.set_rows(found.overdue_follow_ups, found.today)
        self._overdue_selected()
        self._draw_chart(found.months)

    # Opening and acting on a row -------------------------------------------------------------------------

    def open_visit_at(self, visit_id: str, follow_up_id: str | None = None) -> None:
        open_editor(self.ctx, "visit", visit_id, parent=self, mode=EDIT, focus_row=follow_up_id)

    def _open_upcoming(self, index: QModelIndex) -> None:
        self.open_visit_at(str(index.data(ID_ROLE)))

    def _open_overdue(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        self.open_visit_at(str(row["visit_id"]), str(row["id"]))

    def _selected_follow_up(self) -> str | None:
        index = self.overdue.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() and self.overdue.selectionModel().hasSelection() else None

    def _overdue_selected(self) -> None:
        chosen = self._selected_follow_up() is not None
        self.mark_done_button.setEnabled(chosen)
        self.postpone_button.setEnabled(chosen)

    def _mark_selected_done(self) -> None:
        chosen = self._selected_follow_up()
        if chosen:
            self.follow_up_actions.mark_done(chosen)

    def _postpone_selected(self, days: int) -> None:
        chosen = self._selected_follow_up()
        if chosen:
            self.follow_up_actions.postpone(chosen, days)

    def overdue_menu_at(self, at: QPoint) -> QMenu | None:
        """The menu of the follow-up at `at` (viewport coordinates), or None off the rows."""
        index = self.overdue.indexAt(at)
        if not index.isValid():
            return None
        row = index.data(ROW_ROLE)
        return self.follow_up_actions.menu(self, str(row["visit_id"]), str(row["id"]))

    def _overdue_menu(self, at: QPoint) -> None:
        menu = self.overdue_menu_at(at)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.overdue.viewport().mapToGlobal(at))

    # The chart ---------------------------------------------------------------------------------------------

    def _draw_chart(self, months: list[dict[str, Any]]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        series = QBarSeries()
        for key, label in (("visits", self.tr("Visits")), ("achievements", self.tr("Achievements")),
                           ("demands", self.tr("Demands"))):
            bars = QBarSet(label)
            bars.append([float(m[key]) for m in months])
            series.append(bars)
        self.chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([m["month"][2:] for m in months])  # "25-03": short enough for 12 labels
        self.axis_y = QValueAxis()
        top, ticks = count_axis(max([0.0, *(float(m[k]) for m in months
                                             for k in ("visits", "achievements", "demands"))]))
        self.axis_y.setRange(0, top)
        self.axis_y.setTickCount(ticks)  # whole counts only: never 0, 0.25, 0.5 shown as "0 0 0 1"
        self.axis_y.setLabelFormat("%d")
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(self.axis_y)
