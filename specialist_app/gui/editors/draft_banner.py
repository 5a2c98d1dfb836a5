"""The editor's draft banner: "You have unsaved changes from …" with Restore draft and Discard draft."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from specialist_app.gui.status_bar import format_market_time


class DraftBanner(QFrame):
    """Hidden until `offer(draft)`; `take()` hands the offered draft over once (and hides the banner)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draft_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.restore_button = QPushButton(QCoreApplication.translate("EditorDialog", "Restore draft"))
        self.restore_button.setObjectName("restore_draft")
        self.discard_button = QPushButton(QCoreApplication.translate("EditorDialog", "Discard draft"))
        self.discard_button.setObjectName("discard_draft")
        for button in (self.restore_button, self.discard_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        self.hide()
        self._draft: dict[str, Any] | None = None

    def offer(self, found: dict[str, Any] | None) -> None:
        if not found:
            return
        self._draft = found
        self.label.setText(QCoreApplication.translate("EditorDialog", "You have unsaved changes from %1.").replace(
            "%1", format_market_time(str(found.get("saved_at") or ""))))
        self.show()

    def take(self) -> dict[str, Any] | None:
        found, self._draft = self._draft, None
        self.hide()
        return found
