"""What every page shares: a title row, the app context, and refresh()."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import MARGIN, SPACING, TITLE_FONT_STEP, AppContext


def data_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label showing data (not a translatable string): marked so the pseudo-translation test skips it."""
    label = QLabel(text, parent)
    label.setProperty("data_text", True)
    return label


def record_table(model: QAbstractItemModel, name: str, accessible_name: str) -> QTableView:
    """A read-only list of records, one row each, whole rows selected.

    Rows have a fixed height, so the view never measures them: 100,000 rows scroll as fast as 100.
    """
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


class Page(QWidget):
    """A page of the main window; subclasses fill `self.body` and implement refresh()."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.setSpacing(SPACING)
        header = QHBoxLayout()
        self.title_label = QLabel(title)
        font = self.title_label.font()
        font.setPointSize(font.pointSize() + TITLE_FONT_STEP)
        font.setBold(True)
        self.title_label.setFont(font)
        header.addWidget(self.title_label)
        header.addStretch(1)
        self.header = header
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(SPACING)
        outer.addLayout(self.body, 1)

    def refresh(self) -> None:
        """Reload what the page shows (called when it becomes visible and after data changes)."""


class PlaceholderPage(Page):
    """A page whose content a later change builds; says so in words."""

    def __init__(self, ctx: AppContext, title: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        label = QLabel(note)
        label.setWordWrap(True)
        self.body.addWidget(label)
        self.body.addStretch(1)
