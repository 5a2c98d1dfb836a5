"""The attachment allow-list: forbidden names, local names, byte sniffing, whole-file detection."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sync import file_types as ft
from sync.entities import ATTACHMENT_MIME_TYPES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def _zip(path: Path, members: dict[str, bytes], *, odf: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        if odf is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), odf.encode())  # stored first, as ODF requires
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _docx(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    return _zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **(extra or {})})


@pytest.mark.parametrize("name", [
    "走访纪要.pdf.bat", "run.exe", "RUN.EXE", "a.cmd", "a.com", "a.scr", "a.ps1", "a.vbs", "a.js", "a.jar", "a.lnk",
    "a.msi", "a.sh", "a.desktop", "Tool.app", "a.command", "a.hta", "a.docm", "a.xlsm", "page.html", "x.svg",
    "report.bat.pdf", "a.bat.", "a.bat ", "a.bat. . ", "a．ｂａｔ", "a.py", "a.dmg", "a.iso", "a.appimage",
])
def test_forbidden_extensions_anywhere_in_the_name_are_refused(name: str) -> None:
    assert ft.name_refusal(name) is not None


@pytest.mark.parametrize("name", ["a\u202egpj.exe", "a:stream.pdf", "dir/x.pdf", "dir\\x.pdf", "a\x00.pdf", " . ", ""])
def test_disguised_names_are_refused(name: str) -> None:
    assert ft.name_refusal(name) is not None


@pytest.mark.parametrize("name", ["走访纪要.pdf", "photo.JPG", "报告 v2.1.docx", "notes", "录音.m4a", "会议记录.txt"])
def test_ordinary_names_pass(name: str) -> None:
    assert ft.name_refusal(name) is None


def test_the_refusal_names_the_extension() -> None:
    assert ft.name_refusal("走访纪要.pdf.bat") == ".bat"


def test_allow_list_is_the_contracts_and_has_no_forbidden_extension() -> None:
    assert frozenset(ft.ALLOWED) == ATTACHMENT_MIME_TYPES
    for kind in ft.ALLOWED.values():
        for ext in (kind.extension, *kind.other_extensions):
            assert ext.startswith(".")
            assert ext[1:] not in ft.FORBIDDEN_EXTENSIONS
    assert ft.ALLOWED["application/pdf"].viewable
    assert not ft.ALLOWED["application/msword"].viewable


def test_mime_for_name_uses_the_last_extension() -> None:
    assert ft.mime_for_name("photo.JPEG") == "image/jpeg"
    assert ft.mime_for_name("a.docx") == DOCX
    assert ft.mime_for_name("a.exe") is None
    assert ft.mime_for_name("README") is None


@pytest.mark.parametrize(("name", "mime", "expected"), [
    ("走访纪要.pdf.bat", "application/pdf", "走访纪要_pdf.pdf"),
    ("走访纪要.pdf", "application/pdf", "走访纪要.pdf"),
    ("photo.png", "image/jpeg", "photo.jpg"),
    ("../../etc/passwd", "text/plain", "etcpasswd.txt"),
    ("a\u202egpj.exe", "image/png", "agpj.png"),
    ("报告 v2.1", "text/plain", "报告 v2_1.txt"),
    ("CON", "text/plain", "_CON.txt"),
    ("...", "image/png", "attachment.png"),
])
def test_local_name_keeps_one_extension_the_checked_types(name: str, mime: str, expected: str) -> None:
    assert ft.local_name(name, mime) == expected


def test_local_name_refuses_a_type_off_the_list() -> None:
    with pytest.raises(ValueError):
        ft.local_name("a.exe", "application/x-msdownload")


@pytest.mark.parametrize(("head", "kind"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"GIF89a\x01\x00", "image/gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00", "video/mp4"),
    (b"\x00\x00\x00\x18ftypM4A \x00\x00", "audio/mp4"),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00", "video/quicktime"),
    (b"ID3\x04\x00\x00", "audio/mpeg"),
    (b"\xff\xfb\x90\x00", "audio/mpeg"),
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", ft.OLE),
    (b"PK\x03\x04\x14\x00", ft.ZIP),
    ("走访纪要\n".encode(), "text/plain"),
    ("走访纪要\n".encode("gb18030"), "text/plain"),
    ("\ufeff走访".encode("utf-16-le"), "text/plain"),
    (b"MZ\x90\x00\x03\x00\x00\x00", None),
    (b"\x7fELF\x02\x01\x01\x00", None),
    (b"\xca\xfe\xba\xbe\x00\x00", None),
    (b"text with a \x01 control", None),
])
def test_sniff(head: bytes, kind: str | None) -> None:
    assert ft.sniff(head, complete=True) == kind


def test_a_multibyte_character_cut_at_the_sniff_boundary_is_still_text() -> None:
    data = ("a" * (ft.SNIFF_BYTES - 1) + "走" + "访纪要" * 10).encode()
    head = data[: ft.SNIFF_BYTES]
    assert ft.sniff(head, complete=False) == "text/plain"
    assert ft.is_text(head, complete=False)
    assert not ft.is_text(head, complete=True)  # as a whole file, a cut character is not text


def test_a_cut_character_in_the_middle_is_not_text() -> None:
    assert not ft.is_text(b"abc\xe8 abc", complete=False)  # invalid in UTF-8 and in GB18030


def test_fits_matches_families() -> None:
    assert ft.fits(DOCX, ft.ZIP)
    assert ft.fits(ODT, ft.ZIP)
    assert ft.fits("application/vnd.ms-excel", ft.OLE)
    assert not ft.fits("application/pdf", ft.ZIP)
    assert not ft.fits("application/pdf", "text/plain")
    assert not ft.fits("application/x-msdownload", None)
    assert not ft.fits("application/x-sh", "text/plain")


def test_detect_text_with_a_character_across_the_sniff_boundary(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(("a" * (ft.SNIFF_BYTES - 1) + "走访纪要" * 2000).encode())
    assert ft.detect_file(path) == "text/plain"


def test_detect_refuses_text_cut_at_its_end_and_binary_after_the_sniffed_head(tmp_path: Path) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_bytes(b"a" * 5000 + b"\xe8")  # a lead byte with nothing after it, in UTF-8 and GB18030
    assert ft.detect_file(cut) is None
    binary = tmp_path / "late.txt"
    binary.write_bytes(b"a" * 10_000 + b"\x00\x01\x02")
    assert ft.detect_file(binary) is None


def test_detect_office_documents(tmp_path: Path) -> None:
    assert ft.detect_file(_docx(tmp_path / "a.docx")) == DOCX
    assert ft.detect_file(_zip(tmp_path / "a.odt", {"content.xml": b"<x/>"}, odf=ODT)) == ODT
    assert ft.file_fits("application/vnd.ms-powerpoint", ft.OLE)
    assert not ft.file_fits(DOCX, "application/pdf")


def test_detect_refuses_macros_and_plain_zips(tmp_path: Path) -> None:
    assert ft.detect_file(_docx(tmp_path / "m.docx", {"word/vbaProject.bin": b"x"})) is None
    assert ft.detect_file(_zip(tmp_path / "m.odt", {"Basic/Standard/Module1.xml": b"x"}, odf=ODT)) is None
    assert ft.detect_file(_zip(tmp_path / "plain.zip", {"run.exe": b"MZ"})) is None
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert ft.detect_file(broken) is None


def test_detect_refuses_a_legacy_office_file_with_a_vba_project(tmp_path: Path) -> None:
    clean = tmp_path / "clean.doc"
    clean.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "WordDocument".encode("utf-16-le"))
    assert ft.detect_file(clean) == ft.OLE
    macro = tmp_path / "macro.doc"
    macro.write_bytes(clean.read_bytes() + b"\x00" * (1 << 20) + "_VBA_PROJECT".encode("utf-16-le"))
    assert ft.detect_file(macro) is None
