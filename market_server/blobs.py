"""Attachment bytes: content-addressed (sha256) files in a folder every server instance shares."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path
from typing import Any

from sync.entities import ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_OLE = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
_OFFICE_ZIP = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt/",
}


class BlobError(ValueError):
    """A refused upload step; `code` keys sync.messages."""

    def __init__(self, status: int, code: str, **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params


def is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


class BlobStore:
    """Complete files at <root>/<aa>/<sha>; uploads in progress at <root>/partial/<sha>."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def _partial(self, sha: str) -> Path:
        return self.root / "partial" / sha

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def received(self, sha: str) -> int:
        if self.has(sha):
            return self.path(sha).stat().st_size
        partial = self._partial(sha)
        return partial.stat().st_size if partial.exists() else 0

    def append(self, sha: str, offset: int, data: bytes, total: int) -> int:
        """Append a chunk at `offset` of a file of `total` bytes; completes (checks hash and type) at the end."""
        if self.has(sha):
            return self.received(sha)
        if total > ATTACHMENT_MAX_BYTES or total <= 0:
            raise BlobError(413, "blob_too_large", max_mb=ATTACHMENT_MAX_BYTES // (1024 * 1024))
        partial = self._partial(sha)
        have = partial.stat().st_size if partial.exists() else 0
        if offset != have:
            raise BlobError(409, "blob_offset_mismatch", offset=have)
        if have + len(data) > total:
            raise BlobError(413, "blob_too_large", max_mb=ATTACHMENT_MAX_BYTES // (1024 * 1024))
        if have == 0 and data and sniff_type(data[:4096], complete=False) is None:
            raise BlobError(415, "blob_type_not_allowed")
        with partial.open("ab") as out:
            out.write(data)
        have += len(data)
        if have == total:
            self._finish(sha, partial)
        return have

    def _finish(self, sha: str, partial: Path) -> None:
        digest = hashlib.sha256()
        with partial.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            partial.unlink(missing_ok=True)
            raise BlobError(422, "blob_hash_mismatch")
        if detect_file_type(partial) is None:
            partial.unlink(missing_ok=True)
            raise BlobError(415, "blob_type_not_allowed")
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)  # atomic: another instance sees the whole file or none


def detect_file_type(path: Path) -> str | None:
    with path.open("rb") as f:
        head = f.read(4096)
    kind = sniff_type(head, complete=True)
    if kind == "application/zip":
        return _office_zip_type(path)
    if kind == "text/plain":
        return "text/plain" if _is_text(path.read_bytes()) else None
    return kind


def sniff_type(head: bytes, *, complete: bool) -> str | None:
    """The allowed type the first bytes announce (zip: generic until the whole file is checked)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"heim"):
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(_OLE2):
        return "application/msword"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if b"\x00" not in head and _is_text(head, partial=not complete):
        return "text/plain"
    return None


def _is_text(data: bytes, partial: bool = False) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return b"\x00" not in data
        except UnicodeDecodeError as err:
            if partial and err.start >= len(data) - 4:
                return True  # a character cut at the chunk's end
    return False


def _office_zip_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for mime, folder in _OFFICE_ZIP.items():
        if any(n.startswith(folder) for n in names):
            return mime
    return None


def type_matches(declared: str, detected: str) -> bool:
    """Whether a declared MIME type fits what the bytes are (old Office formats share one signature)."""
    if declared not in ATTACHMENT_MIME_TYPES:
        return False
    if detected == "application/msword":
        return declared in _OFFICE_OLE
    return declared == detected
