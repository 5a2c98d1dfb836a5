"""Import a spreadsheet from the GUI: counts per record type, every bad row, and "import the good rows anyway"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import AppContext
from specialist_app.store.db import Store
from sync.entities import ENTITIES
from sync.messages import in_language

if TYPE_CHECKING:
    from sync.tabular.report import ImportReport

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def choose_import_file(parent: QWidget | None) -> Path | None:
    """Ask for a spreadsheet or JSON export to import; None when the user cancels."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, translate("ImportDialog", "Import spreadsheet"), str(Path.home()),
        translate("ImportDialog", "Spreadsheets and exports (*.xlsx *.csv *.json)"))
    return Path(path) if path else None


def import_spreadsheet(ctx: AppContext, parent: QWidget | None) -> ImportDialog | None:
    """File dialog, then the import dialog (already started); None when no file was chosen."""
    path = choose_import_file(parent)
    if path is None:
        return None
    dialog = ImportDialog(ctx, path, parent)
    dialog.open()
    dialog.start()
    return dialog


class ImportDialog(QDialog):
    """Runs the import on the task runner; with bad rows nothing is written until the user imports the good ones."""

    imported = Signal(object)  # the ImportReport, once records were written
    report_ready = Signal(object)  # every report (written or not)
    failed = Signal(str)  # the file could not be used: the message shown

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.report: ImportReport | None = None
        self.setObjectName("ImportDialog")
        self.setWindowTitle(self.tr("Import spreadsheet"))
        self.setMinimumSize(640, 420)

        self.file_label = QLabel(str(path))
        self.file_label.setObjectName("import_file")
        self.file_label.setProperty("data_text", True)
        self.file_label.setWordWrap(True)
        self.status_label = QLabel(self.tr("Reading the file…"))
        self.status_label.setObjectName("import_status")
        self.status_label.setWordWrap(True)

        self.counts_table = QTableWidget(0, 4)
        self.counts_table.setObjectName("import_counts")
        self.counts_table.setAccessibleName(self.tr("Records by type"))
        self.counts_table.setHorizontalHeaderLabels(
            [self.tr("Record type"), self.tr("Rows"), self.tr("Imported"), self.tr("Bad rows")])
        self.errors_label = QLabel(self.tr("Rows with problems"))
        self.errors_table = QTableWidget(0, 4)
        self.errors_table.setObjectName("import_errors")
        self.errors_table.setAccessibleName(self.tr("Rows with problems"))
        self.errors_table.setHorizontalHeaderLabels(
            [self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Reason")])
        for table in (self.counts_table, self.errors_table):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        self.errors_label.setVisible(False)
        self.errors_table.setVisible(False)

        self.buttons = QDialogButtonBox()
        self.import_good_button = QPushButton(self.tr("Import the good rows anyway"))
        self.import_good_button.setObjectName("import_good_rows")
        self.import_good_button.setVisible(False)
        self.import_good_button.clicked.connect(self.import_good_rows)
        self.buttons.addButton(self.import_good_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("import_close")
        self.close_button.setText(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.counts_table, 1)
        layout.addWidget(self.errors_label)
        layout.addWidget(self.errors_table, 2)
        layout.addWidget(self.buttons)

    def start(self, *, skip_invalid: bool = False) -> None:
        """Import the file on the task runner; the report (or the file's error) shows when it is done."""
        path, lang = self.path, self.ctx.lang
        self.import_good_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.status_label.setText(self.tr("Importing…"))

        def job(store: Store) -> ImportReport:
            from specialist_app.services.imports import import_file  # openpyxl loads only when importing

            return import_file(store, path, lang=lang, skip_invalid=skip_invalid)

        self.ctx.runner.submit(job, self._show_report, self._show_failure, owner=self)

    def import_good_rows(self) -> None:
        """Import again, this time writing the good rows and leaving out the bad ones."""
        self.start(skip_invalid=True)

    def _show_report(self, report: ImportReport) -> None:
        self.report = report
        self.close_button.setEnabled(True)
        self._fill_counts(report)
        self._fill_errors(report)
        good_rows = sum(max(0, c.rows - c.bad) for c in report.counts.values())
        waiting = bool(report.errors) and not report.written
        self.import_good_button.setVisible(waiting and good_rows > 0)
        self.import_good_button.setEnabled(waiting and good_rows > 0)
        self.close_button.setText(self.tr("Cancel") if waiting else self.tr("Close"))
        if report.written and report.errors:
            text = self.tr("Imported %1 records; left out %2 rows with problems.")
            text = text.replace("%1", str(report.imported)).replace("%2", str(report.bad_rows))
        elif report.written:
            text = self.tr("Imported %1 records.").replace("%1", str(report.imported))
        elif report.errors and good_rows:
            text = self.tr("%1 rows have problems, so nothing was imported yet. Fix the file and import it again, "
                           "or import the %2 good rows now.")
            text = text.replace("%1", str(report.bad_rows)).replace("%2", str(good_rows))
        elif report.errors:
            text = self.tr("%1 rows have problems and no row can be imported. Fix the file and import it again.")
            text = text.replace("%1", str(report.bad_rows))
        else:
            text = self.tr("The file holds no records.")
        self.status_label.setText(text)
        self.report_ready.emit(report)
        if report.written:
            self.ctx.events.changed.emit("")
            self.imported.emit(report)

    def _fill_counts(self, report: ImportReport) -> None:
        self.counts_table.setRowCount(len(report.counts))
        for row, (name, count) in enumerate(report.counts.items()):
            label = in_language(ENTITIES[name], self.ctx.lang)
            cells = [label, str(count.rows), str(count.imported), str(count.bad)]
            for column, text in enumerate(cells):
                self.counts_table.setItem(row, column, QTableWidgetItem(text))

    def _fill_errors(self, report: ImportReport) -> None:
        errors = report.sorted_errors()
        self.errors_table.setRowCount(len(errors))
        for row, err in enumerate(errors):
            cells = [err.sheet, str(err.row), err.column, err.message(self.ctx.lang)]
            for column, text in enumerate(cells):
                self.errors_table.setItem(row, column, QTableWidgetItem(text))
        self.errors_label.setVisible(bool(errors))
        self.errors_table.setVisible(bool(errors))

    def _show_failure(self, exc: BaseException) -> None:
        self.close_button.setEnabled(True)
        self.close_button.setText(self.tr("Close"))
        self.import_good_button.setVisible(False)
        message: Any = getattr(exc, "message", None)
        text = message(self.ctx.lang) if callable(message) else str(exc)
        self.status_label.setText(self.tr("Cannot import this file: %1").replace("%1", text))
        self.failed.emit(text)
