"""Attachment bytes: content-addressed (sha256) files in a folder every server instance shares."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.entities import ATTACHMENT_MAX_BYTES
from sync.file_types import SNIFF_BYTES, detect_file, sniff

MIB = 1024 * 1024
DISK_RESERVE_BYTES = 256 * MIB  # uploads stop while the blob folder's disk has less free space than this


class BlobError(ValueError):
    """A refused upload step; `code` keys sync.messages."""

    def __init__(self, status: int, code: str, **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params


def is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


@dataclass(frozen=True)
class Appended:
    """Where an upload stands after a chunk; `detected` is the checked type once the file is complete."""

    received: int
    detected: str | None = None


class BlobStore:
    """Complete files at <root>/<aa>/<sha>; each user's uploads in progress at <root>/partial/<user id>/<sha>.

    Partial uploads are per user: one user's offset or progress says nothing about another's, and only the bytes
    a user sent count for them (proof of possession, docs/security.md).
    """

    def __init__(self, root: Path, *, user_quota_bytes: int = 200 * MIB, disk_reserve_bytes: int = DISK_RESERVE_BYTES
                 ) -> None:
        self.root = root
        self.user_quota_bytes = user_quota_bytes
        self.disk_reserve_bytes = disk_reserve_bytes
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def _partial(self, user_id: int, sha: str) -> Path:
        return self.root / "partial" / str(int(user_id)) / sha

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def size(self, sha: str) -> int:
        return self.path(sha).stat().st_size

    def received(self, user_id: int, sha: str) -> int:
        """Bytes of this user's unfinished upload of `sha` (0 when none)."""
        partial = self._partial(user_id, sha)
        return partial.stat().st_size if partial.exists() else 0

    def unfinished_bytes(self, user_id: int) -> int:
        folder = self.root / "partial" / str(int(user_id))
        if not folder.is_dir():
            return 0
        total = 0
        for entry in os.scandir(folder):
            with contextlib.suppress(FileNotFoundError):
                total += entry.stat().st_size
        return total

    def append(self, user_id: int, sha: str, offset: int, data: bytes, total: int) -> Appended:
        """Append a chunk at `offset` of this user's upload of `total` bytes; checks hash and type at the end."""
        max_mb = ATTACHMENT_MAX_BYTES // MIB
        if total > ATTACHMENT_MAX_BYTES or total <= 0:
            raise BlobError(413, "blob_too_large", max_mb=max_mb)
        partial = self._partial(user_id, sha)
        have = partial.stat().st_size if partial.exists() else 0
        if offset != have:
            raise BlobError(409, "blob_offset_mismatch", offset=have)
        if have + len(data) > total:
            raise BlobError(413, "blob_too_large", max_mb=max_mb)
        if have == 0 and data:
            head = data[:SNIFF_BYTES]
            if sniff(head, complete=len(head) == total) is None:  # a prefix may end inside a character
                raise BlobError(415, "blob_type_not_allowed")
        self._check_room(user_id, total, len(data))
        partial.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("ab") as out:
            out.write(data)
        have += len(data)
        if have < total:
            return Appended(have)
        return Appended(have, self._finish(sha, partial))

    def _check_room(self, user_id: int, total: int, incoming: int) -> None:
        quota_mb = self.user_quota_bytes // MIB
        if total > self.user_quota_bytes:
            raise BlobError(413, "blob_quota_exceeded", quota_mb=quota_mb)
        if self.unfinished_bytes(user_id) + incoming > self.user_quota_bytes:
            raise BlobError(507, "blob_quota_exceeded", quota_mb=quota_mb)
        if shutil.disk_usage(self.root).free - incoming < self.disk_reserve_bytes:
            raise BlobError(507, "blob_disk_full")

    def _finish(self, sha: str, partial: Path) -> str:
        digest = hashlib.sha256()
        with partial.open("rb") as f:
            for chunk in iter(lambda: f.read(MIB), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            partial.unlink(missing_ok=True)
            raise BlobError(422, "blob_hash_mismatch")
        detected = detect_file(partial)
        if detected is None:
            partial.unlink(missing_ok=True)
            raise BlobError(415, "blob_type_not_allowed")
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.utime(final)  # already held (another user's upload): fresh again for the collector's grace period
            partial.unlink(missing_ok=True)
        except FileNotFoundError:
            os.replace(partial, final)  # atomic: another instance sees the whole file or none
        return detected

    def touch(self, sha: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.utime(self.path(sha))

    def detect(self, sha: str) -> str | None:
        return detect_file(self.path(sha))

    def expire_partials(self, max_age_seconds: float, now: float | None = None) -> tuple[int, int]:
        """Delete unfinished uploads untouched for `max_age_seconds`; (files, bytes) removed."""
        cutoff = (now or time.time()) - max_age_seconds
        files = size = 0
        partial = self.root / "partial"
        # Files right in partial/ are uploads from before they were kept per user: they expire the same way.
        entries = [e for d in partial.iterdir() if d.is_dir() for e in os.scandir(d)]
        entries += [e for e in os.scandir(partial) if e.is_file()]
        for entry in entries:
            with contextlib.suppress(FileNotFoundError):
                stat = entry.stat()
                if stat.st_mtime < cutoff:
                    os.unlink(entry.path)
                    files, size = files + 1, size + stat.st_size
        return files, size

    def complete_files(self) -> Iterator[tuple[str, float, int]]:
        """(sha256, mtime, size) of every complete file."""
        for folder in self.root.iterdir():
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if entry.name.startswith(".collect-"):  # a collection that stopped half-way: put it back
                    with contextlib.suppress(FileNotFoundError):
                        self._put_back(Path(entry.path), folder / entry.name.removeprefix(".collect-"))
                    continue
                if is_sha256(entry.name):
                    with contextlib.suppress(FileNotFoundError):
                        stat = entry.stat()
                        yield entry.name, stat.st_mtime, stat.st_size

    def collect(self, sha: str, cutoff: float) -> bool:
        """Remove a complete file unless it was touched after `cutoff` (an upload of the same bytes finishing now).

        The file is first renamed aside, so an upload finishing meanwhile either freshened it before (then it is put
        back) or finds it gone and puts its own copy in place.
        """
        final = self.path(sha)
        aside = final.with_name(f".collect-{sha}")
        try:
            os.replace(final, aside)
        except FileNotFoundError:
            return False
        if aside.stat().st_mtime > cutoff:
            self._put_back(aside, final)
            return False
        aside.unlink(missing_ok=True)
        return True

    @staticmethod
    def _put_back(aside: Path, final: Path) -> None:
        if final.exists():
            aside.unlink(missing_ok=True)  # an upload put its own copy (the same bytes) in place meanwhile
        else:
            os.replace(aside, final)
