"""Visits page (planning and logging visits: built by a later change)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.base import PlaceholderPage


class VisitsPage(PlaceholderPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            QCoreApplication.translate("VisitsPage", "Visits"),
            QCoreApplication.translate(
                "VisitsPage", "Plan a visit, then log it: people met, notes, follow-ups and attachments."),
            parent,
        )
