"""How alike two name keys are, forgiving what typing gets wrong (homophones, a lost character, a moved word)."""

from __future__ import annotations

import functools
import re
import unicodedata

from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz.distance import Indel, Levenshtein, Opcode

# At or above: shown as a likely duplicate. Chosen on the generated set of bench/duplicates_eval.py (docs/matching.md).
THRESHOLD = 0.86
# Candidates below this plain ratio are not aligned at all (cheap C check first).
PREFILTER = 0.6
# Numbers set records apart however alike the rest is: 一期/二期, 2号/3号, 10kV/35kV.
_NUMBER = re.compile(r"[0-9]+|[一二三四五六七八九十]+(?=[期号代型级次批])")
_HOMOPHONE_COST = 0.5  # 神经网路 for 神经网络: what a pinyin input method gets wrong
_SWAP_COST = 1.0  # two neighbours typed in the wrong order
# A character replaced by one that does not sound alike is rarely a slip of a pinyin input method: mostly
# another word (品种/育种, 中国/鲁国). Latin letters and digits slip on the keyboard: cost 2 (lost + added).
_OTHER_CJK_COST = 3.0
_OTHER_COST = 2.0
_ANOTHER_WORD = 1e9
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.cache
def _readings(char: str) -> frozenset[str]:
    """A character's toneless pinyin readings (empty for non-Chinese)."""
    listed = pinyin_dict.get(ord(char))
    if not listed:
        return frozenset()
    return frozenset(
        "".join(c for c in unicodedata.normalize("NFD", r) if not unicodedata.combining(c)) for r in listed.split(",")
    )


@functools.cache
def _sound_table() -> dict[int, str]:
    """Each Chinese character to one character standing for its first reading (中 and 钟 to the same one)."""
    syllables: dict[str, str] = {}
    table: dict[int, str] = {}
    for point, listed in pinyin_dict.items():
        first = listed.split(",")[0]
        bare = "".join(c for c in unicodedata.normalize("NFD", first) if not unicodedata.combining(c))
        table[point] = syllables.setdefault(bare, chr(0xE000 + len(syllables)))  # private use: 2 bytes
    return table


def sound_key(key: str) -> str:
    """`key` with each Chinese character replaced by its first reading's stand-in: the form bigrams are cut from."""
    return key if key.isascii() else key.translate(_sound_table())


def homophones(a: str, b: str) -> bool:
    return a == b or bool(_readings(a) & _readings(b))


def _numbers(key: str) -> list[str]:
    return _NUMBER.findall(key)


def similarity(a: str, b: str, a_sorted: str = "", b_sorted: str = "") -> float:
    """1.0 for equal keys, down to 0.0: 1 - cost / longer length, where a character lost or added costs 1, one
    replaced by a homophone 0.5, two neighbours swapped 1, a character replaced by another 3 (2 for Latin and
    digits). `a_sorted`/`b_sorted` (`normalise.sorted_key`) are compared too, for words written in another
    order (A与B / B与A, 基于X的Y / Y（基于X）). Different numbers in the two keys give 0."""
    if a == b:
        return 1.0
    if not a or not b or _numbers(a) != _numbers(b):
        return 0.0
    score = _edit_score(a, b)
    if a_sorted and b_sorted and (a_sorted != a or b_sorted != b):
        score = max(score, _edit_score(a_sorted, b_sorted))
    return score


def _edit_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if Indel.normalized_similarity(a, b) < PREFILTER:
        return 0.0
    cost = 0.0
    lost = added = 0
    ops = list(Levenshtein.opcodes(a, b))
    i = 0
    while i < len(ops):
        op = ops[i]
        if op.tag == "replace":
            cost += _replaced(a[op.src_start:op.src_end], b[op.dest_start:op.dest_end])
        elif op.tag in ("delete", "insert"):
            if _swap_at(a, b, ops, i):
                cost += _SWAP_COST
                i += 3
                continue
            cost += (op.src_end - op.src_start) + (op.dest_end - op.dest_start)
            lost += len(_CJK.findall(a, op.src_start, op.src_end))
            added += len(_CJK.findall(b, op.dest_start, op.dest_end))
        i += 1
    if lost >= 2 and added >= 2:  # characters gone and others come: another word, however aligned
        return 0.0
    return max(0.0, 1.0 - cost / max(len(a), len(b)))


def _swap_at(a: str, b: str, ops: list[Opcode], i: int) -> bool:
    """Whether ops[i:i+3] are one character lost, one kept, the same character added: 分析/析分 as an alignment."""
    if i + 2 >= len(ops):
        return False
    first, middle, last = ops[i], ops[i + 1], ops[i + 2]
    if middle.tag != "equal" or middle.src_end - middle.src_start != 1 or {first.tag, last.tag} != {"delete", "insert"}:
        return False
    if first.tag == "delete":
        lost, added = a[first.src_start:first.src_end], b[last.dest_start:last.dest_end]
    else:
        added, lost = b[first.dest_start:first.dest_end], a[last.src_start:last.src_end]
    return len(lost) == 1 and lost == added


def _replaced(old: str, new: str) -> float:
    cost = 0.0
    other = 0  # unlike Chinese characters replaced in a row
    i = 0
    while i < len(old):
        if i + 1 < len(old) and old[i] == new[i + 1] and old[i + 1] == new[i]:
            cost += _SWAP_COST
            i += 2
            continue
        x, y = old[i], new[i]
        if homophones(x, y):
            cost += _HOMOPHONE_COST
            other = 0
        elif _CJK.match(x) or _CJK.match(y):
            cost += _OTHER_CJK_COST
            other += 1
            if other == 2:  # two neighbours replaced by unlike ones: another word (影响/传热), not a slip
                return _ANOTHER_WORD
        else:
            cost += _OTHER_COST
        i += 1
    return cost


def is_duplicate(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold
