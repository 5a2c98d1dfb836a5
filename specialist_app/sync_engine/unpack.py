"""A zstd download unpacked while it arrives: each received chunk is hashed (SHA-256 of the compressed bytes, what
the server names a file by) and decompressed into the plain file, so that when the last byte is in only the hash
comparison is left (`snapshot`: a catalog snapshot is installed from the plain file at once).

The unpacker follows the `.part` file the download writes (`download.Sink`): it is told where each answer's body starts;
a body from byte 0 (a 416, a server that ignored the Range) starts it over, and a part kept from an earlier run is first
read back from the disk (a part that is no start of such a frame is downloaded again). A decompressor's window is
bounded (`MAX_WINDOW`) and its output written out in pieces (`WRITE_BYTES`), so a hostile file cannot make the client
allocate gigabytes; anything that is not zstd of this kind, or whose hash differs, is an `UnpackError`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import BinaryIO

import zstandard

from specialist_app.sync_engine.errors import SyncCancelled

log = logging.getLogger(__name__)

# The largest window a frame may ask for: 32 MiB. The publisher's level 17 (`snapshot_publish.ZSTD_LEVEL`) uses
# 8 MiB; libzstd's own limit would be 128 MiB per decompressor.
MAX_WINDOW = 1 << 25
_READ_BYTES = 1 << 20  # reading a kept part back: a cancel is looked at after each
WRITE_BYTES = 1 << 17  # the decompressed bytes are written out in pieces of this size at most


class UnpackError(Exception):
    """The bytes are not what was asked for: not zstd, a window above MAX_WINDOW, cut short, or another hash."""


class Unpacker:
    """Hash and decompress the bytes of `part` (written by a download) into `plain` as they come.

    A `download.Sink`: `resume(offset)` before each body, `write(chunk)` for each chunk of it; `finish(sha256)`
    after the last one. `close()` (or leaving it as a context manager) closes the plain file; the caller removes
    it. `cancel` stops reading a kept part back (SyncCancelled)."""

    def __init__(self, part: Path, plain: Path, cancel: threading.Event | None = None,
                 max_window: int = MAX_WINDOW) -> None:
        self.part, self.plain, self.cancel, self.max_window = part, plain, cancel, max_window
        self.fed = 0  # bytes of the part hashed and decompressed
        self._out: BinaryIO | None = None
        self._start()

    def _start(self) -> None:
        self.close()
        self._out = self.plain.open("wb")
        self._hash = hashlib.sha256()
        # Written out as it is decompressed, WRITE_BYTES at a time: a chunk of a few KiB may stand for hundreds of
        # MB (runs of zeros), which a decompressor returning its whole output would hold in memory at once.
        decompressor = zstandard.ZstdDecompressor(max_window_size=self.max_window)
        self._frame = decompressor.stream_writer(self._out, write_size=WRITE_BYTES, closefd=False)
        self.fed = 0

    def resume(self, offset: int) -> int:
        """What follows continues the part at byte `offset` (0: all over again); bytes before it not fed yet (a
        part kept from an earlier run) are read back first. The offset to go on from: `offset`, or 0 (started
        over) when those bytes are not the start of a frame of this kind (the download then drops the part)."""
        if offset < self.fed or offset == 0:
            self._start()
        if offset > self.fed:
            try:
                self._catch_up(offset)
            except UnpackError as exc:
                log.info("a kept part is of no use: %s", exc)
                self._start()
                return 0
        return offset

    def _catch_up(self, offset: int) -> None:
        with self.part.open("rb") as src:
            src.seek(self.fed)
            while self.fed < offset:
                if self.cancel is not None and self.cancel.is_set():
                    raise SyncCancelled()
                chunk = src.read(min(_READ_BYTES, offset - self.fed))
                if not chunk:
                    raise UnpackError(f"the part holds {self.fed:,} bytes, not {offset:,}")
                self.write(chunk)

    def write(self, chunk: bytes) -> None:
        """Hash and decompress the next bytes of the part."""
        self._hash.update(chunk)
        self.fed += len(chunk)
        try:
            self._frame.write(chunk)
        except zstandard.ZstdError as exc:
            raise UnpackError(f"not zstd data of this kind: {exc}") from exc

    def finish(self, sha256: str) -> None:
        """All bytes are in: the hash must be `sha256`; the plain file is then written out and closed. (Whether it
        is whole is the reader's business: a frame cut short decompresses to a shorter file.)"""
        if self._hash.hexdigest() != sha256:
            raise UnpackError("SHA-256 does not match")
        self.close()

    def close(self) -> None:
        if self._out is not None:  # (the decompressor holds nothing back: each write() wrote all it gave)
            self._out.close()
            self._out = None

    def __enter__(self) -> Unpacker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
