"""Dashboard page."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.base import PlaceholderPage


class DashboardPage(PlaceholderPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("DashboardPage", "Dashboard"), "", parent)
