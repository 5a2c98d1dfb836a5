"""Dashboard and My institutions pages over the demo data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import QBarSeries
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.institutions_model import ASSIGNED_ROLE, COL_NAME
from specialist_app.gui.pages.dashboard import DashboardPage
from specialist_app.gui.pages.institutions import InstitutionsPage


def test_dashboard_shows_counts_lists_and_twelve_months(qtbot: QtBot, demo_data_dir: Path, ctx: AppContext) -> None:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.data is not None
    assert len(page.data.months) == 12
    assert page.overdue_model.rowCount() == len(page.data.overdue_follow_ups) > 0
    assert page.upcoming_model.rowCount() == len(page.data.upcoming_visits)
    assert page.visits_card.value_label.text() == str(page.data.months[-1]["visits"])
    series = page.chart.series()[0]
    assert isinstance(series, QBarSeries)
    bars = series.barSets()
    assert [b.count() for b in bars] == [12, 12, 12]


def test_institutions_assigned_first_and_searchable(qtbot: QtBot, demo_data_dir: Path, ctx: AppContext,
                                                    qtmodeltester: ModelTester) -> None:
    page = InstitutionsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    model = page.model
    assigned = [bool(model.data(model.index(r, COL_NAME), ASSIGNED_ROLE)) for r in range(model.rowCount())]
    assert any(assigned) and not all(assigned)
    assert assigned == sorted(assigned, reverse=True)  # assigned ones first
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    everyone = model.rowCount()
    page.search_edit.setText("大学")
    qtbot.waitUntil(lambda: 0 < model.rowCount() < everyone)
    names = [model.data(model.index(r, COL_NAME)) for r in range(model.rowCount())]
    assert all("大学" in name for name in names)
