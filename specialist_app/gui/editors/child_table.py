"""A table of child records (IP items of an achievement, follow-ups of a visit) edited in place, rows added/removed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import icon
from specialist_app.gui.editors.form import ERROR_STYLE, reveal
from specialist_app.gui.editors.input_factory import make_input
from specialist_app.gui.editors.inputs import FieldInput
from specialist_app.gui.i18n import field_label
from specialist_app.services.editing import ChildRows
from sync.entities import Entity
from sync.fields import Kind
from sync.messages import Problem
from sync.validation import validate

_COLUMN_WIDTHS = {Kind.BOOL: 70, Kind.DATE: 160, Kind.CODE: 150, Kind.TEXT: 180}


class ChildTable(QWidget):
    """One row per child record, one cell input per field (the parent reference is implied)."""

    changed = Signal()

    def __init__(self, entity: Entity, lang: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity = entity
        self.lang = lang
        self.setObjectName(f"children_{entity.name}")
        self.field_names = [f.name for f in entity.editable_fields() if f.name != entity.parent_field]
        self._row_inputs: list[dict[str, FieldInput]] = []
        self._row_ids: list[str | None] = []
        self.removed_ids: list[str] = []
        self._bad_cells: list[tuple[int, str]] = []  # (row, field) marked in red, in reading order

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.title_label = QLabel(title)
        header.addWidget(self.title_label)
        header.addStretch(1)
        self.add_button = QPushButton(icon("add"), QCoreApplication.translate("ChildTable", "Add row"))
        self.add_button.setObjectName(f"add_{entity.name}")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row({}, focus=True))
        self.remove_button = QPushButton(QCoreApplication.translate("ChildTable", "Remove row"))
        self.remove_button.setObjectName(f"remove_{entity.name}")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_current_row)
        header.addWidget(self.add_button)
        header.addWidget(self.remove_button)
        layout.addLayout(header)

        self.table = QTableWidget(0, len(self.field_names))
        self.table.setAccessibleName(title)
        self.table.setHorizontalHeaderLabels([field_label(entity.field(n), lang) for n in self.field_names])
        self.table.setProperty("data_text", True)  # headers are contract labels
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns = self.table.horizontalHeader()
        columns.setStretchLastSection(False)
        for column, name in enumerate(self.field_names):
            columns.resizeSection(column, self._column_width(column, name))
        self.stretch_column = self._text_column()
        if self.stretch_column >= 0:  # spare width goes to the text people type (the follow-up item), not a tick
            columns.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        else:
            columns.setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        self.table.setTabKeyNavigation(False)  # Tab moves between the cells' inputs (add_row), not the table's cursor
        layout.addWidget(self.table)
        self.error_label = QLabel()
        self.error_label.setObjectName(f"errors_{entity.name}")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("data_text", True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

    def _text_column(self) -> int:
        """The first free-text column (-1 when there is none)."""
        kinds = (Kind.TEXT, Kind.LONGTEXT)
        return next((i for i, n in enumerate(self.field_names) if self.entity.field(n).kind in kinds), -1)

    def _column_width(self, column: int, name: str) -> int:
        """Wide enough for the header and for the cell input's longest choice (e.g. "Invention patent")."""
        probe = make_input(self.entity.field(name), self.lang, self)
        needed = probe.widget.sizeHint().width()
        probe.widget.deleteLater()
        header = self.table.horizontalHeader().sectionSizeFromContents(column).width()
        return max(_COLUMN_WIDTHS.get(self.entity.field(name).kind, 150), needed, header + 8)

    def row_count(self) -> int:
        return len(self._row_inputs)

    def cell(self, row: int, name: str) -> FieldInput:
        return self._row_inputs[row][name]

    def add_row(self, values: Mapping[str, Any], *, focus: bool = False) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        inputs: dict[str, FieldInput] = {}
        for column, name in enumerate(self.field_names):
            field_input = make_input(self.entity.field(name), self.lang, self)
            field_input.set_value(values.get(name))
            field_input.changed.connect(self.changed)
            self.table.setCellWidget(row, column, field_input.widget)
            inputs[name] = field_input
        # Tab goes cell by cell along the row, then on to the next row (the focus chain of widgets put into a table
        # follows their creation, which skipped a date cell's edit).
        previous = next(reversed(self._row_inputs[-1].values())).tab_widgets()[-1] if self._row_inputs else None
        for field_input in inputs.values():
            for widget in field_input.tab_widgets():
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
        self._row_inputs.append(inputs)
        self._row_ids.append(values.get("id"))
        if focus:
            self.table.selectRow(row)
            next(iter(inputs.values())).focus_widget().setFocus()
        self.changed.emit()
        return row

    def select_row_id(self, row_id: str | None) -> bool:
        """Select the stored row `row_id`, scrolled into view with its first cell focused; False when absent."""
        if row_id is None or row_id not in self._row_ids:
            return False
        row = self._row_ids.index(row_id)
        self.table.selectRow(row)
        self.table.scrollTo(self.table.model().index(row, 0))
        next(iter(self._row_inputs[row].values())).focus_widget().setFocus()
        return True

    def focus_first_error(self) -> bool:
        """Scroll to the first cell marked in red and focus it; False when none is."""
        if not self._bad_cells or self._bad_cells[0][0] >= len(self._row_inputs):
            return False
        row, name = self._bad_cells[0]
        self.table.scrollTo(self.table.model().index(row, self.field_names.index(name)))
        cell = self._row_inputs[row][name]
        reveal(cell.widget, cell.focus_widget())
        return True

    def remove_current_row(self) -> None:
        row = self.table.currentRow()
        if row < 0 and self._row_inputs:
            row = len(self._row_inputs) - 1
        if row >= 0:
            self.remove_row(row)

    def remove_row(self, row: int) -> None:
        stored = self._row_ids.pop(row)
        if stored:
            self.removed_ids.append(stored)
        self._row_inputs.pop(row)
        self.table.removeRow(row)
        self.changed.emit()

    def set_rows(self, rows: Sequence[Mapping[str, Any]], removed_ids: Sequence[str] = ()) -> None:
        while self._row_inputs:
            self._row_ids.pop()
            self._row_inputs.pop()
            self.table.removeRow(self.table.rowCount() - 1)
        self.removed_ids = list(removed_ids)
        for values in rows:
            self.add_row(values)

    def contents(self) -> ChildRows:
        rows = []
        for inputs, id in zip(self._row_inputs, self._row_ids, strict=True):
            values = {name: field_input.value() for name, field_input in inputs.items()}
            rows.append({**({"id": id} if id else {}), **values})
        return ChildRows(self.entity.name, rows, list(self.removed_ids))

    def problems(self) -> list[Problem]:
        """Validation problems per row (params["row"] is the 0-based row), the parent reference left aside."""
        found = []
        for row, values in enumerate(self.contents().rows):
            _clean, problems = validate(self.entity, {k: v for k, v in values.items() if k != "id"})
            found += [
                Problem(p.field, p.code, {**p.params, "row": row})
                for p in problems
                if p.field != self.entity.parent_field
            ]
        return found

    def show_problems(self, problems: Sequence[Problem]) -> None:
        lines = []
        bad_rows: set[tuple[int, str]] = set()
        for problem in problems:
            row = int(problem.params.get("row", 0))
            bad_rows.add((row, problem.field))
            lines.append(
                QCoreApplication.translate("ChildTable", "Row %1: %2")
                .replace("%1", str(row + 1))
                .replace("%2", problem.message(self.lang))
            )
        self._bad_cells = [(row, name) for row, inputs in enumerate(self._row_inputs) for name in inputs
                           if (row, name) in bad_rows]
        for row, inputs in enumerate(self._row_inputs):
            for name, field_input in inputs.items():
                field_input.widget.setStyleSheet("border: 1px solid #c0392b;" if (row, name) in bad_rows else "")
        self.error_label.setText("\n".join(lines))
        self.error_label.setVisible(bool(lines))
