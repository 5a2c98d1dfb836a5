"""Table models of one institution's window: contacts, achievements, demands, and the visit history (a tree:
each visit, newest first, with its follow-ups, overdue ones marked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from specialist_app.gui.i18n import code_label
from specialist_app.gui.row_model import (
    DONE_COLOUR,
    OVERDUE_COLOUR,
    AnyIndex,
    RowsModel,
    item_data,
    overdue_days,
)
from specialist_app.gui.status_bar import format_market_time
from specialist_app.gui.visit_models import overdue_text
from specialist_app.services.queries import market_today
from sync import codes as C
from sync.entities import ENTITIES


class ContactsModel(RowsModel):
    COL_NAME = 0
    COL_POSITION = 1
    COL_PHONE = 2
    COL_EMAIL = 3
    COL_NOTES = 4
    _KEYS = ("name", "position", "phone", "email", "notes")

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Position"), self.tr("Phone"), self.tr("E-mail"), self.tr("Notes")]

    def display(self, item: dict[str, Any], column: int) -> str:
        return str(item.get(self._KEYS[column]) or "")


def titled(item: dict[str, Any]) -> str:
    """A record's title; a confirmed duplicate (docs/matching.md) stays in its institution's history, marked."""
    title = str(item.get("title") or "")
    if item.get("duplicate_state") == "confirmed":
        return QCoreApplication.translate("DuplicateHint", "%1 (confirmed duplicate)").replace("%1", title)
    return title


class AchievementsModel(RowsModel):
    COL_TRL = 0
    COL_STAGE = 1
    COL_TITLE = 2

    def headers(self) -> list[str]:
        return [self.tr("TRL"), self.tr("Stage"), self.tr("Title")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == self.COL_TRL:
            return str(item.get("trl") or "")
        if column == self.COL_STAGE:
            return code_label(C.ACHIEVEMENT_STAGE, item.get("stage"), self.lang)
        return titled(item)


class DemandsModel(RowsModel):
    COL_STATUS = 0
    COL_TYPE = 1
    COL_TITLE = 2

    def headers(self) -> list[str]:
        return [self.tr("Status"), self.tr("Type"), self.tr("Title")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == self.COL_STATUS:
            return code_label(C.DEMAND_STATUS, item.get("status"), self.lang)
        if column == self.COL_TYPE:
            return code_label(C.DEMAND_TYPE, item.get("demand_type"), self.lang)
        return titled(item)


_TOP = 0  # internal id of a visit's index; a follow-up's is its visit's row + 1


class VisitHistoryModel(QAbstractItemModel):
    """Visits (top level, each row a visit dict with "follow_ups") and their follow-ups (children).

    Roles as the flat models: ID_ROLE is the visit's or the follow-up's id, ROW_ROLE the row, ENTITY_ROLE
    "visit" or "follow_up". A follow-up's status column says done, overdue N days (red) or open.
    """

    COL_DATE = 0
    COL_STATUS = 1
    COL_TYPE = 2
    COL_TEXT = 3
    STRETCH_COLUMN = COL_TEXT

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.today = market_today()
        self._visits: list[dict[str, Any]] = []

    def set_rows(self, visits: list[dict[str, Any]], today: date | None = None) -> None:
        self.beginResetModel()
        self.today = today or market_today()
        self._visits = [{**v, "_entity": "visit",
                         "follow_ups": [{**f, "_entity": "follow_up"} for f in v.get("follow_ups", [])]}
                        for v in visits]
        self.endResetModel()

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Status"), self.tr("Type / owner"), self.tr("Purpose / follow-up item")]

    def row_of(self, index: AnyIndex) -> dict[str, Any] | None:
        if not index.isValid():
            return None
        parent_row = index.internalId() - 1
        if parent_row < 0:
            return self._visits[index.row()] if index.row() < len(self._visits) else None
        follow_ups = self._visits[parent_row]["follow_ups"]
        return follow_ups[index.row()] if index.row() < len(follow_ups) else None

    def visit_index(self, visit_id: str) -> QModelIndex:
        for row, visit in enumerate(self._visits):
            if visit["id"] == visit_id:
                return self.index(row, 0)
        return QModelIndex()

    # Qt model interface -------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._visits)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._visits[parent.row()]["follow_ups"])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.headers())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_of(index)
        return None if item is None else item_data(self, item, index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return super().headerData(section, orientation, role)

    # Cells -------------------------------------------------------------------------------------------------

    def display(self, item: dict[str, Any], column: int) -> str:
        if not _is_child(item["_entity"]):  # a visit; its follow-ups are the rows under it
            if column == self.COL_DATE:
                when = item.get("visited_at") or item.get("planned_at")
                return format_market_time(str(when)) if when else ""
            if column == self.COL_STATUS:
                return code_label(C.VISIT_STATUS, item.get("status"), self.lang)
            if column == self.COL_TYPE:
                return code_label(C.VISIT_TYPE, item.get("visit_type"), self.lang)
            return str(item.get("purpose") or "")
        if column == self.COL_DATE:
            return str(item.get("due_date") or "")
        if column == self.COL_STATUS:
            if item.get("done"):
                return self.tr("✓ Done")
            return overdue_text(overdue_days(item, self.today)) or self.tr("Open")
        if column == self.COL_TYPE:
            return str(item.get("owner") or "")
        return str(item.get("action") or "")

    def tooltip(self, item: dict[str, Any], column: int) -> str | None:
        return None

    def colour(self, item: dict[str, Any], column: int) -> QColor | None:
        if not _is_child(item["_entity"]):
            return None
        if item.get("done"):
            return DONE_COLOUR
        if column in (self.COL_DATE, self.COL_STATUS) and overdue_days(item, self.today):
            return OVERDUE_COLOUR
        return None


def _is_child(entity: str) -> bool:
    """A row under another in the history tree (a follow-up under its visit)."""
    return ENTITIES[entity].parent_field is not None
