"""Realistic near-duplicates and look-alikes of real names and titles, for bench/duplicates_eval.py and _bench.py.

A near-duplicate is what a second specialist types for the same thing: a pinyin-input slip (a homophone), a lost,
doubled or swapped character, full-width letters and digits, words in another order, a legal form added or
changed, traditional characters, or two of these. A look-alike is a different thing with a similar name: one word
of the title changed for another word of the same vocabulary, another number, another enterprise of the same
city and trade.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterable

import opencc
from pypinyin.pinyin_dict import pinyin_dict

from sync.duplicates.score import homophones

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEPARATORS = ("及其", "及", "与", "和", "、", "的")
_LEGAL_FORMS = ("有限公司", "有限责任公司", "股份有限公司")


@functools.cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@functools.cache
def _homophone_table(charset: frozenset[str]) -> dict[str, tuple[str, ...]]:
    by_reading: dict[str, list[str]] = {}
    for char in sorted(charset):
        if not _CJK.match(char) or ord(char) not in pinyin_dict:
            continue
        for other in charset:
            if other != char and _CJK.match(other) and homophones(char, other):
                by_reading.setdefault(char, []).append(other)
    return {c: tuple(sorted(o)) for c, o in by_reading.items()}


class Cases:
    """Variants of names drawn from `corpus`; `words` is the vocabulary a look-alike swaps a word from."""

    def __init__(self, corpus: Iterable[str], words: Iterable[str], seed: int = 15) -> None:
        self.corpus = list(corpus)
        self.rng = random.Random(seed)
        self.words = sorted({w for w in words if len(w) == 2 and all(_CJK.match(c) for c in w)})
        charset = frozenset("".join(self.corpus))
        self.homophones = _homophone_table(frozenset(c for c in charset if c in "".join(self.corpus[:3000])))

    # --- near-duplicates -------------------------------------------------------------------------------------
    def duplicate(self, name: str, institution: bool) -> tuple[str, str]:
        """(kind, variant) of `name` that means the same record."""
        kinds: list[tuple[str, Callable[[str], str | None]]] = [
            ("homophone", self._homophone), ("lost", self._lost), ("doubled", self._doubled),
            ("swapped", self._swapped), ("full-width", self._full_width), ("reordered", self._reordered),
            ("traditional", self._traditional), ("two", self._two),
        ]
        if institution:
            kinds.append(("legal form", self._legal_form))
        self.rng.shuffle(kinds)
        for kind, make in kinds:
            variant = make(name)
            if variant and variant != name:
                return kind, variant
        return "full-width", name + " "

    def _positions(self, name: str) -> list[int]:
        return [i for i, c in enumerate(name) if _CJK.match(c)]

    def _homophone(self, name: str) -> str | None:
        spots = [i for i in self._positions(name) if name[i] in self.homophones]
        if not spots:
            return None
        i = self.rng.choice(spots)
        return name[:i] + self.rng.choice(self.homophones[name[i]]) + name[i + 1:]

    def _lost(self, name: str) -> str | None:
        spots = self._positions(name)[1:-1]
        if len(name) < 8 or not spots:
            return None
        i = self.rng.choice(spots)
        return name[:i] + name[i + 1:]

    def _doubled(self, name: str) -> str | None:
        spots = self._positions(name)
        if len(name) < 6 or not spots:
            return None
        i = self.rng.choice(spots)
        return name[:i] + name[i] + name[i:]

    def _swapped(self, name: str) -> str | None:
        spots = [i for i in self._positions(name)[1:-1] if i + 1 < len(name) and _CJK.match(name[i + 1])]
        if len(name) < 10 or not spots:
            return None
        i = self.rng.choice(spots)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]

    def _full_width(self, name: str) -> str | None:
        wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
        if wide == name:
            cut = self.rng.randrange(2, max(3, len(name) - 1))
            return name[:cut] + "\u3000" + name[cut:]  # an ideographic space typed in the middle
        return wide

    def _reordered(self, name: str) -> str | None:
        if name.startswith("基于") and "的" in name[2:]:
            basis, _, rest = name[2:].partition("的")
            return f"{rest}（基于{basis}）"
        for sep in _SEPARATORS[:-1]:
            left, found, right = name.partition(sep)
            if found and len(left) >= 2 and len(right) >= 2:
                return right + sep + left
        return None

    def _traditional(self, name: str) -> str | None:
        return str(_s2t().convert(name))

    def _legal_form(self, name: str) -> str | None:
        for form in _LEGAL_FORMS:
            if name.endswith(form):
                other = self.rng.choice([f for f in _LEGAL_FORMS if f != form])
                return name[: -len(form)] + other
        return name + self.rng.choice(_LEGAL_FORMS)

    def _two(self, name: str) -> str | None:
        first = self._traditional(name) if self.rng.random() < 0.5 else self._full_width(name)
        second = self._homophone(first or name) if self.rng.random() < 0.5 else self._lost(first or name)
        return second or first

    # --- look-alikes -----------------------------------------------------------------------------------------
    def look_alike(self, name: str, institution: bool = False) -> tuple[str, str] | None:
        """(kind, name) of a different record whose name is close to `name`, or None."""
        makers = [("other word", self._other_word), ("other number", self._other_number)]
        if institution or self.rng.random() < 0.85:
            makers = makers[:1]
        for kind, make in makers:
            other = make(name)
            if other and other != name:
                return kind, other
        return None

    def _other_word(self, name: str) -> str | None:
        core = len(name)
        for form in _LEGAL_FORMS:  # another enterprise differs in its name, not in its legal form
            if name.endswith(form):
                core = len(name) - len(form)
        spots = [i for i in range(core - 1) if name[i:i + 2] in self._word_set]
        if not spots:
            return None
        i = self.rng.choice(spots)
        old = name[i:i + 2]
        new = self.rng.choice(self.words)
        while new == old or (homophones(new[0], old[0]) and homophones(new[1], old[1])):
            new = self.rng.choice(self.words)
        return name[:i] + new + name[i + 2:]

    def _other_number(self, name: str) -> str | None:
        digits = re.search(r"[0-9]+", name)
        if digits:
            return name[: digits.start()] + str(int(digits.group()) + 1) + name[digits.end():]
        return name + self.rng.choice(("（二期）", "2.0", "（第二代）"))

    @functools.cached_property
    def _word_set(self) -> frozenset[str]:
        return frozenset(self.words)
