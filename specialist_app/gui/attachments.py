"""Attachments in editors: files copied into the blob folder by services.attachments, shown as thumbnails, opened.

The bytes live in <profile dir>/blobs/<sha256>; an `attachment` record (owner, file name, type, size, sha256)
is what syncs. File work and thumbnail decoding run on the task runner's thread, never the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from specialist_app import paths
from specialist_app.gui.attachment_jobs import (
    THUMBNAIL_SIZE,
    copy_for_viewing,
    download_failure_text,
    import_files,
    thumbnails,
)
from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.editors.form import ERROR_STYLE
from specialist_app.services.attachments import BLOBS_FOLDER, AttachmentRefused, BlobInfo, LocalCopy
from specialist_app.sync_engine.errors import SyncCancelled
from sync.file_types import ALLOWED

OPENED_FOLDER = "opened"  # checked copies named with their type's extension, for the system viewer


def blob_folder(data_dir: Path, profile: str) -> Path:
    """The profile's blob folder (services.attachments.blob_folder(store) names the same one)."""
    return paths.profile_dir(data_dir, profile) / BLOBS_FOLDER


def open_url(url: QUrl) -> bool:
    """Hand a file (or a folder) to the system's opener (tests patch this)."""
    return QDesktopServices.openUrl(url)


def show_in_folder(path: Path) -> bool:
    """Open the folder holding `path` in the file manager: how a type the app does not open is offered."""
    return open_url(QUrl.fromLocalFile(str(path.parent)))


class AttachmentsPanel(QWidget):
    """Stored and newly added attachments of one record, as thumbnails; files come by dialog or drop."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.folder = blob_folder(ctx.data_dir, ctx.profile)
        self.opened_folder = paths.profile_dir(ctx.data_dir, ctx.profile) / OPENED_FOLDER
        self.stored: list[dict[str, Any]] = []
        self.added: list[BlobInfo] = []
        self.removed_ids: list[str] = []  # stored attachments to delete when the record is saved
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.title_label = QLabel(
            QCoreApplication.translate("Attachments", "Attachments (photos and documents; drop files here)")
        )
        header.addWidget(self.title_label, 1)
        self.add_button = QPushButton(icon("add"), QCoreApplication.translate("Attachments", "Add files…"))
        self.add_button.setObjectName("add_attachment")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(QCoreApplication.translate("Attachments", "Open"))
        self.open_button.setObjectName("open_attachment")
        self.open_button.setAutoDefault(False)
        self.open_button.setToolTip(QCoreApplication.translate("Attachments", "Open the selected file (Enter)"))
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(QCoreApplication.translate("Attachments", "Remove"))
        self.remove_button.setObjectName("remove_attachment")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setToolTip(
            QCoreApplication.translate("Attachments", "Remove the selected file (deleted when you save)"))
        self.remove_button.clicked.connect(self.remove_selected)
        header.addWidget(self.add_button)
        header.addWidget(self.open_button)
        header.addWidget(self.remove_button)
        layout.addLayout(header)
        self.list = QListWidget()
        self.list.setObjectName("attachments")
        self.list.setAccessibleName(QCoreApplication.translate("Attachments", "Attachments"))
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(THUMBNAIL_SIZE)
        self.list.setGridSize(QSize(THUMBNAIL_SIZE.width() + 40, THUMBNAIL_SIZE.height() + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(THUMBNAIL_SIZE.height() + 52)
        self.list.setProperty("data_text", True)
        self.list.itemActivated.connect(lambda _item: self.open_selected())  # double-click or Enter
        self.list.currentItemChanged.connect(lambda *_items: self._name_open_button())
        layout.addWidget(self.list)
        self.download_row = QWidget()
        download_layout = QHBoxLayout(self.download_row)
        download_layout.setContentsMargins(0, 0, 0, 0)
        self.download_label = QLabel()
        self.download_label.setObjectName("attachment_download")
        self.download_label.setProperty("data_text", True)
        self.download_bar = QProgressBar()
        self.download_bar.setObjectName("attachment_download_progress")
        self.download_bar.setAccessibleName(QCoreApplication.translate("Attachments", "Download progress"))
        self.download_bar.setMaximumWidth(200)
        download_layout.addWidget(self.download_label, 1)
        download_layout.addWidget(self.download_bar)
        self.download_row.hide()
        layout.addWidget(self.download_row)
        self.downloading: set[str] = set()  # sha256 of files being fetched from the server
        self._download_records: dict[str, dict[str, Any]] = {}
        self._downloads_connected = False
        self.note_label = QLabel()
        self.note_label.setObjectName("attachment_note")
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        layout.addWidget(self.note_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("attachment_errors")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("data_text", True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self._items: dict[str, QListWidgetItem] = {}
        self.thumbnailed: set[str] = set()  # sha256 of images whose thumbnail is shown

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("Attachments", "Add photos or documents"),
            "",
            QCoreApplication.translate(
                "Attachments",
                "Photos and documents (*.jpg *.jpeg *.png *.webp *.heic *.pdf *.doc *.docx *.xls *.xlsx *.ppt"
                " *.pptx *.txt);;All files (*)",
            ),
        )
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, files: list[Path]) -> None:
        """Copy the files into the blob folder (off the UI thread), then show them."""
        self.ctx.runner.submit(import_files(files, self.folder), self._on_imported)

    def _on_imported(self, results: list[BlobInfo | AttachmentRefused]) -> None:
        refused = [r.message(self.ctx.lang) for r in results if isinstance(r, AttachmentRefused)]
        known = {b.sha256 for b in self.added} | {str(a["sha256"]) for a in self.stored}
        for result in results:
            if isinstance(result, BlobInfo) and result.sha256 not in known:
                known.add(result.sha256)
                self.added.append(result)
                self._show_item(result.record())
        self.error_label.setText("\n".join(refused))
        self.error_label.setVisible(bool(refused))
        self._load_thumbnails()
        self.changed.emit()

    def set_stored(self, stored: list[dict[str, Any]]) -> None:
        self.stored = [a for a in stored if str(a.get("id") or "") not in self.removed_ids]
        self._rebuild()

    def remove_stored(self, ids: list[str]) -> None:
        """Mark stored attachments for deletion at the next save (a draft restores these marks)."""
        for id in ids:
            if id not in self.removed_ids:
                self.removed_ids.append(id)
        self.set_stored(self.stored)

    def set_added(self, added: list[dict[str, Any]]) -> None:
        self.added = [
            BlobInfo(str(a["filename"]), str(a["mime_type"]), int(a["size"]), str(a["sha256"])) for a in added
        ]
        self._rebuild()

    def new_records(self) -> list[dict[str, Any]]:
        return [b.record() for b in self.added]

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        sha = str(item.data(Qt.ItemDataRole.UserRole))
        if any(b.sha256 == sha for b in self.added):
            self.added = [b for b in self.added if b.sha256 != sha]
            self._rebuild()
            self.changed.emit()
            return
        stored = next((a for a in self.stored if str(a["sha256"]) == sha and a.get("id")), None)
        if stored is not None:
            self.remove_stored([str(stored["id"])])
            self.changed.emit()

    def _selected_record(self) -> dict[str, Any] | None:
        item = self.list.currentItem()
        if item is None:
            return None
        sha = str(item.data(Qt.ItemDataRole.UserRole))
        return next((r for r in [*self.stored, *(b.record() for b in self.added)] if str(r["sha256"]) == sha), None)

    def _name_open_button(self) -> None:
        """"Open" for a type the system opener shows; "Show in folder" for the others."""
        record = self._selected_record()
        kind = ALLOWED.get(str(record["mime_type"])) if record is not None else None
        self.open_button.setText(QCoreApplication.translate("Attachments", "Open") if kind is None or kind.viewable
                                 else QCoreApplication.translate("Attachments", "Show in folder"))
        self.note_label.hide()

    def open_selected(self) -> None:
        """Show the selected file in the system's viewer (a copy named with its checked type's extension), or in
        its folder when it is not a viewable type."""
        record = self._selected_record()
        if record is None:
            return
        self._open_record(record, may_download=True)

    def _open_record(self, record: dict[str, Any], *, may_download: bool) -> None:
        filename, sha = str(record["filename"]), str(record["sha256"])
        if sha in self.downloading:
            return

        def failed(exc: BaseException) -> None:
            missing = isinstance(exc, AttachmentRefused) and exc.code == "blob_not_found"
            stored = any(str(a["sha256"]) == sha for a in self.stored)
            if missing and may_download and stored and self.ctx.downloads is not None:
                self._download(record)  # pulled from another device: the bytes are on the server
            else:
                self._open_failed(filename, exc)

        self.ctx.runner.submit(copy_for_viewing(self.folder / sha, filename, str(record["mime_type"]),
                                                self.opened_folder), self._open_copy, failed, owner=self)

    def _download(self, record: dict[str, Any]) -> None:
        """Fetch the file from the server on the downloads thread, showing progress, then open it."""
        downloads = self.ctx.downloads
        assert downloads is not None
        filename, sha = str(record["filename"]), str(record["sha256"])
        self.downloading.add(sha)
        self.error_label.hide()
        self.download_label.setText(
            QCoreApplication.translate("Attachments", "Downloading “%1” from the server…").replace("%1", filename))
        self.download_bar.setRange(0, 0)  # busy until the server says the size
        self.download_row.show()
        self._download_records[sha] = record
        if not self._downloads_connected:
            self._downloads_connected = True
            downloads.progressed.connect(self._on_download_progress)
            downloads.downloaded.connect(self._on_downloaded)
            downloads.failed.connect(self._on_download_failed)
        downloads.fetch(sha)

    def _on_download_progress(self, sha: str, done: int, total: int) -> None:
        if sha in self.downloading and total > 0:
            self.download_bar.setRange(0, total)
            self.download_bar.setValue(min(done, total))

    def _on_downloaded(self, sha: str, _path: object) -> None:
        record = self._download_records.pop(sha, None)
        if record is None:
            return
        self._download_ended(sha)
        self._open_record(record, may_download=False)
        self._load_thumbnails()

    def _on_download_failed(self, sha: str, exc: object) -> None:
        record = self._download_records.pop(sha, None)
        if record is None:
            return
        self._download_ended(sha)
        if isinstance(exc, SyncCancelled) or not isinstance(exc, BaseException):
            return
        self.error_label.setText(download_failure_text(str(record["filename"]), exc, self.ctx.lang))
        self.error_label.show()

    def _download_ended(self, sha: str) -> None:
        self.downloading.discard(sha)
        if not self.downloading:
            self.download_row.hide()

    def _open_copy(self, copy: LocalCopy) -> None:
        """A viewable type goes to the system opener; any other (legacy Office, may hide macros) is only shown in
        its folder, with a note saying why."""
        self.error_label.hide()
        if copy.viewable:
            opened = open_url(QUrl.fromLocalFile(str(copy.path)))
        else:
            opened = show_in_folder(copy.path)
            self.note_label.setText(QCoreApplication.translate(
                "Attachments", "“%1” is a type the app does not open itself (it may contain macros): it is shown in"
                " its folder. Open it only if you trust its sender.").replace("%1", copy.path.name))
            self.note_label.show()
        if not opened:
            self._open_failed(copy.path.name, AttachmentRefused(copy.path.name, "blob_not_found"))

    def _open_failed(self, filename: str, exc: BaseException) -> None:
        refused = exc if isinstance(exc, AttachmentRefused) else AttachmentRefused(filename, "blob_not_found")
        self.error_label.setText(refused.message(self.ctx.lang))
        self.error_label.show()

    def _rebuild(self) -> None:
        self.list.clear()
        self._items = {}
        for record in [*self.stored, *(b.record() for b in self.added)]:
            self._show_item(record)
        self._load_thumbnails()

    def _show_item(self, record: dict[str, Any]) -> None:
        is_image = str(record["mime_type"]).startswith("image/")
        standard = QStyle.StandardPixmap.SP_FileIcon
        placeholder = self.style().standardIcon(standard) if not is_image else QIcon()
        item = QListWidgetItem(placeholder, str(record["filename"]))
        item.setData(Qt.ItemDataRole.UserRole, record["sha256"])
        item.setToolTip(f"{record['filename']} · {int(record['size']) // 1024 + 1} KB")
        self.list.addItem(item)
        self._items[str(record["sha256"])] = item

    def _load_thumbnails(self) -> None:
        images = [
            (str(r["sha256"]), self.folder / str(r["sha256"]))
            for r in [*self.stored, *(b.record() for b in self.added)]
            if str(r["mime_type"]).startswith("image/")
        ]
        if images:
            self.ctx.runner.submit(thumbnails(images), self._show_thumbnails)

    def _show_thumbnails(self, found: dict[str, QImage]) -> None:
        for sha, image in found.items():
            item = self._items.get(sha)
            if item is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))
                self.thumbnailed.add(sha)
