"""Likely duplicates by normalised-name similarity (enough to put a record beside its probable twin)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import TypeVar

K = TypeVar("K")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
# Legal-form words that differ between spellings of one organisation's name.
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "co.,ltd.", "co ltd", "ltd", "inc")
THRESHOLD = 0.8


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return _PUNCT.sub("", text)


def likely(name: str, candidates: Iterable[tuple[K, str]], limit: int = 3) -> list[tuple[K, str, float]]:
    """The candidates most like `name` (ratio >= THRESHOLD on normalised names), best first."""
    mine = normalise(name)
    if not mine:
        return []
    found: list[tuple[K, str, float]] = []
    matcher = SequenceMatcher(None, b=mine, autojunk=False)
    for key, other in candidates:
        theirs = normalise(other or "")
        if not theirs:
            continue
        matcher.set_seq1(theirs)
        if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
            continue
        ratio = matcher.ratio()
        if ratio >= THRESHOLD:
            found.append((key, other, round(ratio, 2)))
    found.sort(key=lambda item: -item[2])
    return found[:limit]
