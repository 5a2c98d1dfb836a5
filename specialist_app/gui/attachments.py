"""Attachments in editors: files copied into the blob folder by services.attachments, shown as thumbnails, opened.

The bytes live in <profile dir>/blobs/<sha256>; an `attachment` record (owner, file name, type, size, sha256)
is what syncs. File work and thumbnail decoding run on the task runner's thread, never the UI thread.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
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
from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.editors.form import ERROR_STYLE
from specialist_app.services.attachments import BLOBS_FOLDER, AttachmentRefused, BlobInfo, import_blob
from specialist_app.store.db import Store
from specialist_app.sync_engine.blobs import BlobUnavailable
from specialist_app.sync_engine.errors import NetworkUnavailable, ServerError, SyncCancelled, SyncError

OPENED_FOLDER = "opened"  # copies named as the user knows them, for the system viewer
THUMBNAIL_SIZE = QSize(96, 96)


def blob_folder(data_dir: Path, profile: str) -> Path:
    """The profile's blob folder (services.attachments.blob_folder(store) names the same one)."""
    return paths.profile_dir(data_dir, profile) / BLOBS_FOLDER


def import_files(files: list[Path], folder: Path) -> Callable[[Store], list[BlobInfo | AttachmentRefused]]:
    """A job copying files into the blob folder: each a BlobInfo or the reason it was refused."""

    def run(_store: Store) -> list[BlobInfo | AttachmentRefused]:
        out: list[BlobInfo | AttachmentRefused] = []
        for path in files:
            try:
                out.append(import_blob(path, folder))
            except AttachmentRefused as err:
                out.append(err)
        return out

    return run


def thumbnails(blobs: list[tuple[str, Path]]) -> Callable[[Store], dict[str, QImage]]:
    """A job decoding images into thumbnails (QImage is safe off the UI thread; QPixmap is made there)."""

    def run(_store: Store) -> dict[str, QImage]:
        out = {}
        for sha, path in blobs:
            image = QImage(str(path))
            if not image.isNull():
                out[sha] = image.scaled(
                    THUMBNAIL_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
        return out

    return run


def open_url(url: QUrl) -> bool:
    """Hand a file to the system's viewer (tests patch this)."""
    return QDesktopServices.openUrl(url)


def viewable_copy(blob: Path, filename: str, folder: Path) -> Path:
    """A copy of `blob` under its own file name (viewers pick the program by extension), made once."""
    if not blob.is_file():
        raise AttachmentRefused(filename, "blob_not_found")
    safe_name = Path(filename.replace("\\", "/")).name or blob.name  # never a path out of the folder
    target = folder / blob.name[:16] / safe_name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(blob, target)
    return target


def copy_for_viewing(blob: Path, filename: str, folder: Path) -> Callable[[Store], Path]:
    """A job making the viewable copy off the UI thread."""

    def run(_store: Store) -> Path:
        return viewable_copy(blob, filename, folder)

    return run


def download_failure_text(filename: str, exc: BaseException, lang: str) -> str:
    """Why a file could not be fetched from the server, in the UI language."""
    if isinstance(exc, NetworkUnavailable):
        return QCoreApplication.translate(
            "Attachments", "“%1” is not on this computer yet and the server cannot be reached. "
            "Open it again when you are online.").replace("%1", filename)
    if isinstance(exc, BlobUnavailable) or (isinstance(exc, ServerError) and exc.status == 403):
        return QCoreApplication.translate(
            "Attachments", "“%1” is not on this computer and the server does not offer it to you "
            "(it was removed, or you are not allowed to see it).").replace("%1", filename)
    if isinstance(exc, SyncError):
        return f"{filename}: {exc.message(lang)}"
    return AttachmentRefused(filename, "blob_not_found").message(lang)


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

    def open_selected(self) -> None:
        """Show the selected file in the system's viewer, under its own name."""
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

        self.ctx.runner.submit(copy_for_viewing(self.folder / sha, filename, self.opened_folder),
                               self._open_copy, failed, owner=self)

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

    def _open_copy(self, path: Path) -> None:
        self.error_label.hide()
        if not open_url(QUrl.fromLocalFile(str(path))):
            self._open_failed(path.name, AttachmentRefused(path.name, "blob_not_found"))

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
