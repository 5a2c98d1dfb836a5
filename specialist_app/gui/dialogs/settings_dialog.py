"""Settings: account and server, language, sync interval, first-sync catalog, data folder, export, About."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.about import AboutDialog
from specialist_app.gui.dialogs.import_dialog import ImportDialog, import_spreadsheet
from specialist_app.gui.i18n import LANGUAGES
from specialist_app.gui.ui_loader import child, load_form
from specialist_app.store.db import Store

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}  # each language named in itself, never translated
MAX_INTERVAL_MINUTES = 24 * 60


class SettingsDialog(QDialog):
    """Saves on OK; the language applies at the next start, the interval at once (`interval_changed`)."""

    interval_changed = Signal(int)
    switch_account_requested = Signal()
    sign_out_requested = Signal()
    exported = Signal(object)  # {entity: count} written

    def __init__(self, ctx: AppContext, account: Account | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account
        load_form("settings_dialog", self)

        self.server_edit = child(self, QLineEdit, "settings_server")
        self.server_edit.setText(account.server_url if account else "")
        self.user_label = child(self, QLabel, "settings_user")
        self.user_label.setText(account.username if account else "—")
        self.switch_button = child(self, QPushButton, "settings_switch")
        self.switch_button.clicked.connect(self._switch)
        self.sign_out_button = child(self, QPushButton, "settings_sign_out")
        self.sign_out_button.setEnabled(account is not None)
        self.sign_out_button.clicked.connect(self._sign_out)

        self.language_combo = child(self, QComboBox, "settings_language")
        self.language_combo.addItem(self.tr("Same as the system"), "")
        for lang in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[lang], lang)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(ctx.settings.language or "")))
        self.language_note = child(self, QLabel, "settings_language_note")

        self.interval_spin = child(self, QSpinBox, "settings_interval")
        self.interval_spin.setRange(1, MAX_INTERVAL_MINUTES)
        self.interval_spin.setValue(ctx.settings.sync_interval_minutes)
        self.catalog_combo = child(self, QComboBox, "settings_catalog")
        self.catalog_combo.addItem(self.tr("Automatic (by the network's speed)"), "auto")
        self.catalog_combo.addItem(self.tr("Always the snapshot (fast network)"), "snapshot")
        self.catalog_combo.addItem(self.tr("Page by page (slow network, fewer bytes)"), "pages")
        self.catalog_combo.setCurrentIndex(max(0, self.catalog_combo.findData(ctx.settings.catalog_mode)))
        self.data_dir_edit = child(self, QLineEdit, "settings_data_dir")
        self.data_dir_edit.setText(str(Path(ctx.data_dir) / "profiles" / ctx.profile))

        self.export_button = child(self, QPushButton, "settings_export")
        self.export_button.clicked.connect(self._choose_export_file)
        self.import_button = child(self, QPushButton, "settings_import")
        self.import_button.clicked.connect(self.import_spreadsheet)
        self.about_button = child(self, QPushButton, "settings_about")
        self.about_button.clicked.connect(self.show_about)
        self.export_status = child(self, QLabel, "settings_export_status")

        buttons = child(self, QDialogButtonBox, "settings_buttons")
        # Standard button texts come from Qt's own catalogue, which the app does not ship: ours are set here.
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

    def save(self) -> None:
        settings = self.ctx.settings
        settings.language = str(self.language_combo.currentData() or "") or None
        settings.catalog_mode = str(self.catalog_combo.currentData())
        minutes = self.interval_spin.value()
        if minutes != settings.sync_interval_minutes:
            settings.sync_interval_minutes = minutes
            self.interval_changed.emit(minutes)
        self.accept()

    def _switch(self) -> None:
        self.switch_account_requested.emit()
        self.reject()

    def _sign_out(self) -> None:
        self.sign_out_requested.emit()
        self.reject()

    def _choose_export_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export my data"), str(Path.home() / "specialist-data.xlsx"),
            self.tr("Excel workbook (*.xlsx);;JSON (*.json)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every record to `path` (.xlsx or .json) on the task runner; the result shows below."""
        if path.suffix.lower() not in (".xlsx", ".json"):
            path = path.with_suffix(".xlsx")
        lang = self.ctx.lang
        self.export_button.setEnabled(False)
        self.export_status.setText(self.tr("Exporting…"))

        def job(store: Store) -> dict[str, int]:
            from specialist_app.transfer.exporter import export_file  # openpyxl loads only when exporting

            return export_file(store, path, lang=lang)

        self.ctx.runner.submit(job, lambda counts: self._exported(path, counts), self._export_failed, owner=self)

    def _exported(self, path: Path, counts: dict[str, int]) -> None:
        self.export_button.setEnabled(True)
        self.export_status.setText(self.tr("Exported %1 records to %2")
                                   .replace("%1", str(sum(counts.values()))).replace("%2", str(path)))
        self.exported.emit(counts)

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        message: Any = getattr(exc, "message", None)
        text = message(self.ctx.lang) if callable(message) else str(exc)
        self.export_status.setText(self.tr("Export failed: %1").replace("%1", text))

    def import_spreadsheet(self) -> ImportDialog | None:
        """Choose a spreadsheet and import it; its dialog reports what was imported and any bad rows."""
        return import_spreadsheet(self.ctx, self)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.ctx.data_dir, self.account, self)
        dialog.open()
        return dialog
