"""A rejected change: why the market refused it, and the record's fields; "fix" opens the record's editor."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui import sync_data
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.values import entity_label, label_of, value_text
from specialist_app.gui.editors import jobs
from specialist_app.services import refusals
from sync.entities import entity
from sync.fields import Kind

log = logging.getLogger(__name__)


def rejection_reason(item: Mapping[str, Any], lang: str) -> str:
    """Why the server refused a change, in words (services.refusals: the CLI says the same)."""
    return refusals.rejection_text(item, lang)


def open_record_editor(ctx: AppContext, entity_name: str, row_id: str, parent: QWidget | None) -> bool:
    """Open the editors package's editor for the record when it offers one; False when it does not (yet)."""
    try:
        module = importlib.import_module("specialist_app.gui.editors.dialog")
    except ImportError:
        return False
    opener = getattr(module, "open_editor", None)
    if opener is None:
        return False
    try:
        opener(ctx, entity_name, row_id, parent=parent)
    except Exception:  # an editor that cannot open this record: fall back to showing its fields
        log.exception("editor for %s could not open", entity_name)
        return False
    return True


class RejectedChangeDialog(QDialog):
    """Shows the refused change's reason and the record as stored here (read-only)."""

    def __init__(self, ctx: AppContext, item: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        lang = ctx.lang
        self.setObjectName("RejectedChangeDialog")
        self.setWindowTitle(self.tr("Change refused by the market"))
        self.resize(560, 520)
        name = str(item["entity"])
        heading = QLabel(entity_label(name, lang) + (f"：{item['title']}" if item.get("title") else ""))
        heading.setProperty("data_text", True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        reason_title = QLabel(self.tr("Why it was refused"))
        self.reason = QLabel(rejection_reason(item, lang))
        self.reason.setObjectName("rejected_reason")
        self.reason.setProperty("data_text", True)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b00020;")
        self.fields = QFormLayout()
        holder = QWidget()
        holder.setLayout(self.fields)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        note = QLabel(self.tr("Correct the record in its editor and save: the corrected change is sent at the "
                              "next sync. Then dismiss this entry."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, reason_title, self.reason):
            layout.addWidget(widget)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        ctx.runner.submit(sync_data.record_fields(name, str(item["row_id"])), self._show)

    def _show(self, record: dict[str, Any] | None) -> None:
        name, lang = str(self.item["entity"]), self.ctx.lang
        refused = self.item.get("fields") if isinstance(self.item.get("fields"), dict) else {}
        values = {**(record or {}), **(refused or {})}
        if record is None:
            self.fields.addRow(QLabel(QCoreApplication.translate("RejectedChangeDialog",
                                                                 "This record is no longer on this computer.")))
        for f in entity(name).fields:
            if f.server_managed or f.name not in values:
                continue
            label = QLabel(label_of(name, f.name, lang))
            label.setProperty("data_text", True)
            shown = QLabel(value_text(name, f.name, values[f.name], lang))
            shown.setProperty("data_text", True)
            shown.setWordWrap(True)
            self.fields.addRow(label, shown)
            if f.kind is Kind.REF and f.ref and values[f.name]:  # the record it names, not its id (019b76da-…)
                self.ctx.runner.submit(jobs.title_of(f.ref, str(values[f.name])), partial(_show_title, shown),
                                       owner=self)


def _show_title(shown: QLabel, title: str | None) -> None:
    if title:
        shown.setText(title)
