"""A table model over the my_institutions query: assigned institutions first, each with its counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from specialist_app.gui.i18n import code_label
from specialist_app.gui.status_bar import format_market_time
from sync import codes as C
from sync.regions import region_name

COL_NAME = 0
COL_TYPE = 1
COL_REGION = 2
COL_VISITS = 3
COL_LAST_VISIT = 4
COL_OPEN_DEMANDS = 5
COL_OVERDUE = 6
COLUMN_COUNT = 7

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ASSIGNED_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex
_COUNT_KEYS = {COL_VISITS: "visits", COL_OPEN_DEMANDS: "open_demands", COL_OVERDUE: "overdue_follow_ups"}


class InstitutionsModel(QAbstractTableModel):
    """Rows as the query returns them; set_rows replaces them all (institutions number in the thousands)."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_NAME:
                return item["name"]
            if column == COL_TYPE:
                return code_label(C.ORG_TYPE, item.get("org_type"), self._lang)
            if column == COL_REGION:
                return region_name(item.get("region_code"), self._lang) or item.get("region_code") or ""
            if column == COL_LAST_VISIT:
                last = item.get("last_visited_at")
                return format_market_time(last)[:10] if last else ""
            return int(item.get(_COUNT_KEYS[column]) or 0)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _COUNT_KEYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == COL_NAME and item.get("assigned"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_NAME:
            return item.get("address") or item["name"]
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_REGION:
            return item.get("region_code") or None  # the code behind the place name
        if role == ID_ROLE:
            return item["id"]
        if role == ASSIGNED_ROLE:
            return bool(item.get("assigned"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return super().headerData(section, orientation, role)
        headers = {
            COL_NAME: self.tr("Name"),
            COL_TYPE: self.tr("Type"),
            COL_REGION: self.tr("Region"),
            COL_VISITS: self.tr("Visits"),
            COL_LAST_VISIT: self.tr("Last visit"),
            COL_OPEN_DEMANDS: self.tr("Open demands"),
            COL_OVERDUE: self.tr("Overdue follow-ups"),
        }
        return headers.get(section)
