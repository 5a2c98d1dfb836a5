"""The unpacker a snapshot download feeds: hashing and decompressing each chunk as it arrives."""

from __future__ import annotations

import hashlib
import os
import threading
import tracemalloc
from pathlib import Path

import pytest
import zstandard

from specialist_app.sync_engine import unpack
from specialist_app.sync_engine.errors import SyncCancelled

PLAIN = b"".join(f"row {n}: {'技术成果' * (n % 7)} {os.urandom(8).hex()}\n".encode() for n in range(40_000))
CHUNK = 1 << 14


@pytest.fixture(scope="module")
def packed() -> bytes:
    return zstandard.ZstdCompressor(level=9, threads=-1).compress(PLAIN)


def _unpacker(tmp: Path, data: bytes, cancel: threading.Event | None = None) -> unpack.Unpacker:
    part = tmp / "f.part"
    part.write_bytes(data)  # as the download writes each chunk to the part before the unpacker gets it
    return unpack.Unpacker(part, tmp / "f.plain", cancel)


def _feed(unpacker: unpack.Unpacker, data: bytes, size: int = CHUNK) -> None:
    unpacker.resume(0)
    for start in range(0, len(data), size):
        unpacker.write(data[start:start + size])


@pytest.mark.parametrize("chunk", [1, 997, CHUNK, 1 << 30])
def test_fed_in_chunks_it_writes_what_decompressing_at_once_gives(tmp_path: Path, packed: bytes, chunk: int) -> None:
    # Byte by byte: a shorter file, else the test takes long.
    data = packed if chunk > 1 else zstandard.ZstdCompressor(level=9).compress(PLAIN[:20_000])
    with _unpacker(tmp_path, data) as unpacker:
        _feed(unpacker, data, chunk)
        unpacker.finish(hashlib.sha256(data).hexdigest())
        assert unpacker.fed == len(data)
    assert (tmp_path / "f.plain").read_bytes() == zstandard.ZstdDecompressor().decompress(
        data, max_output_size=len(PLAIN))


def test_another_hash_is_refused(tmp_path: Path, packed: bytes) -> None:
    with _unpacker(tmp_path, packed) as unpacker:
        _feed(unpacker, packed)
        with pytest.raises(unpack.UnpackError, match="SHA-256"):
            unpacker.finish(hashlib.sha256(packed + b"x").hexdigest())


def test_a_frame_cut_short_gives_the_bytes_it_holds(tmp_path: Path, packed: bytes) -> None:
    # Whether the file is whole is its reader's business (catalog_snapshot.read_meta: the SQLite header's size).
    cut = packed[: len(packed) // 2]
    with _unpacker(tmp_path, cut) as unpacker:
        _feed(unpacker, cut)
        unpacker.finish(hashlib.sha256(cut).hexdigest())
    written = (tmp_path / "f.plain").read_bytes()
    assert 0 < len(written) < len(PLAIN) and PLAIN.startswith(written)


def test_a_chunk_that_stands_for_much_is_written_out_in_pieces(tmp_path: Path) -> None:
    frame = zstandard.ZstdCompressor(level=3).compressobj()  # 64 MiB of zeros in a few KiB
    bomb = b"".join(frame.compress(bytes(1 << 20)) for _ in range(64)) + frame.flush()
    assert len(bomb) < CHUNK
    tracemalloc.start()
    try:
        with _unpacker(tmp_path, bomb) as unpacker:
            _feed(unpacker, bomb)
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (tmp_path / "f.plain").stat().st_size == 64 << 20
    assert peak < 4 * unpack.WRITE_BYTES  # not the 64 MiB at once


@pytest.mark.parametrize("data", [b"SQLite format 3\x00" + bytes(5000), os.urandom(5000)], ids=["sqlite", "noise"])
def test_bytes_that_are_not_zstd_are_refused_at_the_first_chunk(tmp_path: Path, data: bytes) -> None:
    with _unpacker(tmp_path, data) as unpacker, pytest.raises(unpack.UnpackError, match="not zstd"):
        unpacker.resume(0)
        unpacker.write(data[:CHUNK])


def test_bytes_after_the_frame_are_refused(tmp_path: Path, packed: bytes) -> None:
    with _unpacker(tmp_path, packed) as unpacker, pytest.raises(unpack.UnpackError, match="not zstd"):
        _feed(unpacker, packed + b"more", len(packed))


def test_a_frame_asking_for_a_window_above_the_bound_is_refused_before_any_output(tmp_path: Path) -> None:
    # A streamed frame (no content size) keeps the window it asks for: 64 MiB here, above MAX_WINDOW (32 MiB).
    params = zstandard.ZstdCompressionParameters(window_log=26)
    frame = zstandard.ZstdCompressor(compression_params=params).compressobj()
    data = frame.compress(PLAIN) + frame.flush()
    assert zstandard.get_frame_parameters(data).window_size > unpack.MAX_WINDOW
    with _unpacker(tmp_path, data) as unpacker, pytest.raises(unpack.UnpackError, match="too much memory"):
        _feed(unpacker, data)
    assert (tmp_path / "f.plain").stat().st_size == 0
    # ... while the publisher's own frames are well within it.
    published = zstandard.ZstdCompressor(level=9, threads=-1).compress(PLAIN)
    assert zstandard.get_frame_parameters(published).window_size <= unpack.MAX_WINDOW


def test_a_kept_part_is_read_back_before_the_rest_is_fed(tmp_path: Path, packed: bytes) -> None:
    half = len(packed) // 2
    with _unpacker(tmp_path, packed[:half]) as unpacker:  # a part left by an earlier run
        assert unpacker.resume(half) == half and unpacker.fed == half
        with unpacker.part.open("ab") as out:  # the download goes on from there
            out.write(packed[half:])
        unpacker.write(packed[half:])
        unpacker.finish(hashlib.sha256(packed).hexdigest())
    assert (tmp_path / "f.plain").read_bytes() == PLAIN


def test_a_body_from_byte_zero_starts_it_over(tmp_path: Path, packed: bytes) -> None:
    with _unpacker(tmp_path, packed) as unpacker:
        _feed(unpacker, packed[:20_000])  # a first answer cut off, then the server sends the whole file again
        _feed(unpacker, packed)
        unpacker.finish(hashlib.sha256(packed).hexdigest())
    assert (tmp_path / "f.plain").read_bytes() == PLAIN


@pytest.mark.parametrize("kept", [b"SQLite format 3\x00" + bytes(5000), b"", b"cut"], ids=["foreign", "short", "more"])
def test_a_kept_part_of_no_use_starts_it_over(tmp_path: Path, packed: bytes, kept: bytes) -> None:
    # Not zstd; shorter than the download says it is; bytes after the frame's end.
    data, offset = {b"": (packed[:1000], 2000), b"cut": (packed + b"cut", len(packed) + 3)}.get(kept, (kept, len(kept)))
    with _unpacker(tmp_path, data) as unpacker:
        assert unpacker.resume(offset) == 0 and unpacker.fed == 0
        _feed(unpacker, packed)  # the whole file downloaded again
        unpacker.finish(hashlib.sha256(packed).hexdigest())
    assert (tmp_path / "f.plain").read_bytes() == PLAIN


def test_a_cancel_stops_reading_a_kept_part_back(tmp_path: Path, packed: bytes) -> None:
    cancel = threading.Event()
    cancel.set()
    with _unpacker(tmp_path, packed, cancel) as unpacker:
        with pytest.raises(SyncCancelled):
            unpacker.resume(len(packed))
        assert unpacker.fed == 0
