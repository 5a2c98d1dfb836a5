"""Sign-in dialog (server, user, password, a profile picker; login runs on a thread) and sign-out confirmation."""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from specialist_app import credentials, paths
from specialist_app.credentials import Account
from specialist_app.gui.ui_loader import child, load_form
from specialist_app.services import sync_ops
from specialist_app.store.db import StoreError, open_store
from specialist_app.sync_engine.errors import SyncError
from specialist_app.sync_engine.server_url import check_server_url, warning_text

log = logging.getLogger(__name__)


class BackgroundCall(QThread):
    """Runs `fn()` off the UI thread; `succeeded(result)` or `failed(exception)` arrive on the UI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


def normalize_server_url(text: str) -> str:
    """The server address as typed, with https:// added when no scheme is given and no trailing slash."""
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    return url


def login_job(base: Path, server_url: str, username: str, password: str) -> Callable[[], Account]:
    """Sign in (network) and store the refresh token; the profile's store gives the device id."""

    def run() -> Account:
        profile = paths.profile_key(server_url, username)
        store = open_store(paths.store_path(base, profile))
        try:
            device = sync_ops.device_id(store)
        finally:
            store.close()
        creds = credentials.login(base, server_url, username, password, device_id=device,
                                  device_name=platform.node())
        return creds.account

    return run


def signed_in_accounts(base: Path) -> list[Account]:
    """Profiles with a server and user whose sign-in is stored in the keyring (openable offline)."""
    found = []
    for entry in paths.list_profiles(base):
        if entry["server_url"] and entry["username"]:
            account = Account(entry["profile"], entry["server_url"], entry["username"], credentials.folder_key(base))
            if credentials.load_refresh_token(account):
                found.append(account)
    return found


def error_text(exc: BaseException, lang: str) -> str:
    """A sign-in failure in words a specialist understands."""
    if isinstance(exc, (SyncError, StoreError)):
        return exc.message(lang)
    log.warning("sign-in failed: %s", type(exc).__name__)
    return QCoreApplication.translate(
        "SignInDialog", "Sign-in failed (%1). Check the server address and try again.").replace(
        "%1", type(exc).__name__)


class SignInDialog(QDialog):
    """Pick a signed-in profile (opens offline) or sign in to a server; `account` holds the result."""

    def __init__(self, base: Path, lang: str, *, server_url: str = "", username: str = "",
                 message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = base
        self.lang = lang
        self.account: Account | None = None
        self._call: BackgroundCall | None = None
        self._insecure_confirmed = ""  # the plain-http lab address the user confirmed with a second click
        load_form("signin_dialog", self)

        self.known = signed_in_accounts(base)
        self.profile_combo = child(self, QComboBox, "signin_profile")
        self.profile_combo.addItem(self.tr("Sign in to a server…"), None)
        for account in self.known:
            self.profile_combo.addItem(f"{account.username} @ {account.server_url}", account.profile)
        self.server_edit = child(self, QLineEdit, "signin_server")
        self.server_edit.setText(server_url)
        self.user_edit = child(self, QLineEdit, "signin_user")
        self.user_edit.setText(username)
        self.password_edit = child(self, QLineEdit, "signin_password")
        self.message_label = child(self, QLabel, "signin_message")
        self.message_label.setText(message)
        self.note = child(self, QLabel, "signin_note")
        self.buttons = child(self, QDialogButtonBox, "signin_buttons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("signin_ok")
        # Standard button texts come from Qt's own catalogue, which the app does not ship: ours are set here.
        self.ok_button.setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.profile_combo.currentIndexChanged.connect(self._profile_chosen)
        (self.password_edit if server_url and username else self.server_edit).setFocus()

    def _profile_chosen(self, index: int) -> None:
        chosen = self.profile_combo.itemData(index)
        for widget in (self.server_edit, self.user_edit, self.password_edit):
            widget.setEnabled(chosen is None)
        self.ok_button.setText(self.tr("Sign in") if chosen is None else self.tr("Open"))
        self.message_label.clear()

    def _submit(self) -> None:
        chosen = self.profile_combo.currentData()
        if chosen is not None:
            self.account = next(a for a in self.known if a.profile == chosen)
            paths.set_current_profile(self.base, self.account.profile)
            self.accept()
            return
        server = normalize_server_url(self.server_edit.text())
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not server or not user or not password:
            self.message_label.setText(self.tr("Enter the server address, your user name and your password."))
            return
        if not self._server_accepted(server):
            return
        self._set_busy(True)
        self.message_label.setText("")
        call = BackgroundCall(login_job(self.base, server, user, password), self)
        call.succeeded.connect(self._signed_in)
        call.failed.connect(self._failed)
        self._call = call
        call.start()

    def _server_accepted(self, server: str) -> bool:
        """Refuse plain http to another computer; a lab host allowed over http is warned about at every sign-in
        and needs a second click on Sign in."""
        try:
            warning = check_server_url(server)
        except SyncError as exc:
            self._long_message(exc.message(self.lang))
            return False
        if warning is None or self._insecure_confirmed == server:
            return True
        self._insecure_confirmed = server
        self._long_message(warning_text(server, self.lang) + "\n" + self.tr("Click Sign in again to sign in anyway."))
        return False

    def _long_message(self, text: str) -> None:
        """A message of several lines: the dialog grows to show all of it."""
        self.message_label.setText(text)
        self.adjustSize()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.ok_button, self.profile_combo):
            widget.setEnabled(not busy)
        if busy:
            self.note.setText(self.tr("Signing in…"))
        else:
            self.note.setText(self.tr("Signing in needs the network once; afterwards the app opens without it."))

    def _finish_call(self) -> None:
        # The thread emits its result just before it returns: wait for that so it is never destroyed running.
        if self._call is not None:
            self._call.wait()
            self._call = None

    def _signed_in(self, account: Account) -> None:
        self._finish_call()
        self.password_edit.clear()
        self.account = account
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._finish_call()
        self._set_busy(False)
        self.password_edit.clear()
        self.password_edit.setFocus()
        self.message_label.setText(error_text(exc, self.lang))

    def reject(self) -> None:
        self._finish_call()  # a sign-in in flight finishes first (bounded by the transport's timeouts)
        super().reject()


class SignOutDialog(QDialog):
    """Confirms signing out; local data is kept unless "erase" is ticked (and confirmed once more)."""

    def __init__(self, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignOutDialog")
        self.setWindowTitle(self.tr("Sign out"))
        text = QLabel(self.tr("Sign out %1 from %2? Your data stays on this computer.")
                      .replace("%1", account.username).replace("%2", account.server_url))
        text.setWordWrap(True)
        self.erase_box = QCheckBox(self.tr("Also erase this account's data on this computer"))
        self.erase_box.setObjectName("signout_erase")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign out"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.erase_box)
        layout.addWidget(buttons)

    @property
    def erase(self) -> bool:
        return self.erase_box.isChecked()

    def _confirm(self) -> None:
        if self.erase:
            answer = QMessageBox.warning(
                self, self.tr("Erase local data"),
                self.tr("Changes not yet sent to the market will be lost. Erase this account's data?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()
