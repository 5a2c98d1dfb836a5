"""Background sync: SyncEngine.run on its own thread (manual and every N minutes), with progress and cancel.

The sync thread opens its own connection to the store file instead of queueing on the task runner: a first pull
can take minutes, and on the runner's single thread it would hold up every page query and save. SQLite in WAL
mode lets the editor keep reading while sync writes, and the engine writes in short transactions (one per push
batch or pull page), so a save waits at most for one page to be applied (the busy timeout covers it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from specialist_app.credentials import Account, Credentials
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store import meta as store_meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine.errors import LoginRequired, ProtocolOutdated
from specialist_app.sync_engine.rate import BYTE_PHASES, RateMeter, coarse_duration, format_speed
from specialist_app.sync_engine.report import SyncReport

if TYPE_CHECKING:  # the engine, its HTTP client and wire models load with the first run, after the window shows
    from specialist_app.sync_engine.transport import Transport

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls

log = logging.getLogger(__name__)

TransportFactory = Callable[[Account, Credentials], "Transport"]
UNKNOWN_TOTAL = -1
MAX_ATTEMPTS = 3  # per request; a laptop without network gives up within seconds


def held_credentials(store: Store, account: Account, holder: list[Credentials]) -> Credentials:
    """The session's credentials, made on first use for this store's device and kept in `holder` after."""
    if not holder:
        with ReadUnitOfWork(store) as uow:
            device = store_meta.device_id(uow.conn)
        holder.append(Credentials(account, device))
    return holder[0]


def default_transport(account: Account, auth: Credentials) -> Transport:
    from specialist_app.sync_engine.transport import Transport

    return Transport(account.server_url, auth=auth, max_attempts=MAX_ATTEMPTS)


class AccountThread(QThread):
    """A thread of the signed-in account's network work (a sync, a download): its own store connection, and a
    transport with the credentials the session shares (`auth_holder`)."""

    def __init__(self, name: str, store_file: Path, account: Account, auth_holder: list[Credentials],
                 make_transport: TransportFactory, cancel: threading.Event) -> None:
        super().__init__()
        self.setObjectName(name)
        self._store_file = store_file
        self._account = account
        self._auth_holder = auth_holder
        self._make_transport = make_transport
        self._cancel = cancel

    @contextmanager
    def _connected(self) -> Iterator[tuple[Store, Transport]]:
        """The store and a transport for the account, both closed after."""
        store = open_store(self._store_file, check=False)
        try:
            transport = self._make_transport(self._account, held_credentials(store, self._account, self._auth_holder))
            try:
                yield store, transport
            finally:
                transport.close()
        finally:
            store.close()


class _SyncThread(AccountThread):
    """One sync run; reports progress and the result by signal (queued to the UI thread).

    The report goes out before the store closes: closing merges search-index segments and checkpoints the WAL
    (15-50 ms after an incremental pull, docs/performance.md), which the user need not wait for. The thread
    ends (`finished`) once the store is closed.
    """

    progressed = Signal(str, int, int)
    report_ready = Signal(object)

    def __init__(self, store_file: Path, account: Account, auth_holder: list[Credentials],
                 make_transport: TransportFactory, cancel: threading.Event, catalog: str = "auto") -> None:
        super().__init__("sync", store_file, account, auth_holder, make_transport, cancel)
        self._catalog = catalog

    def run(self) -> None:
        reported = False
        try:
            from specialist_app.sync_engine.engine import SyncEngine

            with self._connected() as (store, transport):
                report = SyncEngine(store, transport, catalog=self._catalog).run(self._progress, self._cancel)
                self.report_ready.emit(report)  # then the store closes
                reported = True
        except Exception as exc:  # a bug or a store problem: the run failed, the app goes on
            log.exception("sync run failed")
            if not reported:
                self.report_ready.emit(
                    SyncReport(outcome="failed", error_code="sync_failed", error_params={"detail": str(exc)}))

    def _progress(self, phase: str, done: int, total: int | None) -> None:
        self.progressed.emit(phase, done, UNKNOWN_TOTAL if total is None else total)


class SyncController(QObject):
    """Starts sync runs (one at a time) and tells the UI what happened.

    `online` follows the last attempt: a run that reached the server (even one refused) means online.
    """

    started = Signal()
    progress = Signal(str, int, int)  # phase ("push" | "pull"), done, total (UNKNOWN_TOTAL when unknown)
    finished = Signal(object)  # the SyncReport
    online_changed = Signal(bool)
    login_required = Signal()
    protocol_outdated = Signal(str)  # the version to install

    def __init__(self, store_file: Path, account: Account, interval_minutes: int, *,
                 make_transport: TransportFactory = default_transport, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_file = store_file
        self.account = account
        self.online = False
        self.last_report: SyncReport | None = None
        self._make_transport = make_transport
        self._auth_holder: list[Credentials] = []  # the in-memory access token survives between runs
        self._thread: _SyncThread | None = None  # the run going on (until its report)
        self._closing: list[_SyncThread] = []  # runs that reported and are closing their store
        self._cancel = threading.Event()
        self.catalog_mode: Callable[[], str] = lambda: "auto"  # read at each run start (the Settings choice)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self.set_interval(interval_minutes)

    def set_interval(self, minutes: int) -> None:
        """Sync every `minutes` (the attempt doubles as the check whether the network is back)."""
        self.timer.start(max(1, minutes) * 60_000)

    @property
    def auth_holder(self) -> list[Credentials]:
        """The credentials (with the in-memory access token) that other requests of this account share."""
        return self._auth_holder

    @property
    def make_transport(self) -> TransportFactory:
        return self._make_transport

    def is_running(self) -> bool:
        return self._thread is not None

    def sync_now(self) -> bool:
        """Start a run unless one is going; returns whether one started."""
        if self._thread is not None:
            return False
        self._cancel = threading.Event()
        thread = _SyncThread(self.store_file, self.account, self._auth_holder, self._make_transport, self._cancel,
                             self.catalog_mode())
        thread.progressed.connect(self.progress)
        # Bound methods of this controller, so that the slots run on its (the UI) thread; `sender()` names the run.
        thread.report_ready.connect(self._on_report)
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        self.started.emit()
        thread.start()
        return True

    def cancel(self) -> None:
        """Stop after the current page; what was applied stays."""
        self._cancel.set()

    def stop(self) -> None:
        """Cancel and wait for the run to end and every store to be closed (before the window closes or the
        profile changes)."""
        self.timer.stop()
        thread = self._thread
        if thread is not None:
            self._cancel.set()
            thread.wait()
            self._thread = None
        for closing in self._closing:
            closing.wait()

    def _sending_run(self) -> _SyncThread | None:
        sender = self.sender()
        return sender if isinstance(sender, _SyncThread) else self._thread

    def _on_report(self, report: SyncReport) -> None:
        thread = self._sending_run()
        if thread is not None and thread is self._thread:
            # The run is over for the user: a new one may start while this one still closes its store.
            self._thread = None
            self._closing.append(thread)
        self.last_report = report
        online = report.outcome != "offline"
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)
        self.finished.emit(report)
        if report.error_code == LoginRequired.code:
            self._auth_holder.clear()
            self.login_required.emit()
        elif report.error_code == ProtocolOutdated.code:
            self.protocol_outdated.emit(str(report.error_params.get("version") or ""))

    def _on_thread_finished(self) -> None:
        thread = self._sending_run()
        if thread is None:
            return
        if thread is self._thread:  # ended without a report
            self._thread = None
        if thread in self._closing:
            self._closing.remove(thread)
        thread.deleteLater()


def phase_text(phase: str, done: int, total: int) -> str:
    """What the run is doing, in words (e.g. "Sending your changes: 40 / 120")."""
    if phase == "retry":  # done: the attempt about to start, total: how many there may be
        return (translate("SyncProgress", "Network unstable, retrying (%1/%2)")
                .replace("%1", str(done)).replace("%2", str(total)))
    if phase == "pull" and total > 0:
        return (translate("SyncProgress", "Receiving the market's changes: %1 / %2")
                .replace("%1", str(done)).replace("%2", str(max(total, done))))
    if phase == "push":
        text = translate("SyncProgress", "Sending your changes: %1 / %2")
    elif phase == "upload":  # bytes of the attachment files being sent
        text = translate("SyncProgress", "Uploading attachments: %1 / %2 MB")
        return text.replace("%1", _megabytes(done, total)).replace("%2", _megabytes(max(total, done), total))
    elif phase == "index":
        text = translate("SyncProgress", "Building the full-text search index: %1 / %2")
    elif phase == "snapshot":  # bytes of the market's catalog snapshot (a first sync)
        text = translate("SyncProgress", "Downloading the market catalog: %1 / %2 MB")
        return text.replace("%1", _megabytes(done, total)).replace("%2", _megabytes(max(total, done), total))
    elif phase == "install":
        return translate("SyncProgress", "Installing the market catalog and its search index…")
    elif phase == "checkpoint":  # the installed catalog is searchable already; its pages go into the store file
        return translate("SyncProgress", "Market catalog installed; writing it to disk (you can search already)…")
    else:
        return translate("SyncProgress", "Receiving the market's changes: %1").replace("%1", str(done))
    return text.replace("%1", str(done)).replace("%2", str(max(total, done)))


def _megabytes(n: int, total: int) -> str:
    """Bytes in MB: with a decimal when the whole is under 10 MB (a photo's 0.3 / 0.7), else whole MB."""
    return f"{n / 1e6:.1f}" if total < 10_000_000 else f"{n / 1e6:.0f}"


def rate_text(phase: str, speed: float | None, left: float | None) -> str:
    """" · 31 kB/s, about 18 min left" (empty while the speed is not known yet)."""
    if speed is None:
        return ""
    shown = format_speed(speed, phase)
    if left is None:
        return " · " + shown
    unit, n = coarse_duration(left)
    if unit == "s":
        text = translate("SyncProgress", "%1, about %2 s left")
    elif unit == "min":
        text = translate("SyncProgress", "%1, about %2 min left")
    else:
        text = translate("SyncProgress", "%1, about %2 h left")
    return " · " + text.replace("%1", shown).replace("%2", n)


def report_text(report: SyncReport, lang: str) -> str:
    """One line about a finished run."""
    if report.ok:
        done = (translate("SyncProgress", "Sync done: %1 sent, %2 received, %3 conflicts, %4 rejected")
                .replace("%1", str(report.pushed)).replace("%2", str(report.pulled))
                .replace("%3", str(report.conflicts)).replace("%4", str(report.rejected)))
        if report.blobs_failed:
            done += " " + translate("SyncProgress", "%1 attachment file(s) not uploaded yet; tried again at the next"
                                    " sync.").replace("%1", str(report.blobs_failed))
        if report.snapshot_cursor is not None:
            return translate("SyncProgress", "Market catalog installed.") + " " + done
        return done
    return report.message(lang) or translate("SyncProgress", "Sync failed")


class SyncProgress(QWidget):
    """Progress bar, phase text and a Cancel button; hidden while no run is going."""

    def __init__(self, controller: SyncController, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.lang = lang
        self._meter = RateMeter()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setObjectName("sync_progress")
        self.bar.setAccessibleName(translate("SyncProgress", "Sync progress"))
        self.bar.setMaximumWidth(180)
        self.bar.setTextVisible(False)
        self.phase = QLabel()
        self.phase.setObjectName("sync_phase")
        self.cancel_button = QPushButton(translate("SyncProgress", "Cancel sync"))
        self.cancel_button.setObjectName("sync_cancel")
        self.cancel_button.clicked.connect(controller.cancel)
        layout.addWidget(self.bar)
        layout.addWidget(self.phase)
        layout.addWidget(self.cancel_button)
        controller.started.connect(self._on_started)
        controller.progress.connect(self._on_progress)
        controller.finished.connect(self._on_finished)
        self.setVisible(controller.is_running())

    def _on_started(self) -> None:
        self._meter = RateMeter()
        self.bar.setRange(0, 0)
        self.phase.setText(translate("SyncProgress", "Connecting to the server…"))
        self.cancel_button.setEnabled(True)
        self.setVisible(True)

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        speed, left = self._meter.update(phase, done, total if total >= 0 else None)
        if phase == "retry":  # the bar keeps showing the phase's progress; the text says why it waits
            self.phase.setText(phase_text(phase, done, total))
            return
        if phase in BYTE_PHASES and total > 0:  # bytes: counted in KiB so that any size fits the bar's int
            self.bar.setRange(0, max(total, done) // 1024)
            self.bar.setValue(done // 1024)
        elif phase in ("push", "pull", "index") and total > 0:
            self.bar.setRange(0, max(total, done))
            self.bar.setValue(done)
        else:
            self.bar.setRange(0, 0)  # busy: how much is left is not known
        self.phase.setText(phase_text(phase, done, total) + rate_text(phase, speed, left))

    def _on_finished(self, _report: SyncReport) -> None:
        self.setVisible(False)
