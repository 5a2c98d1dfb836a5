"""The main window: a navigation list beside a stack of pages, the Sync action and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.pages.base import Page
from specialist_app.gui.status_bar import SyncStatusBar
from specialist_app.gui.store_check import StoreCheck

# Sync shortcut: F5 ("get what is new", as in mail clients and browsers); Ctrl+S stays "save" in editors.
SYNC_SHORTCUT = "F5"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


@dataclass(frozen=True)
class PageSpec:
    key: str
    icon: str
    title: str  # English source, translated with _tr at build time
    factory: Callable[[AppContext], Page]


def page_specs() -> list[PageSpec]:
    """The navigation entries, in order (imports kept here so each page module stays independent)."""
    from specialist_app.gui.pages.catalog import CatalogPage
    from specialist_app.gui.pages.dashboard import DashboardPage
    from specialist_app.gui.pages.institutions import InstitutionsPage
    from specialist_app.gui.pages.sync_page import SyncPage
    from specialist_app.gui.pages.visits import VisitsPage

    return [
        PageSpec("dashboard", "dashboard", str(QT_TRANSLATE_NOOP("MainWindow", "Dashboard")), DashboardPage),
        PageSpec("institutions", "institution", str(QT_TRANSLATE_NOOP("MainWindow", "My institutions")),
                 InstitutionsPage),
        PageSpec("visits", "visit", str(QT_TRANSLATE_NOOP("MainWindow", "Visits")), VisitsPage),
        PageSpec("achievements", "achievement", str(QT_TRANSLATE_NOOP("MainWindow", "Achievements")),
                 lambda ctx: CatalogPage(ctx, "achievement")),
        PageSpec("demands", "demand", str(QT_TRANSLATE_NOOP("MainWindow", "Demands")),
                 lambda ctx: CatalogPage(ctx, "demand")),
        PageSpec("experts", "expert", str(QT_TRANSLATE_NOOP("MainWindow", "Experts")),
                 lambda ctx: CatalogPage(ctx, "expert")),
        PageSpec("sync", "sync", str(QT_TRANSLATE_NOOP("MainWindow", "Sync")), SyncPage),
    ]


class MainWindow(QMainWindow):
    """Navigation + pages; the status bar always says whether the work has reached the market."""

    sync_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Specialist workbench"))
        self.resize(1200, 780)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        for spec in page_specs():
            page = spec.factory(ctx)
            page.setObjectName(f"page_{spec.key}")
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(spec.icon), _tr(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(150, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sync_action = QAction(icon("sync"), self.tr("Sync now"), self)
        self.sync_action.setObjectName("action_sync")
        self.sync_action.setShortcut(QKeySequence(SYNC_SHORTCUT))
        self.sync_action.setToolTip(self.tr("Send your changes and get the market's (F5)"))
        self.sync_action.triggered.connect(self.sync_requested)
        toolbar = QToolBar(self.tr("Main toolbar"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.sync_action)
        self.addToolBar(toolbar)
        self._add_go_menu()

        self.status = SyncStatusBar(ctx)
        self.setStatusBar(self.status)
        ctx.events.changed.connect(self._on_data_changed)
        self.nav.setCurrentRow(0)
        self.status.refresh()
        self.store_check = StoreCheck(ctx, self)  # after the first page's queries: they go first

    def _add_go_menu(self) -> None:
        """Every page from the keyboard: Ctrl+1 … Ctrl+7 in navigation order (the Go menu shows them)."""
        menu = self.menuBar().addMenu(self.tr("&Go"))
        menu.setObjectName("menu_go")
        self.page_actions: dict[str, QAction] = {}
        for number, spec in enumerate(page_specs(), start=1):
            action = QAction(icon(spec.icon), _tr(spec.title), self)
            action.setObjectName(f"action_page_{spec.key}")
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_page(key))
            menu.addAction(action)
            self.page_actions[spec.key] = action
        menu.addSeparator()
        menu.addAction(self.sync_action)

    def show_page(self, key: str) -> Page:
        """Switch to a page by key (dashboard, institutions, visits, achievements, demands, experts, sync)."""
        row = list(self.pages).index(key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def _show_row(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.current_page().refresh()

    def _on_data_changed(self, _entity: str) -> None:
        self.status.refresh()
        self.current_page().refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.store_check.stop()
        self.ctx.runner.shutdown()
        super().closeEvent(event)
