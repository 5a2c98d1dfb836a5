"""Table models of visit lists: planned visits ahead, recent visits, and overdue follow-ups (marked in red)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QColor

from specialist_app.gui.i18n import code_label
from specialist_app.gui.row_model import OVERDUE_COLOUR, RowsModel, overdue_days
from specialist_app.gui.status_bar import format_market_time
from specialist_app.services.queries import market_today
from sync import codes as C


def _when(value: Any) -> str:
    return format_market_time(str(value)) if value else ""


class UpcomingVisitsModel(RowsModel):
    """Planned visits, soonest first (rows of queries.upcoming_visits)."""

    COL_PLANNED_AT = 0
    COL_TYPE = 1
    COL_INSTITUTION = 2
    COL_PURPOSE = 3
    STRETCH_COLUMN = COL_PURPOSE

    def headers(self) -> list[str]:
        return [self.tr("Planned at"), self.tr("Type"), self.tr("Institution"), self.tr("Purpose")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == self.COL_PLANNED_AT:
            return _when(item.get("planned_at"))
        if column == self.COL_TYPE:
            return code_label(C.VISIT_TYPE, item.get("visit_type"), self.lang)
        if column == self.COL_INSTITUTION:
            return str(item.get("institution_name") or "")
        return str(item.get("purpose") or "")


class RecentVisitsModel(RowsModel):
    """Visits done or cancelled, newest first (rows of queries.recent_visits)."""

    COL_WHEN = 0
    COL_STATUS = 1
    COL_INSTITUTION = 2
    COL_PURPOSE = 3
    STRETCH_COLUMN = COL_PURPOSE

    def headers(self) -> list[str]:
        return [self.tr("Visited at"), self.tr("Status"), self.tr("Institution"), self.tr("Purpose")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == self.COL_WHEN:
            return _when(item.get("visited_at") or item.get("planned_at"))
        if column == self.COL_STATUS:
            return code_label(C.VISIT_STATUS, item.get("status"), self.lang)
        if column == self.COL_INSTITUTION:
            return str(item.get("institution_name") or "")
        return str(item.get("purpose") or "")


def overdue_text(days: int) -> str:
    """"Overdue 3 days" (zh_CN: 逾期 3 天); empty when not overdue."""
    if days <= 0:
        return ""
    if days == 1:
        return QCoreApplication.translate("OverdueFollowUpsModel", "Overdue 1 day")
    return QCoreApplication.translate("OverdueFollowUpsModel", "Overdue %1 days").replace("%1", str(days))


class OverdueFollowUpsModel(RowsModel):
    """Follow-ups not done past their due date, oldest first (rows of queries.overdue_follow_ups); the follow-up
    item takes the room."""

    COL_DUE = 0
    COL_OVERDUE = 1
    COL_ACTION = 2
    COL_INSTITUTION = 3
    STRETCH_COLUMN = COL_ACTION

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(lang, parent)
        self.today = market_today()

    def set_rows(self, rows: list[dict[str, Any]], today: date | None = None) -> None:
        self.today = today or market_today()
        super().set_rows(rows)

    def headers(self) -> list[str]:
        return [self.tr("Due"), self.tr("Overdue"), self.tr("Follow-up item"), self.tr("Institution")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == self.COL_DUE:
            return str(item.get("due_date") or "")
        if column == self.COL_OVERDUE:
            return overdue_text(overdue_days(item, self.today))
        if column == self.COL_ACTION:
            return str(item.get("action") or "")
        return str(item.get("institution_name") or "")

    def tooltip(self, item: dict[str, Any], column: int) -> str | None:
        visit = str(item.get("visit_purpose") or "")
        when = _when(item.get("visit_at"))
        if column == self.COL_ACTION and (visit or when):
            return self.tr("%1\nFrom the visit of %2: %3").replace("%1", str(item.get("action") or "")).replace(
                "%2", when).replace("%3", visit)
        return None

    def colour(self, item: dict[str, Any], column: int) -> QColor | None:
        return OVERDUE_COLOUR if column in (self.COL_DUE, self.COL_OVERDUE) else None
