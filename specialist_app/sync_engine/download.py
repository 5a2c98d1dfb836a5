"""Resumable downloads of one file into a `.part` file: Range requests continue a body the network cut off."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Protocol

import requests

from specialist_app.sync_engine.errors import NetworkUnavailable, ServerError
from specialist_app.sync_engine.transport import Transport

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int | None], None]
CHUNK = 1 << 14  # small: progress (and a cancel check) every 0.5 s even at 256 kbit/s
HASH_CHUNK = 1 << 20
CUT_OFF = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class Sink(Protocol):
    """Takes the file's bytes as they arrive, beside the part file (`unpack.Unpacker`: decompressing a snapshot)."""

    def resume(self, offset: int) -> int:
        """What follows continues the file at byte `offset` (0: all over again), the part holding the bytes before
        it; the offset to go on from: `offset`, or 0 when the part's bytes are of no use (it is then dropped)."""

    def write(self, chunk: bytes) -> None:
        """The next bytes, just written to the part."""


def download(
    transport: Transport,
    url: str,
    partial: Path,
    progress: ProgressFn,
    *,
    missing: Callable[[], Exception],
    unusable_part: Callable[[], Exception],
    phase: str = "download",
    sink: Sink | None = None,
) -> str | None:
    """Fill `partial` with the whole file at `url`, continuing what it already holds; returns the answer's
    Content-Type (without parameters), None when it sent none.

    Attempts that bring no new byte are bounded by the transport's max_attempts. A 404 raises `missing()`; a
    kept part that is a prefix of nothing on the server (416) is dropped and, after max_attempts, raises
    `unusable_part()`. Progress is reported as (`phase`, bytes held, total or None). `sink` is given every
    chunk as it is written to the part, after being told where each body starts (it may refuse what a kept part
    holds: the download then starts over); what it raises ends the download.
    """
    stalled = 0
    while True:
        have = partial.stat().st_size if partial.exists() else 0
        if sink is not None and sink.resume(have) != have:  # a part kept from an earlier run is read back first
            partial.unlink()
            have = 0
        headers = {"Accept-Encoding": "identity"}  # byte offsets must be of the file itself, not a gzip stream
        if have:
            headers["Range"] = f"bytes={have}-"
        try:
            response = transport.request("GET", url, headers=headers, stream=True, ok_statuses=frozenset({416}))
        except ServerError as exc:
            if exc.status == 404:
                raise missing() from None
            raise
        with contextlib.closing(response):
            if response.status_code == 416:  # the part is not a prefix of anything the server has
                partial.unlink(missing_ok=True)
                stalled += 1
                if stalled >= transport.max_attempts:
                    raise unusable_part()
                continue
            resuming = response.status_code == 206
            start = have if resuming else 0
            total = _total_size(response, start)
            if sink is not None and start != have:
                sink.resume(start)  # the server sends the whole file again
            try:
                with partial.open("ab" if resuming else "wb") as out:
                    _copy_body(transport, response, out, start, total, progress, phase, sink)
                served = response.headers.get("Content-Type")
                return served.split(";", 1)[0].strip().lower() if served else None
            except CUT_OFF as exc:
                transport.raise_if_cancelled()  # the cancel shut the socket down: not a cut to retry
                grown = partial.exists() and partial.stat().st_size > have
                stalled = 0 if grown else stalled + 1
                log.info("download of %s cut off: %s", url, type(exc).__name__)
                if stalled >= transport.max_attempts:
                    raise NetworkUnavailable(type(exc).__name__) from exc


def _copy_body(transport: Transport, response: requests.Response, out: BinaryIO, start: int, total: int | None,
               progress: ProgressFn, phase: str, sink: Sink | None) -> None:
    done = start
    for chunk in response.iter_content(CHUNK):
        transport.raise_if_cancelled()
        out.write(chunk)
        if sink is not None:
            sink.write(chunk)
        done += len(chunk)
        progress(phase, done, total)
    out.flush()
    os.fsync(out.fileno())


def _total_size(response: requests.Response, start: int) -> int | None:
    length = response.headers.get("Content-Length")
    return start + int(length) if length and length.isdigit() else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
