"""Pinyin tokens of institution and expert names, so jldx and jilin find 吉林大学 (pypinyin)."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u9fff]+")


def name_tokens(name: str) -> str:
    """Space-separated pinyin tokens of a name's Chinese characters: the full pinyin from each syllable on
    (jilindaxue, lindaxue, daxue, xue) and the initials (jldx); empty for a name without Chinese."""
    han = "".join(_HAN.findall(name))
    if not han:
        return ""
    # pypinyin takes ~170 ms to import: imported here, only processes that index names pay it.
    from pypinyin import Style, lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(han) if s.isascii() and s.isalpha()]
    initials = "".join(s[0].lower() for s in lazy_pinyin(han, style=Style.FIRST_LETTER) if s.isascii() and s.isalpha())
    if not syllables:
        return ""
    return " ".join(dict.fromkeys(["".join(syllables[i:]) for i in range(len(syllables))] + [initials]))
