"""A record the user may not change: the line saying why and the way forward, and "copy as a new record"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from sync.entities import Entity
from sync.permissions import Refusal, may_copy, may_propose_correction, refusal_hint, refusal_text

READ_ONLY_STYLE = "#read_only_banner { color: #5a4500; background: #fff6d6; border: 1px solid #e8d08a; }"


class ReadOnlyBanner(QFrame):
    """Hidden until `show_refusal`; `copy_requested` when the user asks for an editable copy."""

    copy_requested = Signal()
    correction_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("read_only_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(READ_ONLY_STYLE)
        row = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("read_only_reason")
        self.label.setWordWrap(True)
        self.label.setProperty("data_text", True)
        row.addWidget(self.label, 1)
        self.copy_button = QPushButton(QCoreApplication.translate("EditorDialog", "Copy as a new record"))
        self.copy_button.setObjectName("copy_as_new")
        self.copy_button.setToolTip(QCoreApplication.translate(
            "EditorDialog", "A new record with these values, for an institution assigned to you"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_requested)
        row.addWidget(self.copy_button)
        self.correct_button = QPushButton(QCoreApplication.translate("EditorDialog", "Propose a correction…"))
        self.correct_button.setObjectName("propose_correction")
        self.correct_button.setToolTip(QCoreApplication.translate(
            "EditorDialog", "A note to the market's administrators saying what should be corrected; sent at the next"
            " sync"))
        self.correct_button.setAutoDefault(False)
        self.correct_button.clicked.connect(self.correction_requested)
        row.addWidget(self.correct_button)
        self.hide()

    def show_refusal(self, entity: Entity, refusal: Refusal, lang: str, *, stored: bool) -> None:
        self.label.setText(refusal_text(refusal, lang) + "\n" + refusal_hint(refusal, lang))
        self.copy_button.setVisible(stored and may_copy(entity))
        self.correct_button.setVisible(stored and may_propose_correction(entity))
        self.show()


def copied_values(entity: Entity, record: Mapping[str, Any]) -> dict[str, Any]:
    """The values a copy starts with: what the user may type, without links to other records (the institution,
    the source visit), which the copy's author chooses."""
    return {
        f.name: record[f.name] for f in entity.editable_fields()
        if f.ref is None and record.get(f.name) not in (None, "", [])
    }
