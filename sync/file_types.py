"""Attachment types both ends accept: the allow-list, forbidden file names, and what a file's bytes are."""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class FileType:
    """An allowed attachment type. `viewable`: a document the system opener shows, never runs (see docs/security.md)."""

    mime: str
    extension: str  # canonical, with the dot: the client names its local copy with it
    viewable: bool
    other_extensions: tuple[str, ...] = ()


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
ALLOWED: dict[str, FileType] = {t.mime: t for t in (
    FileType("image/jpeg", ".jpg", True, (".jpeg", ".jpe")),
    FileType("image/png", ".png", True),
    FileType("image/gif", ".gif", True),
    FileType("image/webp", ".webp", True),
    FileType("image/heic", ".heic", True, (".heif",)),
    FileType("application/pdf", ".pdf", True),
    FileType("text/plain", ".txt", True, (".text", ".log", ".md")),
    # Legacy binary Office: VBA projects are refused, but Excel 4.0 and PowerPoint macros hide inside streams
    # this check does not parse, so these are offered with "show in folder", not opened.
    FileType("application/msword", ".doc", False),
    FileType("application/vnd.ms-excel", ".xls", False),
    FileType("application/vnd.ms-powerpoint", ".ppt", False),
    # OOXML and ODF: refused when they hold a macro project (vbaProject.bin, macro sheets, Basic/, Scripts/).
    FileType(_OOXML + "wordprocessingml.document", ".docx", True),
    FileType(_OOXML + "spreadsheetml.sheet", ".xlsx", True),
    FileType(_OOXML + "presentationml.presentation", ".pptx", True),
    FileType(_ODF + "text", ".odt", True),
    FileType(_ODF + "spreadsheet", ".ods", True),
    FileType(_ODF + "presentation", ".odp", True),
    # Recordings of a visit: played by a media player, never executed.
    FileType("audio/mpeg", ".mp3", True),
    FileType("audio/mp4", ".m4a", True),
    FileType("audio/wav", ".wav", True),
    FileType("video/mp4", ".mp4", True, (".m4v",)),
    FileType("video/quicktime", ".mov", True),
)}
OLE_TYPES = frozenset({"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"})
_BY_EXTENSION = {ext: t.mime for t in ALLOWED.values() for ext in (t.extension, *t.other_extensions)}

# Extensions that run something when opened, on any platform (Windows, macOS, Linux desktops), plus
# containers that mount or install, macro-enabled Office files, and web pages (script runs from file://).
_FORBIDDEN = """
exe bat cmd com scr pif cpl dll ocx sys drv efi msi msp mst msc msix msixbundle appx appxbundle appinstaller
application appref-ms gadget xbap hta chm hlp lnk url scf reg inf ins isp its job
ps1 ps1xml ps2 ps2xml psc1 psc2 psd1 psm1 pssc cdxml vb vbs vbe js jse mjs cjs wsf wsh wsc ws sct
jar jnlp class py pyw pyc pyo pyz pyzw pl pm rb php php3 php4 php5 phtml lua tcl awk
sh bash zsh csh tcsh ksh fish command tool run bin out elf so ko appimage deb rpm snap flatpak flatpakref
desktop app pkg mpkg dmg terminal workflow action definition scpt scptd applescript osax prefpane kext
webloc inetloc fileloc iso img vhd vhdx udf
settingcontent-ms library-ms search-ms searchconnector-ms diagcab diagcfg diagpkg
docm dotm xlsm xltm xlam xla xll ppam pptm potm ppsm sldm mde mda accde ade adp mdb mdw
html htm xhtml shtml mht mhtml svg svgz xml xsl xslt
"""
FORBIDDEN_EXTENSIONS: frozenset[str] = frozenset(_FORBIDDEN.split())
# Characters that disguise a name (bidi overrides: "gpj.exe" shows as "exe.jpg") or separate streams/paths.
_DISGUISE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c:/\\\x00-\x1f\x7f]")

# Text: any code point but controls other than tab, newlines and form feed (binary that decodes as gb18030).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = "application/zip"  # sniffed: OOXML or ODF, known once the whole archive is read
OLE = "application/x-ole-storage"  # sniffed: a legacy Office document
_MP4_BRANDS = {b"M4A ": "audio/mp4", b"M4B ": "audio/mp4", b"qt  ": "video/quicktime"}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_OOXML_FOLDERS = {"word/": _OOXML + "wordprocessingml.document", "xl/": _OOXML + "spreadsheetml.sheet",
                  "ppt/": _OOXML + "presentationml.presentation"}
_OLE_MACROS = ("_VBA_PROJECT".encode("utf-16-le"),)


def _normal(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def extensions_of(filename: str) -> list[str]:
    """Every dot-separated part after the first, without dots, spaces or trailing dots (Windows drops those)."""
    parts = _normal(filename).split(".")
    return [p.strip(" .") for p in parts[1:] if p.strip(" .")]


def name_refusal(filename: str) -> str | None:
    """Why a file name is refused (the offending extension or "name"), or None when it is acceptable."""
    if _DISGUISE.search(filename) or not filename.strip(" ."):
        return "name"
    for ext in extensions_of(filename):
        if ext in FORBIDDEN_EXTENSIONS:
            return "." + ext
    return None


def mime_for_name(filename: str) -> str | None:
    """The allowed type a file name's last extension announces (what a user picks), or None."""
    exts = extensions_of(filename)
    return _BY_EXTENSION.get("." + exts[-1]) if exts else None


def local_name(filename: str, mime: str) -> str:
    """A safe name for a local copy: the sender's stem (no dots, no path parts) + the checked type's extension."""
    kind = ALLOWED.get(mime)
    if kind is None:
        raise ValueError(f"not an allowed attachment type: {mime}")
    base = unicodedata.normalize("NFKC", filename)
    base = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\x00-\x1f\x7f<>:\"/\\|?*]", "", base)
    exts = extensions_of(base)
    if exts and ("." + exts[-1] in _BY_EXTENSION or exts[-1] in FORBIDDEN_EXTENSIONS):
        base = base[: base.rfind(".")]
    stem = base.strip(" .").replace(".", "_")[:120].strip(" ._") or "attachment"
    if re.fullmatch(r"(con|prn|aux|nul|com\d|lpt\d)", stem.casefold()):
        stem = "_" + stem
    return stem + kind.extension


def is_text(data: bytes, *, complete: bool) -> bool:
    """Whether bytes are plain text (UTF-8, UTF-16 with BOM, or GB18030).

    With complete=False the bytes are a prefix: a multi-byte character cut at its end is not an error.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
        except UnicodeDecodeError:
            continue
        return _CONTROL.search(text) is None
    return False


def sniff(head: bytes, *, complete: bool) -> str | None:
    """The allowed type (or ZIP/OLE family) the first bytes announce; None when not an allowed type.

    `complete`: `head` is the whole file (not a prefix cut at SNIFF_BYTES or a chunk boundary).
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if head[8:12] == b"WEBP" else "audio/wav"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "image/heic" if brand in _HEIF_BRANDS else _MP4_BRANDS.get(brand, "video/mp4")
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(_OLE2):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if (head.startswith(b"ID3") and head[3:4] in (b"\x02", b"\x03", b"\x04")) or _mpeg_frame(head):
        return "audio/mpeg"
    if is_text(head, complete=complete):
        return "text/plain"
    return None


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, then a layer that is not the reserved 00."""
    if head.startswith(codecs.BOM_UTF16_LE):
        return False  # FF FE: a UTF-16 text's byte order mark, not a (rare) MPEG-1 layer I frame
    return len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE6) in (0xE2, 0xE4, 0xE6)


def fits(declared: str, sniffed: str | None) -> bool:
    """Whether a declared type can be what the first bytes announce (before the whole file is read)."""
    if declared not in ALLOWED or sniffed is None:
        return False
    if sniffed == ZIP:
        return declared.startswith((_OOXML, _ODF))
    if sniffed == OLE:
        return declared in OLE_TYPES
    return declared == sniffed


def detect_file(path: Path) -> str | None:
    """The allowed type of a whole file, read in full (zip members, macros, all of a text); None if not allowed."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
        kind = sniff(head, complete=len(head) < SNIFF_BYTES)
        if kind == "text/plain":
            f.seek(0)
            return kind if _stream_is_text(f) else None
        if kind == OLE:
            f.seek(0)
            return None if _ole_has_macros(f) else OLE
    if kind == ZIP:
        return _zip_type(path)
    return kind


def file_fits(declared: str, detected: str | None) -> bool:
    """Whether a declared type matches what detect_file found (legacy Office formats share one signature)."""
    if declared not in ALLOWED or detected is None:
        return False
    return declared in OLE_TYPES if detected == OLE else declared == detected


def _stream_is_text(f: BinaryIO) -> bool:
    first = f.read(2)
    encodings = ("utf-16",) if first in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        f.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := f.read(1 << 20):
                if _CONTROL.search(decoder.decode(chunk)):
                    return False
            if _CONTROL.search(decoder.decode(b"", final=True)):
                return False
        except UnicodeDecodeError:
            continue
        return True
    return False


def _ole_has_macros(f: BinaryIO) -> bool:
    tail = b""
    while chunk := f.read(1 << 20):
        window = tail + chunk
        if any(marker in window for marker in _OLE_MACROS):
            return True
        tail = window[-32:]
    return False


def _zip_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            odf = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else None
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    lowered = [n.casefold() for n in names]
    if any(n.endswith("vbaproject.bin") or n.startswith(("basic/", "scripts/", "xl/macrosheets/")) for n in lowered):
        return None  # a macro project: a program, not a document
    if odf is not None:
        return odf if odf in ALLOWED and odf.startswith(_ODF) else None
    if "[Content_Types].xml" not in names:
        return None
    for folder, mime in _OOXML_FOLDERS.items():
        if any(n.startswith(folder) for n in names):
            return mime
    return None
