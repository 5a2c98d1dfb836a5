"""The base of the GUI's read-only lists: rows of plain dicts shown through named columns and roles.

Vorta's shape: each model names its columns (`COL_*`) and headers, `set_rows` replaces every row inside a model
reset, and views ask for roles: the record id, the whole row, a tooltip, a colour. `RecordList` sizes the
columns: each fits its content up to a cap, and the one long text column takes the room that is left.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's record id
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the whole row (a dict)
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 3  # which entity the row is (a tree mixes visits and follow-ups)

TEXT_COLUMN_CAP = 160  # px: a long name column gives way to the stretched one (its tooltip has the whole text)
OVERDUE_COLOUR = QColor("#b3261e")  # overdue follow-ups: red text, readable on white and on the alternate row
DONE_COLOUR = QColor("#6b6b6b")

AnyIndex = QModelIndex | QPersistentModelIndex


def overdue_days(item: dict[str, Any], today: date) -> int:
    """Days a follow-up not done is past its due date (0 when done, undated or not due yet)."""
    due = item.get("due_date")
    if item.get("done") or not due:
        return 0
    try:
        return max((today - date.fromisoformat(str(due)[:10])).days, 0)
    except ValueError:
        return 0


class RowsModel(QAbstractTableModel):
    """Subclasses give `headers()` and `display()`; optionally `tooltip()`, `colour()` and `STRETCH_COLUMN`."""

    STRETCH_COLUMN = -1  # the long text column (-1: the last one)

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._rows: list[dict[str, Any]] = []

    def headers(self) -> list[str]:
        raise NotImplementedError

    def display(self, item: dict[str, Any], column: int) -> str:
        raise NotImplementedError

    def tooltip(self, item: dict[str, Any], column: int) -> str | None:
        return None

    def colour(self, item: dict[str, Any], column: int) -> QColor | None:
        return None

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return item_data(self, self._rows[index.row()], index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return super().headerData(section, orientation, role)


def item_data(model: Any, item: dict[str, Any], column: int, role: int) -> Any:
    """One cell's role, for flat and tree models alike (both have display/tooltip/colour)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return model.display(item, column)
    if role == Qt.ItemDataRole.ToolTipRole:
        return model.tooltip(item, column) or model.display(item, column) or None
    if role == Qt.ItemDataRole.ForegroundRole:
        colour = model.colour(item, column)
        return QBrush(colour) if colour is not None else None
    if role == ID_ROLE:
        return item.get("id")
    if role == ROW_ROLE:
        return item
    if role == ENTITY_ROLE:
        return item.get("_entity")
    return None


class RecordList(QTreeView):
    """A read-only list over a row model: whole rows selected; every column fits its content (and header) up to
    TEXT_COLUMN_CAP, and one long text column (`stretch`, default the last; a tuple: several, sharing it) takes the
    room left, eliding."""

    def __init__(self, model: QAbstractItemModel, stretch: int | tuple[int, ...] = -1,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        count = model.columnCount()
        wanted = stretch if isinstance(stretch, tuple) else (stretch,)
        self.stretch_columns = tuple(column % count for column in wanted) if count else (0,)
        self.stretch_column = self.stretch_columns[0]
        for column in self.stretch_columns:  # two long text columns share the room left equally
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        model.modelReset.connect(self.fit_columns)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Size the columns to the rows shown now (call again after expanding a tree)."""
        header = self.header()
        for column in range(header.count()):
            if column not in self.stretch_columns:
                needed = max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
                header.resizeSection(column, min(needed, TEXT_COLUMN_CAP))

    def expand_all(self) -> None:
        self.expandAll()
        self.fit_columns()


def list_view(model: QAbstractItemModel, name: str, accessible_name: str, *, stretch: int | tuple[int, ...] = -1,
              tree: bool = False, parent: QWidget | None = None) -> RecordList:
    """A RecordList named for tests and screen readers; `tree` shows the expand arrows."""
    view = RecordList(model, stretch, parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible_name)
    view.setRootIsDecorated(tree)
    return view
