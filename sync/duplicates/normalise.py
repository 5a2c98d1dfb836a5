"""The forms names and titles are compared in: full-width, case, traditional characters, punctuation, legal forms."""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

# Legal forms that differ between spellings of one organisation's name. Chinese ones are cut from the first of
# these marks within the last `_FORM_SPAN` characters, so a slip inside the form (有限红司, 有限任公司) is cut too.
_FORM_MARKS = re.compile(r"有限|公司|股份|集团|责任|有限?[公司]")
_FORM_SPAN = 9
_NUMBERED = re.compile(r"[0-9一二三四五六七八九十][期号代]")  # 有限公司二期: a name, not a legal form
_LATIN_FORMS = ("corporationlimited", "companylimited", "coltd", "limited", "ltd", "inc", "corp", "co")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Where a title may be cut into words that can be written in another order: marks, spaces, and the joining
# words 及其/及/与/和/的 (基于X的Y and Y（基于X）, A与B and B与A hold the same pieces).
_PIECE = re.compile(r"[\W_]+|及其|[及与和的]", re.UNICODE)


@functools.cache
def _t2s() -> dict[int, str]:
    """OpenCC's traditional-to-simplified map of single CJK characters, one character for one.

    Character for character, never by phrase, so a key keeps its length and an edit stays one edit. Built once
    per process from OpenCC's own dictionary (~10 ms).
    """
    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def fold(text: str) -> str:
    """NFKC (full-width letters, digits, marks to half-width), lower case, simplified characters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text if text.isascii() else text.translate(_t2s())


def name_key(text: str | None) -> str:
    """A title's or name's comparison key: folded, without spaces or punctuation."""
    return _NOT_WORD.sub("", fold(text or ""))


def sorted_key(text: str | None) -> str:
    """The pieces of a title's key in sorted order, so titles written in another order have one key."""
    return "".join(sorted(p for p in _PIECE.split(fold(text or "")) if p))


def company_key(text: str | None) -> str:
    """An organisation's name key without its legal form (有限公司, 股份有限公司, Co., Ltd. ...)."""
    key = name_key(text)
    start = max(2, len(key) - _FORM_SPAN)
    mark = _FORM_MARKS.search(key, start)
    if mark and not _NUMBERED.search(key, mark.start()):
        return key[: mark.start()]
    for form in _LATIN_FORMS:
        if key.endswith(form) and len(key) >= len(form) + 2:
            return key[: -len(form)]
    return key


def code_key(text: str | None) -> str:
    """An identifier's key (credit code, registration number, phone, e-mail): folded, only letters and digits."""
    return _NOT_WORD.sub("", fold(text or ""))


def patent_key(text: str | None) -> str:
    """A patent or registration number's key: ZL 2019 1 0123456.7 and 201910123456.7 are one number."""
    key = code_key(text)
    return key[2:] if key.startswith("zl") else key
