"""Quitting with changes not yet sent to the market: ask whether to sync first; if so, sync, then quit.

The question proposes "Sync and quit" when the last contact with the server worked, "Quit" when offline (the
changes stay on this computer either way). Syncing before quitting shows its progress and keeps a way out:
"Quit now" cancels the run (the cancel answers within seconds, issue #11) and quits; "Keep working" keeps the app.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QMessageBox

from specialist_app.gui import data
from specialist_app.gui.context import AppContext
from specialist_app.gui.sync_controller import SyncController, phase_text
from specialist_app.sync_engine.report import SyncReport

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


class QuitGuard(QObject):
    """Watches the main window's close; `release()` lets closes through unasked (switching account, signing out)."""

    def __init__(self, window: QMainWindow, ctx: AppContext, controller: SyncController) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.controller = controller
        self.question: QMessageBox | None = None
        self.sync_button: QAbstractButton | None = None
        self.quit_button: QAbstractButton | None = None
        self.waiting: QMessageBox | None = None  # "Syncing before quitting…" while the last sync runs
        self.quit_now_button: QAbstractButton | None = None
        self._released = False
        self._busy = False  # counting, asking or syncing: a second close request adds nothing
        window.installEventFilter(self)

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        self.window.removeEventFilter(self)
        self._stop_waiting_for_sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window or event.type() != QEvent.Type.Close or self._released:
            return False
        event.ignore()
        if not self._busy:
            self._busy = True
            # Counting failed (the store could not be read): ask all the same rather than risk quitting unsynced.
            self.ctx.runner.submit(data.status_summary, self._ask, lambda _exc: self._ask(None), owner=self)
        return True

    def quit(self) -> None:
        self.release()
        self.window.close()

    # The question -------------------------------------------------------------------------------------------

    def _ask(self, summary: data.StatusSummary | None) -> None:
        if self._released:
            return
        if summary is not None and summary.pending_changes == 0:
            self.quit()
            return
        online = self.controller.online
        text = (translate("QuitGuard", "Some changes may not have reached the market yet.") if summary is None else
                translate("QuitGuard", "%1 change(s) have not reached the market yet.").replace(
                    "%1", str(summary.pending_changes)))
        box = QMessageBox(QMessageBox.Icon.Question, translate("QuitGuard", "Quit"), text, parent=self.window)
        box.setObjectName("quit_question")
        box.setInformativeText(
            translate("QuitGuard", "Sync now and quit when it is done?") if online else
            translate("QuitGuard", "You are offline: they stay on this computer and are sent at the next sync."))
        self.sync_button = box.addButton(translate("QuitGuard", "Sync and quit"), QMessageBox.ButtonRole.AcceptRole)
        self.quit_button = box.addButton(translate("QuitGuard", "Quit"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(self.sync_button if online else self.quit_button)
        box.setEscapeButton(cancel)
        box.finished.connect(lambda _code: self._answered(box.clickedButton()))
        self.question = box
        box.open()

    def _answered(self, clicked: QAbstractButton | None) -> None:
        self.question = None
        if clicked is not None and clicked is self.sync_button:
            self._sync_then_quit()
        elif clicked is not None and clicked is self.quit_button:
            self.quit()
        else:
            self._busy = False  # changed their mind: the app stays open

    # Syncing, then quitting -----------------------------------------------------------------------------------

    def _sync_then_quit(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, translate("QuitGuard", "Syncing before quitting"),
                          translate("QuitGuard", "The app quits when the sync is done."), parent=self.window)
        box.setObjectName("quit_syncing")
        box.setInformativeText(translate("QuitGuard", "Connecting to the server…"))
        self.quit_now_button = box.addButton(translate("QuitGuard", "Quit now"),
                                             QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(translate("QuitGuard", "Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(lambda _code: self._waiting_answered(box.clickedButton()))
        self.waiting = box
        self.controller.progress.connect(self._progressed)
        self.controller.finished.connect(self._synced)
        if not self.controller.is_running():
            self.controller.sync_now()
        box.open()

    def _progressed(self, phase: str, done: int, total: int) -> None:
        if self.waiting is not None:
            self.waiting.setInformativeText(phase_text(phase, done, total))

    def _synced(self, _report: SyncReport) -> None:
        self.quit()  # sent or not, the changes are safe on this computer; the next start syncs again

    def _waiting_answered(self, clicked: QAbstractButton | None) -> None:
        if self.waiting is None:
            return  # closed by the sync's end
        self._stop_waiting_for_sync()
        if clicked is not None and clicked is self.quit_now_button:
            self.quit()  # the session stops the run: cancel, then a wait bounded by the cancel's answer
        else:
            self._busy = False

    def _stop_waiting_for_sync(self) -> None:
        waiting, self.waiting = self.waiting, None
        if waiting is None:
            return
        self.controller.progress.disconnect(self._progressed)
        self.controller.finished.disconnect(self._synced)
        waiting.done(0)
