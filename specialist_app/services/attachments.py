"""Attachments without Qt: the content-addressed blob folder, attachment rows, and checked copies to open."""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from specialist_app.services import records
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store
from sync.entities import ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES
from sync.file_types import ALLOWED, FileType, detect_file, file_fits, local_name, name_refusal
from sync.messages import render

BLOBS_FOLDER = "blobs"
CHUNK = 1 << 20
_EXTRA_TYPES = {".heic": "image/heic", ".webp": "image/webp"}  # not known to every platform's mimetypes
_MAX_MB = ATTACHMENT_MAX_BYTES // (1024 * 1024)


class AttachmentRefused(ValueError):
    """The file cannot be attached; `message(lang)` says why (size, type, unreadable)."""

    def __init__(self, filename: str, code: str, **params: Any) -> None:
        super().__init__(code)
        self.filename = filename
        self.code = code
        self.params = params

    def message(self, lang: str) -> str:
        return f"{self.filename}: {render(self.code, lang, **{'filename': self.filename, **self.params})}"


@dataclass(frozen=True)
class BlobInfo:
    """A file copied into the blob folder: the fields of its attachment record."""

    filename: str
    mime_type: str
    size: int
    sha256: str

    def record(self) -> dict[str, Any]:
        return asdict(self)


def blob_folder(store: Store) -> Path:
    """<profile dir>/blobs: next to the store file (the same folder the GUI uses)."""
    return Path(store.path).parent / BLOBS_FOLDER


def blob_path(store: Store, sha256: str) -> Path:
    return blob_folder(store) / sha256


def mime_type_of(path: Path) -> str:
    guessed = mimetypes.guess_type(path.name)[0] or _EXTRA_TYPES.get(path.suffix.lower())
    return guessed or "application/octet-stream"


def check_file(path: Path) -> tuple[str, int]:
    """(mime type, size) of a file that may be attached; raises AttachmentRefused otherwise."""
    refused = name_refusal(path.name)  # a program's extension anywhere in the name: the server refuses it too
    if refused is not None:
        raise AttachmentRefused(path.name, "blob_name_not_allowed", ext=refused)
    mime = mime_type_of(path)
    if mime not in ATTACHMENT_MIME_TYPES:
        raise AttachmentRefused(path.name, "blob_type_not_allowed")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise AttachmentRefused(path.name, "blob_not_found") from err
    if size > ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(path.name, "blob_too_large", max_mb=_MAX_MB)
    return mime, size


def import_blob(path: Path, folder: Path) -> BlobInfo:
    """Copy `path` into `folder` under its sha256 (hashing while copying into a temp file, then renaming).

    The same bytes twice end up as one file: the rename replaces an identical file.
    """
    mime, _size = check_file(path)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if size > ATTACHMENT_MAX_BYTES:
                    raise AttachmentRefused(path.name, "blob_too_large", max_mb=_MAX_MB)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, folder / digest.hexdigest())
    except OSError as err:
        raise AttachmentRefused(path.name, "blob_not_found") from err
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return BlobInfo(path.name, mime, size, digest.hexdigest())


def add_attachment(
    store: Store, owner_entity: str, owner_id: str, path: Path, *, caption: str | None = None
) -> tuple[str, BlobInfo]:
    """Copy `path` into the store's blob folder and create its attachment row (queued for sync): (row id, info).

    Raises AttachmentRefused (file) or records.RecordInvalid (owner unknown, bad values); the bytes are copied
    first, so a refused row leaves at most an unreferenced blob, never a row without bytes.
    """
    info = import_blob(Path(path), blob_folder(store))
    values: dict[str, Any] = {**info.record(), "owner_entity": owner_entity, "owner_id": owner_id}
    if caption:
        values["caption"] = caption
    with UnitOfWork(store) as uow:
        row_id = records.create(uow, "attachment", values)
        uow.commit()
    return row_id, info


def attachment_of_blob(store: Store, sha256: str) -> tuple[str, str] | None:
    """(file name, declared type) of the oldest live attachment row naming `sha256`, None when there is none."""
    with ReadUnitOfWork(store) as uow:
        row = uow.conn.exec_driver_sql(
            "SELECT filename, mime_type FROM attachment WHERE sha256 = ? AND deleted = 0 ORDER BY id LIMIT 1",
            (sha256,)).fetchone()
    return (str(row[0]), str(row[1])) if row else None


@dataclass(frozen=True)
class LocalCopy:
    """A copy of an attachment for the user: named with its checked type's extension, viewable or not."""

    path: Path
    mime_type: str
    viewable: bool  # a document the system opener shows; others are only shown in their folder


def checked_type(blob: Path, filename: str, declared: str) -> FileType:
    """The attachment's type once its bytes are checked against it (the same check the server makes).

    Raises AttachmentRefused: blob_not_found (no bytes here), blob_type_not_allowed (not an allowed type), or
    blob_type_mismatch (the bytes are something else: never opened, whatever the name says).
    """
    if not blob.is_file():
        raise AttachmentRefused(filename, "blob_not_found")
    kind = ALLOWED.get(declared)
    if kind is None:
        raise AttachmentRefused(filename, "blob_type_not_allowed")
    if not file_fits(declared, detect_file(blob)):
        raise AttachmentRefused(filename, "blob_type_mismatch", mime_type=declared)
    return kind


def local_copy(blob: Path, filename: str, declared: str, folder: Path) -> LocalCopy:
    """A copy of `blob` in its own sub-folder of `folder`, named from the sender's name without its extensions and
    the checked type's extension (never the sender's: `纪要.pdf.bat` typed PDF becomes `纪要_pdf.pdf`)."""
    kind = checked_type(blob, filename, declared)
    target = folder / blob.name[:16] / local_name(filename, kind.mime)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(blob, tmp)
        os.replace(tmp, target)
    return LocalCopy(target, kind.mime, kind.viewable)
