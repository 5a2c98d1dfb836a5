"""Attachment work for the task runner (copy in, thumbnails, checked copies to open) and failure texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QImage

from specialist_app.services.attachments import AttachmentRefused, BlobInfo, LocalCopy, import_blob, local_copy
from specialist_app.store.db import Store
from specialist_app.sync_engine.blobs import BlobUnavailable
from specialist_app.sync_engine.errors import NetworkUnavailable, ServerError, SyncError

THUMBNAIL_SIZE = QSize(96, 96)


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


def copy_for_viewing(blob: Path, filename: str, mime_type: str, folder: Path) -> Callable[[Store], LocalCopy]:
    """A job checking the bytes against their type and making the copy to open, off the UI thread."""

    def run(_store: Store) -> LocalCopy:
        return local_copy(blob, filename, mime_type, folder)

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
