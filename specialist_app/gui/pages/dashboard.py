"""Dashboard: upcoming visits, overdue follow-ups, this month's counts and a 12-month chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui import data
from specialist_app.gui.context import FIGURE_FONT_STEP, SPACING, AppContext
from specialist_app.gui.pages.base import Page, data_label
from specialist_app.gui.status_bar import format_local_time


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


def _tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(headers)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the long text column gives way, eliding
    return tree


class DashboardPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Dashboard"), parent)
        self.data: data.DashboardData | None = None
        figures = QHBoxLayout()
        self.visits_card = FigureCard(self.tr("Visits this month"))
        self.achievements_card = FigureCard(self.tr("Achievements collected this month"))
        self.demands_card = FigureCard(self.tr("Demands collected this month"))
        for card in (self.visits_card, self.achievements_card, self.demands_card):
            figures.addWidget(card)
        self.body.addLayout(figures)

        grid = QGridLayout()
        grid.setSpacing(SPACING)
        grid.addWidget(QLabel(self.tr("Upcoming visits (next 14 days)")), 0, 0)
        grid.addWidget(QLabel(self.tr("Overdue follow-ups")), 0, 1)
        self.upcoming = _tree([self.tr("Planned at"), self.tr("Institution"), self.tr("Purpose")])
        self.upcoming.setAccessibleName(self.tr("Upcoming visits"))
        self.overdue = _tree([self.tr("Due"), self.tr("Action"), self.tr("Institution")])
        self.overdue.setAccessibleName(self.tr("Overdue follow-ups"))
        grid.addWidget(self.upcoming, 1, 0)
        grid.addWidget(self.overdue, 1, 1)
        self.body.addLayout(grid, 1)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Last 12 months"))
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.body.addWidget(self.chart_view, 1)

    def refresh(self) -> None:
        self.ctx.runner.submit(data.dashboard, self.show_data, key="dashboard")

    def show_data(self, found: data.DashboardData) -> None:
        self.data = found
        current = found.months[-1] if found.months else {"visits": 0, "achievements": 0, "demands": 0}
        self.visits_card.value_label.setText(str(current["visits"]))
        self.achievements_card.value_label.setText(str(current["achievements"]))
        self.demands_card.value_label.setText(str(current["demands"]))
        self.upcoming.clear()
        for visit in found.upcoming_visits:
            self.upcoming.addTopLevelItem(QTreeWidgetItem([
                format_local_time(visit["planned_at"]) if visit.get("planned_at") else "",
                visit.get("institution_name") or "", visit.get("purpose") or ""]))
        self.overdue.clear()
        for item in found.overdue_follow_ups:
            self.overdue.addTopLevelItem(QTreeWidgetItem([
                item.get("due_date") or "", item.get("action") or "", item.get("institution_name") or ""]))
        self._draw_chart(found.months)

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
        axis_y = QValueAxis()
        top = max([1.0, *(float(m[k]) for m in months for k in ("visits", "achievements", "demands"))])
        axis_y.setRange(0, top)
        axis_y.setLabelFormat("%d")
        axis_y.applyNiceNumbers()
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
