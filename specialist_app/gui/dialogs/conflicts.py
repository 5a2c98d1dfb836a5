"""The conflicts dialog: field by field base / theirs (who, when) / mine; keep either or type a merged value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui import sync_data
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.values import editable_text, entity_label, label_of, value_text
from specialist_app.gui.status_bar import format_market_time
from specialist_app.store.conflicts import ConflictRow
from sync.fields import Invalid
from sync.merge import DELETED
from sync.messages import render

COL_RECORD, COL_FIELD, COL_BASE, COL_THEIRS, COL_THEIRS_BY, COL_MINE, COL_CHOICE, COL_MERGED = range(8)
KEEP_CHOICES = ("", "mine", "theirs", "merged")


class ConflictsDialog(QDialog):
    """Lists the open conflicts (or those of one record) and resolves the chosen ones through the task runner."""

    resolved = Signal(int)  # how many were resolved

    def __init__(self, ctx: AppContext, *, row_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.only_row = row_id
        self.conflicts: list[ConflictRow] = []
        self.setObjectName("ConflictsDialog")
        self.setWindowTitle(self.tr("Resolve conflicts"))
        self.resize(1180, 480)
        intro = QLabel(self.tr(
            "The same field was changed here and on the server. For each field choose which value to keep, "
            "or type the value it should have. Your choice is sent at the next sync."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("conflicts_table")
        self.table.setAccessibleName(self.tr("Conflicts"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Record"), self.tr("Field"), self.tr("Before"), self.tr("Server value"),
            self.tr("Changed on the server by"), self.tr("My value"), self.tr("Keep"), self.tr("Merged value"),
        ])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("conflicts_error")
        self.error_label.setProperty("data_text", True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setObjectName("conflicts_apply")
        self.apply_button.setText(self.tr("Apply choices"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.load()

    def load(self) -> None:
        self.ctx.runner.submit(sync_data.sync_overview(limit=0), self._show)

    def _show(self, overview: sync_data.SyncOverview) -> None:
        found = overview.conflicts
        if self.only_row is not None:
            found = [c for c in found if c["row_id"] == self.only_row]
        self.conflicts = found
        lang = self.ctx.lang
        self.table.setRowCount(len(found))
        for row, item in enumerate(found):
            entity_name, field = str(item["entity"]), str(item["field"])
            record = entity_label(entity_name, lang) + (f"：{item['title']}" if item.get("title") else "")
            when = format_market_time(str(item["theirs_at"])) if item.get("theirs_at") else ""
            who = " ".join(part for part in (str(item.get("theirs_by") or ""), when) if part)
            cells = {
                COL_RECORD: record, COL_FIELD: label_of(entity_name, field, lang),
                COL_BASE: value_text(entity_name, field, item["base"], lang),
                COL_THEIRS: value_text(entity_name, field, item["theirs"], lang),
                COL_THEIRS_BY: who, COL_MINE: value_text(entity_name, field, item["mine"], lang),
            }
            for col, text in cells.items():
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, col, cell)
            combo = QComboBox()
            combo.setObjectName(f"conflict_choice_{row}")
            combo.setAccessibleName(self.tr("Keep"))
            combo.addItem(self.tr("Decide later"), "")
            combo.addItem(self.tr("Keep mine"), "mine")
            combo.addItem(self.tr("Keep the server's"), "theirs")
            merged = QLineEdit(editable_text(entity_name, field, item["mine"], lang))
            merged.setObjectName(f"conflict_merged_{row}")
            merged.setAccessibleName(self.tr("Merged value"))
            merged.setPlaceholderText(self.tr("Type the value to keep"))
            merged.setEnabled(False)
            if field != DELETED:
                combo.addItem(self.tr("Type a merged value"), "merged")
            combo.currentIndexChanged.connect(
                lambda _i, c=combo, m=merged: m.setEnabled(c.currentData() == "merged"))
            self.table.setCellWidget(row, COL_CHOICE, combo)
            self.table.setCellWidget(row, COL_MERGED, merged)
        self.table.resizeColumnsToContents()
        for col in (COL_BASE, COL_THEIRS, COL_MINE):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 220))
        self.table.resizeRowsToContents()
        self.apply_button.setEnabled(bool(found))

    def choice_combo(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, COL_CHOICE)
        assert isinstance(widget, QComboBox)
        return widget

    def merged_edit(self, row: int) -> QLineEdit:
        widget = self.table.cellWidget(row, COL_MERGED)
        assert isinstance(widget, QLineEdit)
        return widget

    def set_choice(self, row: int, keep: str, merged_text: str | None = None) -> None:
        """Choose for one row (what a click in the row's combo does); used by keyboard users and tests alike."""
        combo = self.choice_combo(row)
        combo.setCurrentIndex(combo.findData(keep))
        if merged_text is not None:
            self.merged_edit(row).setText(merged_text)

    def choices(self) -> list[sync_data.Choice]:
        chosen = []
        for row, item in enumerate(self.conflicts):
            keep = str(self.choice_combo(row).currentData() or "")
            if keep:
                chosen.append(sync_data.Choice(str(item["id"]), keep, self.merged_edit(row).text()))
        return chosen

    def apply(self) -> None:
        chosen = self.choices()
        if not chosen:
            self.error_label.setText(self.tr("Choose what to keep for at least one field."))
            return
        for row, item in enumerate(self.conflicts):
            choice = next((c for c in chosen if c.conflict_id == item["id"]), None)
            if choice is None or choice.keep != "merged":
                continue
            try:
                sync_data.merged_value(str(item["entity"]), str(item["field"]), choice.merged_text)
            except Invalid as exc:
                label = label_of(str(item["entity"]), str(item["field"]), self.ctx.lang)
                self.error_label.setText(f"{label}：{render(exc.code, self.ctx.lang, label=label, **exc.params)}")
                self.merged_edit(row).setFocus()
                return
        self.error_label.clear()
        self.apply_button.setEnabled(False)
        self.ctx.runner.submit(sync_data.resolve_conflicts(chosen), self._done, self._failed)

    def _done(self, count: int) -> None:
        self.ctx.events.changed.emit("")
        self.resolved.emit(count)
        if len(self.conflicts) == count:
            self.accept()
        else:
            self.load()

    def _failed(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(True)
        self.error_label.setText(str(exc))

    def keyPressEvent(self, event: Any) -> None:
        # Enter inside a merged-value field must not apply every choice at once.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(self.focusWidget(), QLineEdit):
            self.focusNextChild()
            return
        super().keyPressEvent(event)
