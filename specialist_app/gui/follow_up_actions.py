"""What a follow-up in a list offers: open its visit at that follow-up, mark it done, or move its due date, each
one step through services.follow_ups (never a write in the GUI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from specialist_app.gui.context import AppContext
from specialist_app.services import follow_ups
from specialist_app.services.queries import market_today
from specialist_app.services.records import RecordNotFound
from specialist_app.store.db import Store
from sync.permissions import refusal_text

POSTPONE_DAYS = (1, 7, 14, 30)


def postpone_label(days: int) -> str:
    if days == 1:
        return QCoreApplication.translate("FollowUpActions", "Due tomorrow")
    if days == 7:
        return QCoreApplication.translate("FollowUpActions", "Due in a week")
    if days == 14:
        return QCoreApplication.translate("FollowUpActions", "Due in two weeks")
    return QCoreApplication.translate("FollowUpActions", "Due in a month")


class FollowUpActions(QObject):
    """Acts on one follow-up by id; `open_visit(visit_id, follow_up_id)` is the list's way to open it."""

    def __init__(self, ctx: AppContext, open_visit: Callable[[str, str], object], parent: QObject | None = None,
                 today: Callable[[], date] = market_today) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._open_visit = open_visit
        self._today = today
        self.last_message = ""  # the last refusal said (for tests)

    def mark_done(self, follow_up_id: str) -> None:
        username = self.ctx.username
        self._run(lambda store: follow_ups.mark_done(store, follow_up_id, username))

    def postpone(self, follow_up_id: str, days: int) -> None:
        due, username = self._today() + timedelta(days=days), self.ctx.username
        self._run(lambda store: follow_ups.move_due(store, follow_up_id, due, username))

    def _run(self, op: Callable[[Store], None]) -> None:
        def job(store: Store) -> bool:
            op(store)
            return True  # not None: see drafts._write on PySide6 and None through queued signals

        self.ctx.runner.submit(job, lambda _done: self.ctx.events.changed.emit("follow_up"), self._failed,
                               owner=self)

    def _failed(self, exc: BaseException) -> None:
        """A change the market would refuse (another specialist's institution) or one a sync removed: said, and
        the list reloads."""
        if isinstance(exc, follow_ups.FollowUpRefused):
            text = refusal_text(exc.refusal, self.ctx.lang)
        elif isinstance(exc, RecordNotFound):
            text = QCoreApplication.translate("FollowUpActions", "This follow-up is gone (deleted since).")
        else:
            raise exc
        self.last_message = text
        parent = self.parent()
        box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("FollowUpActions", "Follow-up"),
                          text, QMessageBox.StandardButton.Ok, parent if isinstance(parent, QWidget) else None)
        box.setObjectName("follow_up_refused")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.ctx.events.changed.emit("follow_up")

    def menu(self, parent: QWidget, visit_id: str, follow_up_id: str, *, done: bool = False) -> QMenu:
        """Open the visit; mark done; move the due date (from today)."""
        menu = QMenu(parent)
        menu.setObjectName("follow_up_menu")
        menu.addAction(QCoreApplication.translate("FollowUpActions", "Open the visit")).triggered.connect(
            lambda: self._open_visit(visit_id, follow_up_id))
        menu.addSeparator()
        done_action = menu.addAction(QCoreApplication.translate("FollowUpActions", "Mark done"))
        done_action.setObjectName("mark_done")
        done_action.setEnabled(not done)
        done_action.triggered.connect(lambda: self.mark_done(follow_up_id))
        for days in POSTPONE_DAYS:
            action = menu.addAction(postpone_label(days))
            action.setObjectName(f"postpone_{days}")
            action.triggered.connect(partial(self.postpone, follow_up_id, days))
        return menu
