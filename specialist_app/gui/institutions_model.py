"""A table model over the my_institutions query: assigned institutions first, each with its counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from specialist_app.gui.i18n import code_label
from specialist_app.gui.row_model import AnyIndex, RowsModel
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

ASSIGNED_ROLE = Qt.ItemDataRole.UserRole + 4  # after row_model's ID/ROW/ENTITY roles

_COUNT_KEYS = {COL_VISITS: "visits", COL_OPEN_DEMANDS: "open_demands", COL_OVERDUE: "overdue_follow_ups"}


class InstitutionsModel(RowsModel):
    """Rows as the query returns them; set_rows replaces them all (institutions number in the thousands). Assigned
    institutions' names are bold; the counts are right-aligned."""

    STRETCH_COLUMN = COL_NAME

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Type"), self.tr("Region"), self.tr("Visits"), self.tr("Last visit"),
                self.tr("Open demands"), self.tr("Overdue follow-ups")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == COL_NAME:
            return str(item["name"])
        if column == COL_TYPE:
            return code_label(C.ORG_TYPE, item.get("org_type"), self.lang)
        if column == COL_REGION:
            return region_name(item.get("region_code"), self.lang) or str(item.get("region_code") or "")
        if column == COL_LAST_VISIT:
            last = item.get("last_visited_at")
            return format_market_time(last)[:10] if last else ""
        return str(int(item.get(_COUNT_KEYS[column]) or 0))

    def tooltip(self, item: dict[str, Any], column: int) -> str | None:
        if column == COL_NAME:
            return str(item.get("address") or item["name"])
        if column == COL_REGION:
            return item.get("region_code") or None  # the code behind the place name
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        item, column = self.row(index.row()), index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _COUNT_KEYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == COL_NAME and item.get("assigned"):
            font = QFont()
            font.setBold(True)
            return font
        if role == ASSIGNED_ROLE:
            return bool(item.get("assigned"))
        return super().data(index, role)
