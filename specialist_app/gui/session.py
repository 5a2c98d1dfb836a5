"""One run of the app: sign in when needed, the profile's main window with its sync controller and File menu."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from specialist_app import credentials, paths
from specialist_app.credentials import Account
from specialist_app.gui.blob_download import BlobDownloads
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.import_dialog import ImportDialog, import_spreadsheet
from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.quit_guard import QuitGuard
from specialist_app.gui.record_fetch import RecordFetches
from specialist_app.gui.refused import notify_refused
from specialist_app.gui.screen_fit import fit_to_screen
from specialist_app.gui.signin import BackgroundCall, SignInDialog, SignOutDialog
from specialist_app.gui.sync_controller import SyncController, SyncProgress, TransportFactory, default_transport
from specialist_app.store.db import StoreError
from specialist_app.sync_engine.server_url import is_plain_http
from sync.messages import render

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls



def stored_account(base: Path, profile: str | None = None) -> Account | None:
    """The profile's account when its sign-in is stored (the app can open offline), else None."""
    if profile:
        for entry in paths.list_profiles(base):
            if entry["profile"] == profile and entry["server_url"] and entry["username"]:
                paths.set_current_profile(base, profile)
    account = credentials.current_account(base)
    if account is None or not credentials.load_refresh_token(account):
        return None
    return account


def _standard_or(key: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's shortcut for `key`, else `fallback` (several platforms define none for Quit/Preferences)."""
    standard = QKeySequence(key)
    return standard if not standard.isEmpty() else QKeySequence(fallback)


class Session(QObject):
    """Owns the current main window and sync controller; replaces both when the account changes."""

    ended = Signal(int)  # the app should quit with this code
    window_opened = Signal(object)  # the new MainWindow
    sync_finished = Signal(object)  # each SyncReport of the current window's controller

    def __init__(self, base: Path, lang: str, *, make_transport: TransportFactory = default_transport,
                 sync_at_start: bool = True) -> None:
        super().__init__()
        self.base = base
        self.lang = lang
        self.make_transport = make_transport
        self.sync_at_start = sync_at_start
        self.window: MainWindow | None = None
        self.controller: SyncController | None = None
        self.account: Account | None = None
        self.ctx: AppContext | None = None
        self._signin: SignInDialog | None = None
        self._outdated_shown = False
        self.quit_guard: QuitGuard | None = None

    def start(self, profile: str | None = None) -> bool:
        """Open the profile offline when its sign-in is stored, else ask to sign in; False if the user gave up."""
        account = stored_account(self.base, profile)
        if account is None:
            dialog = SignInDialog(self.base, self.lang)
            if dialog.exec() != SignInDialog.DialogCode.Accepted or dialog.account is None:
                return False
            account = dialog.account
        self.open(account)
        return True

    def open(self, account: Account) -> MainWindow:
        """Build and show the main window of `account`'s profile (closing the current one first)."""
        from specialist_app.gui.app import make_context  # app.py starts the session: import here, not at the top

        self.close_window()
        self.account = account
        ctx = make_context(self.base, self.lang, account.profile)
        self.ctx = ctx
        ctx.runner.store_failed.connect(self._store_failed)
        window = MainWindow(ctx)
        window.setWindowTitle(f"{window.windowTitle()} — {account.username} @ {account.server_url}")
        if is_plain_http(account.server_url):  # a lab host allowed over http: warned in the title the whole time
            window.setWindowTitle(window.windowTitle() + " — " + translate(
                "Session", "unencrypted http: password and data travel in clear"))
        controller = SyncController(paths.store_path(self.base, account.profile), account,
                                    ctx.settings.sync_interval_minutes, make_transport=self.make_transport,
                                    parent=window)
        controller.catalog_mode = lambda: ctx.settings.catalog_mode
        ctx.username = account.username
        window.account = account
        ctx.downloads = BlobDownloads(controller.store_file, account, controller.auth_holder,
                                      controller.make_transport, parent=window)
        ctx.records = RecordFetches(controller.store_file, account, controller.auth_holder,
                                    controller.make_transport, parent=window)
        window.sync_requested.connect(controller.sync_now)
        controller.online_changed.connect(window.status.set_online)
        controller.started.connect(lambda: window.status.set_syncing(True))
        controller.finished.connect(lambda _report: window.status.set_syncing(False))
        controller.finished.connect(lambda _report: ctx.events.changed.emit(""))
        controller.finished.connect(self.sync_finished)
        controller.finished.connect(lambda report: notify_refused(ctx, window, report.rejected))
        controller.login_required.connect(self.ask_sign_in_again)
        controller.protocol_outdated.connect(self._protocol_outdated)
        window.status.addWidget(SyncProgress(controller, self.lang))
        def attach_sync_page(key: str, page: object) -> None:
            from specialist_app.gui.pages.sync_page import SyncPage  # built on first show, like its module

            if key == "sync" and isinstance(page, SyncPage):
                page.attach(controller)

        window.page_created.connect(attach_sync_page)
        for key, page in window.built.items():
            attach_sync_page(key, page)
        self._add_menu(window)
        window.installEventFilter(self)
        self.quit_guard = QuitGuard(window, ctx, controller)  # installed after: asks before the session's filter
        self.window, self.controller = window, controller
        fit_to_screen(window, maximize=True)
        window.show()
        self.window_opened.emit(window)
        if self.sync_at_start:
            self._sync_after_first_data(ctx, window, controller)
        return window

    def _sync_after_first_data(self, ctx: AppContext, window: MainWindow, controller: SyncController) -> None:
        """The sync at start, once the window's first queries are answered: the run's imports and first requests
        would otherwise share the interpreter with them and hold back the first page (docs/performance.md,
        "Cold start: importing less before the window")."""
        if ctx.runner.pending() == 0:
            controller.sync_now()
            return

        def start() -> None:
            if self.controller is controller:  # not if the window closed or the account changed meanwhile
                controller.sync_now()

        window.status.set_syncing(True)  # already under way as far as the user is concerned: not "Offline"
        ctx.runner.idle.connect(start, Qt.ConnectionType.SingleShotConnection)

    def _add_menu(self, window: MainWindow) -> None:
        bar = window.menuBar()
        menu = bar.addMenu(translate("Session", "&File"))
        if bar.actions() and bar.actions()[0] is not menu.menuAction():
            bar.insertMenu(bar.actions()[0], menu)  # File comes first, before the window's Go menu
        entries: list[tuple[str, str, Callable[[], object], QKeySequence | None]] = [
            ("action_switch_account", translate("Session", "Switch account…"), self.switch_account, None),
            ("action_sign_out", translate("Session", "Sign out…"), self.sign_out, None),
            ("action_import", translate("Session", "Import spreadsheet…"), self.import_spreadsheet, None),
            ("action_settings", translate("Session", "Settings…"), self.show_settings,
             _standard_or(QKeySequence.StandardKey.Preferences, "Ctrl+,")),
            ("action_quit", translate("Session", "Quit"), window.close,
             _standard_or(QKeySequence.StandardKey.Quit, "Ctrl+Q")),
        ]
        for name, text, slot, shortcut in entries:
            action = QAction(text, window)
            action.setObjectName(name)
            if shortcut is not None and not shortcut.isEmpty():
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            if name == "action_sign_out":
                menu.addSeparator()
        menu.insertAction(menu.actions()[0], window.sync_action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            if self.controller is not None:
                self.controller.stop()  # before the window's runner closes the store
            self._stop_downloads()
            self.window = None
            self.controller = None
            self.ended.emit(0)
        return False

    def close_window(self) -> None:
        """Close the current window without ending the session (switching account, signing out)."""
        window, controller = self.window, self.controller
        self.window, self.controller = None, None
        if controller is not None:
            controller.stop()
        self._stop_downloads()
        guard, self.quit_guard = self.quit_guard, None
        if guard is not None:
            guard.release()
        if window is not None:
            window.removeEventFilter(self)
            window.close()
            window.deleteLater()

    def _stop_downloads(self) -> None:
        if self.ctx is not None and self.ctx.downloads is not None:
            self.ctx.downloads.stop()
        if self.ctx is not None and self.ctx.records is not None:
            self.ctx.records.stop()

    def shutdown(self) -> None:
        self.close_window()

    def switch_account(self) -> None:
        """Pick another signed-in profile or sign in to another server; the current data stays where it is."""
        dialog = SignInDialog(self.base, self.lang, parent=self.window)
        if dialog.exec() == SignInDialog.DialogCode.Accepted and dialog.account is not None:
            self.open(dialog.account)

    def ask_sign_in_again(self) -> None:
        """The server refused the stored sign-in: ask for the password again; nothing local is touched."""
        if self._signin is not None or self.account is None:
            return
        dialog = SignInDialog(self.base, self.lang, server_url=self.account.server_url,
                              username=self.account.username, message=render("login_required", self.lang),
                              parent=self.window)
        self._signin = dialog
        dialog.finished.connect(lambda _code: self._signed_in_again(dialog))
        dialog.open()

    def _signed_in_again(self, dialog: SignInDialog) -> None:
        self._signin = None
        account = dialog.account
        dialog.deleteLater()
        if account is None:
            return
        if self.account is not None and account.profile == self.account.profile and self.controller is not None:
            self.controller.sync_now()
        else:
            self.open(account)

    def sign_out(self) -> None:
        account = self.account
        if account is None:
            return
        confirm = SignOutDialog(account, self.window)
        if confirm.exec() != SignOutDialog.DialogCode.Accepted:
            return
        erase = confirm.erase
        self.close_window()  # the store must be closed before its files can be erased
        self.account = None

        def job() -> None:
            from specialist_app.sync_engine.transport import Transport  # not at the app's start

            transport = Transport(account.server_url, max_attempts=1)
            try:
                credentials.logout(self.base, forget_data=erase, transport=transport)
            finally:
                transport.close()

        call = BackgroundCall(job)
        call.finished.connect(self._after_sign_out)
        call.finished.connect(call.deleteLater)
        self._logout_call = call
        call.start()

    def _after_sign_out(self) -> None:
        if not self.start():
            self.ended.emit(0)

    def show_settings(self) -> SettingsDialog | None:
        if self.ctx is None:
            return None
        dialog = SettingsDialog(self.ctx, self.account, self.window)
        controller = self.controller
        if controller is not None:
            dialog.interval_changed.connect(controller.set_interval)
        dialog.switch_account_requested.connect(self.switch_account)
        dialog.sign_out_requested.connect(self.sign_out)
        dialog.open()
        return dialog

    def import_spreadsheet(self) -> ImportDialog | None:
        """Choose a .xlsx / .csv / .json file and import it (the dialog shows what was imported and any bad rows)."""
        if self.ctx is None:
            return None
        return import_spreadsheet(self.ctx, self.window)

    def _protocol_outdated(self, version: str) -> None:
        if self._outdated_shown:
            return
        self._outdated_shown = True
        QMessageBox.warning(self.window, translate("Session", "Update needed"), render("protocol_outdated", self.lang,
                                                                      version=version or "?"))

    def _store_failed(self, exc: object) -> None:
        text = exc.message(self.lang) if isinstance(exc, StoreError) else str(exc)
        parent: QWidget | None = self.window
        QMessageBox.critical(parent, translate("Session", "Cannot open the data file"), text)
        self.ended.emit(1)


def run_session(app: QApplication, base: Path, lang: str, profile: str | None = None, *,
                setup: Callable[[Session], None] | None = None) -> int:
    """Run the app until the session ends (window closed, or sign-in cancelled); returns the exit code."""
    session = Session(base, lang)
    session.ended.connect(app.exit)
    app.setQuitOnLastWindowClosed(False)  # switching account closes the only window for a moment
    if setup is not None:
        setup(session)
    if not session.start(profile):
        return 0
    code = app.exec()
    session.shutdown()
    return int(code)
