"""Sync page (progress, sync log and rejected changes: built with the sync engine)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.base import PlaceholderPage


class SyncPage(PlaceholderPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            QCoreApplication.translate("SyncPage", "Sync"),
            QCoreApplication.translate(
                "SyncPage", "Each sync run, what it sent and received, and changes the market refused."),
            parent,
        )
