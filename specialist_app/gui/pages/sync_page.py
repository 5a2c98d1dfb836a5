"""Sync page: Sync now with progress, the log of runs, open conflicts and changes the market refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui import sync_data
from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.dialogs.conflicts import ConflictsDialog
from specialist_app.gui.dialogs.rejected import RejectedChangeDialog, open_record_editor, rejection_reason
from specialist_app.gui.dialogs.values import entity_label, label_of, value_text
from specialist_app.gui.pages.base import Page
from specialist_app.gui.status_bar import files_text, format_market_time
from specialist_app.gui.sync_controller import SyncController, SyncProgress, report_text
from specialist_app.store.conflicts import RejectionRow
from specialist_app.sync_engine import blobs
from sync.messages import choose, render

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls

RUN_COLS = ("started_at", "outcome", "pushed", "pulled", "conflicts", "rejected", "message")



def outcome_text(outcome: str | None) -> str:
    words = {
        "ok": translate("SyncPage", "Done"),
        "partial": translate("SyncPage", "Done, some changes refused"),
        "failed": translate("SyncPage", "Failed"),
        "offline": translate("SyncPage", "No network"),
        "auth": translate("SyncPage", "Sign-in needed"),
        "cancelled": translate("SyncPage", "Cancelled"),
    }
    return words.get(outcome or "", translate("SyncPage", "Did not finish"))


def run_message(run: dict[str, Any], lang: str) -> str:
    """A run's error in words: the text stored in `lang`, else the message code rendered in `lang`."""
    code = run.get("error_code")
    if not code:
        return ""
    stored = choose(lang, run.get("error_message"), run.get("error_message_en"))
    if stored:
        return str(stored)
    # A run logged before English texts were kept: the code without the parameters it would have filled in.
    text = render(str(code), lang, detail="", version="")
    return text.replace(" ()", "").replace("()", "").replace("（）", "")


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _fit_columns(table: QTableWidget) -> None:
    """Columns as wide as their texts; the last one also takes what is left of the width (a longer text keeps
    its width, and the table scrolls)."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    if header.length() < table.viewport().width():
        # Sizing the last column to its text ended its stretching until the table was resized (a visible page's
        # log stopped two thirds of the way across); switching the stretch off and on gives it the rest again.
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)


def _set_row(table: QTableWidget, row: int, texts: list[str]) -> None:
    for col, text in enumerate(texts):
        cell = QTableWidgetItem(text)
        cell.setToolTip(text)
        table.setItem(row, col, cell)


class SyncPage(Page):
    """Reads its lists through the task runner; the sync controller is attached once the window has one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, translate("SyncPage", "Sync"), parent)
        self.controller: SyncController | None = None
        self.overview = sync_data.SyncOverview([], [], [])
        self.sync_button = QPushButton(icon("sync"), self.tr("Sync now"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setEnabled(False)
        self.sync_button.setToolTip(self.tr("Sign in to a server to sync"))
        self.header.addWidget(self.sync_button)
        self.progress_row = QHBoxLayout()
        self.body.addLayout(self.progress_row)
        self.last_result = QLabel()
        self.last_result.setObjectName("sync_last_result")
        self.last_result.setProperty("data_text", True)
        self.last_result.setWordWrap(True)
        self.body.addWidget(self.last_result)
        self.files_note = QLabel()  # attachment files waiting for upload, and why the last try of each failed
        self.files_note.setObjectName("sync_pending_files")
        self.files_note.setWordWrap(True)
        self.files_note.setVisible(False)
        self.body.addWidget(self.files_note)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("sync_tabs")
        self.runs_table = _table([self.tr("Started"), self.tr("Result"), self.tr("Sent"), self.tr("Received"),
                                  self.tr("Conflicts"), self.tr("Refused"), self.tr("Message")], "sync_runs")
        self.runs_table.setAccessibleName(self.tr("Sync log"))
        self.conflicts_table = _table(
            [self.tr("Record"), self.tr("Field"), self.tr("Server value"), self.tr("My value")], "sync_conflicts")
        self.conflicts_table.setAccessibleName(self.tr("Open conflicts"))
        self.conflicts_table.doubleClicked.connect(lambda _index: self.open_conflicts())
        self.rejections_table = _table(
            [self.tr("Record"), self.tr("Change"), self.tr("Why it was refused")], "sync_rejections")
        self.rejections_table.setAccessibleName(self.tr("Refused changes"))
        self.rejections_table.doubleClicked.connect(lambda _index: self.fix_rejection())

        self.resolve_button = QPushButton(self.tr("Resolve conflicts…"))
        self.resolve_button.setObjectName("sync_resolve")
        self.resolve_button.clicked.connect(self.open_conflicts)
        self.fix_button = QPushButton(self.tr("Fix…"))
        self.fix_button.setObjectName("sync_fix")
        self.fix_button.clicked.connect(self.fix_rejection)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("sync_dismiss")
        self.dismiss_button.clicked.connect(self.dismiss_rejection)
        self.tabs.addTab(self.runs_table, self.tr("Sync log"))
        self.tabs.addTab(self._with_buttons(self.conflicts_table, [self.resolve_button]), self.tr("Conflicts"))
        self.tabs.addTab(self._with_buttons(self.rejections_table, [self.fix_button, self.dismiss_button]),
                         self.tr("Refused changes"))
        self.body.addWidget(self.tabs, 1)

    @staticmethod
    def _with_buttons(table: QTableWidget, buttons: list[QPushButton]) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        return holder

    def attach(self, controller: SyncController) -> None:
        """Connect the page to the window's sync controller (Sync now, progress, refresh after each run)."""
        self.controller = controller
        self.sync_button.setEnabled(True)
        self.sync_button.setToolTip(self.tr("Send your changes and get the market's (F5)"))
        self.sync_button.clicked.connect(controller.sync_now)
        self.progress = SyncProgress(controller, self.ctx.lang)
        self.progress_row.addWidget(self.progress)
        self.progress_row.addStretch(1)
        controller.started.connect(lambda: self.sync_button.setEnabled(False))
        controller.finished.connect(self._run_finished)

    def _run_finished(self, report: Any) -> None:
        self.sync_button.setEnabled(True)
        self.last_result.setText(report_text(report, self.ctx.lang))
        self.refresh()

    def refresh(self) -> None:
        self.ctx.runner.submit(sync_data.sync_overview(), self._show, key="sync-overview")

    def _show(self, overview: sync_data.SyncOverview) -> None:
        self.overview = overview
        lang = self.ctx.lang
        self.runs_table.setRowCount(len(overview.runs))
        for row, run in enumerate(overview.runs):
            _set_row(self.runs_table, row, [
                format_market_time(str(run["started_at"])), outcome_text(run["outcome"]), str(run["pushed"]),
                str(run["pulled"]), str(run["conflicts"]), str(run["rejected"]), run_message(run, lang)])
        self.conflicts_table.setRowCount(len(overview.conflicts))
        for row, item in enumerate(overview.conflicts):
            name, field = str(item["entity"]), str(item["field"])
            _set_row(self.conflicts_table, row, [
                self._record_text(item), label_of(name, field, lang),
                value_text(name, field, item["theirs"], lang), value_text(name, field, item["mine"], lang)])
        self.rejections_table.setRowCount(len(overview.rejections))
        for row, refused in enumerate(overview.rejections):
            _set_row(self.rejections_table, row, [
                self._record_text(refused), self._op_text(str(refused["op"])),
                rejection_reason(refused, lang).replace("\n", "；")])
        for table in (self.runs_table, self.conflicts_table, self.rejections_table):
            _fit_columns(table)
        self._show_files(overview.files, lang)
        self.tabs.setTabText(1, self.tr("Conflicts (%1)").replace("%1", str(len(overview.conflicts))))
        self.tabs.setTabText(2, self.tr("Refused changes (%1)").replace("%1", str(len(overview.rejections))))
        self.resolve_button.setEnabled(bool(overview.conflicts))
        self.fix_button.setEnabled(bool(overview.rejections))
        self.dismiss_button.setEnabled(bool(overview.rejections))

    def _show_files(self, files: dict[str, Any], lang: str) -> None:
        count = int(files.get("pending_files") or 0)
        self.files_note.setVisible(count > 0)
        lines = [files_text(count, int(files.get("pending_file_bytes") or 0))]
        for file in files.get("files", []):
            if file["state"] == "partial":
                lines.append(self.tr("%1 (%2 MB): %3 % uploaded; the next sync goes on from there")
                             .replace("%1", str(file["name"])).replace("%2", f"{file['size'] / (1024 * 1024):.1f}")
                             .replace("%3", str(int(100 * file["sent"] / max(1, file["size"])))))
            elif file["state"] == "failed":
                lines.append(self.tr("%1 (%2 MB): the last upload failed (%3); it is tried again at the next sync")
                             .replace("%1", str(file["name"])).replace("%2", f"{file['size'] / (1024 * 1024):.1f}")
                             .replace("%3", blobs.failure_text(file["reason"], lang)))
        self.files_note.setText("\n".join(lines))

    def _record_text(self, item: Mapping[str, Any]) -> str:
        label = entity_label(str(item["entity"]), self.ctx.lang)
        return f"{label}：{item['title']}" if item.get("title") else label

    def _op_text(self, op: str) -> str:
        return {"create": self.tr("New record"), "update": self.tr("Edit"), "delete": self.tr("Delete")}.get(op, op)

    def open_conflicts(self) -> ConflictsDialog:
        dialog = ConflictsDialog(self.ctx, parent=self)
        dialog.finished.connect(lambda _code: self.refresh())
        dialog.open()
        return dialog

    def _selected_rejection(self) -> RejectionRow | None:
        row = self.rejections_table.currentRow()
        if row < 0 and self.overview.rejections:
            row = 0
        return self.overview.rejections[row] if 0 <= row < len(self.overview.rejections) else None

    def fix_rejection(self) -> None:
        """Open the record's editor (when the editors offer one) beside the reason for the refusal."""
        item = self._selected_rejection()
        if item is None:
            return
        dialog = RejectedChangeDialog(self.ctx, item, parent=self)
        dialog.show()
        if item["op"] != "delete":
            open_record_editor(self.ctx, str(item["entity"]), str(item["row_id"]), self)

    def dismiss_rejection(self) -> None:
        item = self._selected_rejection()
        if item is not None:
            self.ctx.runner.submit(sync_data.dismiss_rejection(int(item["seq"])), self._dismissed)

    def _dismissed(self, _result: None) -> None:
        self.refresh()  # also when the page is shown outside the main window (keyed: one query either way)
        self.ctx.events.changed.emit("")
