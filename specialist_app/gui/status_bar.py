"""The status bar: online/offline, pending changes and files, last successful sync, open conflicts, refused changes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from specialist_app.gui import data
from specialist_app.gui.context import SPACING, AppContext, icon
from specialist_app.gui.editors import date_text
from specialist_app.gui.refused import RefusedCount
from sync.entities import ENTITIES
from sync.messages import in_language

SAVED_MESSAGE_MS = 5000


def format_market_time(utc_text: str) -> str:
    """A UTC date-time shown in market time (UTC+8) whatever this computer's zone, e.g. 2025-03-18 14:30."""
    try:
        return date_text.show_date_time(utc_text)
    except ValueError:
        return utc_text




def files_text(count: int, n_bytes: int) -> str:
    """"Files to upload: 1, 5.2 MB" (zh_CN: 待上传附件 1 个，5.2 MB)."""
    text = QCoreApplication.translate("SyncStatusBar", "Files to upload: %1, %2 MB")
    return text.replace("%1", str(count)).replace("%2", f"{n_bytes / (1024 * 1024):.1f}")


class SyncStatusBar(QStatusBar):
    """Reads its figures from the store through the task runner; the sync engine sets online/offline."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("status_bar")
        self.online_icon = QLabel()
        self.online_label = QLabel()
        self.pending_label = QLabel()
        self.pending_label.setObjectName("status_pending")
        self.files_label = QLabel()  # shown while attachment files wait for upload
        self.files_label.setObjectName("status_files")
        self.last_sync_label = QLabel()
        self.last_sync_label.setObjectName("status_last_sync")
        self.conflicts_label = QLabel()
        self.conflicts_label.setObjectName("status_conflicts")
        self.refused_label = RefusedCount()  # red while the market refused changes not yet fixed nor dismissed
        self.refused_label.clicked.connect(ctx.events.show_refused)
        for widget in (self.online_icon, self.online_label, self.pending_label, self.files_label,
                       self.last_sync_label, self.conflicts_label, self.refused_label):
            widget.setContentsMargins(SPACING // 2, 0, SPACING, 0)
            self.addPermanentWidget(widget)
        self.zone_label = QLabel(self.tr("Times: Beijing (UTC+8)"))  # only on a computer keeping another zone
        self.zone_label.setObjectName("status_zone")
        self.zone_label.setToolTip(self.tr("Every time in the app is market time (Beijing, UTC+8), "
                                           "whatever this computer's time zone"))
        self.zone_label.setVisible(not date_text.laptop_in_market_time())
        self.addPermanentWidget(self.zone_label)
        self.summary: data.StatusSummary | None = None
        self.syncing = False
        ctx.events.saved.connect(self.show_saved)
        self.set_online(False)
        self._show(data.StatusSummary(0, 0, None))

    def show_saved(self, entity: str, title: str) -> None:
        """A few seconds of "Saved: Achievement “…”" where messages show, left of the figures."""
        found = ENTITIES.get(entity)
        kind = in_language(found, self.ctx.lang) if found is not None else entity
        text = self.tr("Saved: %1 “%2”").replace("%2", title) if title else self.tr("Saved: %1")
        self.showMessage(text.replace("%1", kind), SAVED_MESSAGE_MS)

    def set_online(self, online: bool) -> None:
        self.online = online
        self._show_link()

    def set_syncing(self, syncing: bool) -> None:
        """A run is going: "Syncing", not the last run's online/offline (a first sync is not offline)."""
        self.syncing = syncing
        self._show_link()

    def _show_link(self) -> None:
        if self.syncing:
            self.online_icon.setPixmap(icon("sync").pixmap(12, 12))
            self.online_label.setText(self.tr("Syncing"))
        else:
            self.online_icon.setPixmap(icon("online" if self.online else "offline").pixmap(12, 12))
            self.online_label.setText(self.tr("Online") if self.online else self.tr("Offline"))

    def refresh(self) -> None:
        self.ctx.runner.submit(data.status_summary, self._show, key="status-summary")

    def _show(self, summary: data.StatusSummary) -> None:
        self.summary = summary
        self.pending_label.setText(self.tr("Pending changes: %1").replace("%1", str(summary.pending_changes)))
        self.files_label.setVisible(summary.pending_files > 0)
        self.files_label.setText(files_text(summary.pending_files, summary.pending_file_bytes))
        if summary.last_sync_at:
            self.last_sync_label.setText(
                self.tr("Last sync: %1").replace("%1", format_market_time(summary.last_sync_at)))
        else:
            self.last_sync_label.setText(self.tr("Never synced"))
        self.conflicts_label.setText(self.tr("Conflicts: %1").replace("%1", str(summary.open_conflicts)))
        self.conflicts_label.setStyleSheet("color: #c77700;" if summary.open_conflicts else "")
        self.refused_label.set_count(summary.refused)
