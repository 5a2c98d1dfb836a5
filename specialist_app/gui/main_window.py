"""The main window: a navigation list beside a stack of pages, the Sync action and the status bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMainWindow, QMenu, QStackedWidget, QWidget

from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.help import add_help_menu
from specialist_app.gui.pages.base import Page
from specialist_app.gui.status_bar import SyncStatusBar
from specialist_app.gui.store_check import StoreCheck
from specialist_app.gui.ui_loader import child, load_form

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


def _catalog(entity: str) -> Callable[[AppContext], Page]:
    def build(ctx: AppContext) -> Page:
        from specialist_app.gui.pages.catalog import CatalogPage

        return CatalogPage(ctx, entity)

    return build


def _dashboard(ctx: AppContext) -> Page:
    from specialist_app.gui.pages.dashboard import DashboardPage

    return DashboardPage(ctx)


def _institutions(ctx: AppContext) -> Page:
    from specialist_app.gui.pages.institutions import InstitutionsPage

    return InstitutionsPage(ctx)


def _visits(ctx: AppContext) -> Page:
    from specialist_app.gui.pages.visits import VisitsPage

    return VisitsPage(ctx)


def _matches(ctx: AppContext) -> Page:
    from specialist_app.gui.pages.matches import MatchesPage

    return MatchesPage(ctx)


def _sync(ctx: AppContext) -> Page:
    from specialist_app.gui.pages.sync_page import SyncPage

    return SyncPage(ctx)


def page_specs() -> list[PageSpec]:
    """The navigation entries, in order. Each page (and its module) is built the first time it is shown."""
    return [
        PageSpec("dashboard", "dashboard", str(QT_TRANSLATE_NOOP("MainWindow", "Dashboard")), _dashboard),
        PageSpec("institutions", "institution", str(QT_TRANSLATE_NOOP("MainWindow", "My institutions")),
                 _institutions),
        PageSpec("visits", "visit", str(QT_TRANSLATE_NOOP("MainWindow", "Visits")), _visits),
        PageSpec("achievements", "achievement", str(QT_TRANSLATE_NOOP("MainWindow", "Achievements")),
                 _catalog("achievement")),
        PageSpec("demands", "demand", str(QT_TRANSLATE_NOOP("MainWindow", "Demands")), _catalog("demand")),
        PageSpec("experts", "expert", str(QT_TRANSLATE_NOOP("MainWindow", "Experts")), _catalog("expert")),
        PageSpec("matches", "match", str(QT_TRANSLATE_NOOP("MainWindow", "Matching")), _matches),
        PageSpec("sync", "sync", str(QT_TRANSLATE_NOOP("MainWindow", "Sync")), _sync),
    ]


class LazyPages(Mapping[str, Page]):
    """The window's pages by key, in navigation order; looking one up builds it if it was never shown."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, key: str) -> Page:
        return self._window.page(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._window.page_keys)

    def __len__(self) -> int:
        return len(self._window.page_keys)


class MainWindow(QMainWindow):
    """Navigation + pages; the status bar always says whether the work has reached the market."""

    sync_requested = Signal()
    page_created = Signal(str, object)  # key, the page (built when first shown)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        load_form("main_window", self)

        self.nav = child(self, QListWidget, "navigation")
        self.stack = child(self, QStackedWidget, "page_stack")
        self._specs = {spec.key: spec for spec in page_specs()}
        self.page_keys = list(self._specs)
        self.built: dict[str, Page] = {}
        self.pages = LazyPages(self)
        for spec in self._specs.values():
            self.stack.addWidget(QWidget())  # replaced by the page when it is first shown
            item = QListWidgetItem(icon(spec.icon), _tr(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(150, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)

        self.sync_action = child(self, QAction, "action_sync")
        self.sync_action.setIcon(icon("sync"))
        self.sync_action.setShortcut(QKeySequence(SYNC_SHORTCUT))
        # In every window of the app (an institution window, an editor), not only this one: after collecting in
        # an institution window, F5 there did nothing.
        self.sync_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.sync_action.triggered.connect(self.sync_requested)
        self._add_go_menu()
        self.account: Account | None = None  # the signed-in account (the session sets it), for About
        self.guide_action, self.about_action = add_help_menu(self, ctx.lang)
        self.about_action.triggered.connect(self.show_about)

        self.status = SyncStatusBar(ctx)
        self.setStatusBar(self.status)
        ctx.events.changed.connect(self._on_data_changed)
        ctx.events.show_refused.connect(self.show_refused)
        self.nav.setCurrentRow(0)
        self.status.refresh()
        self.store_check = StoreCheck(ctx, self)  # after the first page's queries: they go first

    def show_about(self) -> QWidget:
        from specialist_app.gui.dialogs.about import AboutDialog  # a form loaded when first asked for

        dialog = AboutDialog(self.ctx.data_dir, self.account, self)
        dialog.open()
        return dialog

    def _add_go_menu(self) -> None:
        """Every page from the keyboard: Ctrl+1 … Ctrl+8 in navigation order (the Go menu shows them)."""
        menu = child(self, QMenu, "menu_go")
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

    def page(self, key: str) -> Page:
        """The page `key`, built (in place of its placeholder) the first time it is asked for."""
        found = self.built.get(key)
        if found is not None:
            return found
        page = self._specs[key].factory(self.ctx)
        page.setObjectName(f"page_{key}")
        row = self.page_keys.index(key)
        placeholder = self.stack.widget(row)
        assert placeholder is not None
        was_current = self.stack.currentIndex() == row
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if was_current:
            self.stack.setCurrentWidget(page)
        self.built[key] = page
        self.page_created.emit(key, page)
        return page

    def show_page(self, key: str) -> Page:
        """Switch to a page by key (dashboard, institutions, visits, achievements, demands, experts, matches, sync)."""
        self.nav.setCurrentRow(self.page_keys.index(key))
        return self.page(key)

    def show_refused(self) -> Page:
        """The Sync page's list of changes the market refused (why, fix, dismiss)."""
        from specialist_app.gui.pages.sync_page import SyncPage  # built on first show, like its module

        page = self.show_page("sync")
        holder = page.rejections_table.parentWidget() if isinstance(page, SyncPage) else None
        if isinstance(page, SyncPage) and holder is not None:
            page.tabs.setCurrentWidget(holder)
        return page

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def _show_row(self, row: int) -> None:
        page = self.page(self.page_keys[row])
        self.stack.setCurrentWidget(page)
        page.refresh()

    def _on_data_changed(self, _entity: str) -> None:
        self.status.refresh()
        self.current_page().refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.store_check.stop()
        self.ctx.runner.shutdown()
        super().closeEvent(event)
