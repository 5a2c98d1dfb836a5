"""'Did you mean': for a Chinese query with no match, the most frequent indexed text one character away."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from pathlib import Path

from sqlalchemy import Connection

from specialist_app.store import digest_docs, search_text
from specialist_app.store import search_index as ix

CANDIDATE_DOCS = 200  # documents read per anchor: enough to find a common spelling, bounded work
MAX_LENGTH = 12  # longer queries are pasted text, not typed words: no suggestion (and no 20 lookups)
_HAN = "\u3400-\u9fff"


def _phrase(text: str) -> str:
    if len(text) == 1:
        return f'{ix.ALL_UNI_COLUMNS} : "{text}"'
    return f'{ix.ALL_BI_COLUMNS} : "{" ".join(text[i:i + 2] for i in range(len(text) - 1))}"'


Variant = tuple[str, str, str | None, re.Pattern[str]]  # anchor before, anchor after, the replaced character


def _variants(piece: str) -> list[Variant]:
    """Anchors, the character replaced (None: one added) and the pattern, for one character replaced, dropped or
    added at each place."""
    out: list[Variant] = []
    for i in range(len(piece) + 1):
        before, after = piece[:i], piece[i + 1:]
        if i < len(piece) and len(before) + len(after) >= 2:  # replace piece[i] (or drop it)
            out.append((before, after, piece[i], re.compile(f"{re.escape(before)}([{_HAN}]?){re.escape(after)}")))
        before, after = piece[:i], piece[i:]
        if 0 < i < len(piece):  # one character added between before and after
            out.append((before, after, None, re.compile(f"{re.escape(before)}([{_HAN}]){re.escape(after)}")))
    return out


_TONED_V = str.maketrans("üǖǘǚǜ", "vvvvv")  # pypinyin's plain style writes ü as v


@functools.cache
def _readings() -> dict[str, str] | None:
    """pypinyin's readings of single characters (code point -> "toned,readings"), read from its data file (~25 ms)
    without importing pypinyin (~170-300 ms, most of it the phrase table a single character never needs); None
    when the file is not there."""
    spec = importlib.util.find_spec("pypinyin")
    places = spec.submodule_search_locations if spec is not None else None
    try:
        table = json.loads((Path(next(iter(places or ()))) / "pinyin_dict.json").read_text("utf-8"))
    except (OSError, StopIteration, ValueError):
        return None
    return table if isinstance(table, dict) else None


@functools.lru_cache(maxsize=4096)
def _sound(char: str) -> str:
    """`pypinyin.lazy_pinyin(char)[0]`: the first reading without tones, ü as v, the character itself when it has
    none (the same for every character of pypinyin's table: test_search_suggest)."""
    readings = _readings()
    if readings is None:
        from pypinyin import lazy_pinyin  # no data file (an unusual install): the library itself (~170 ms once)

        return lazy_pinyin(char)[0]
    found = readings.get(str(ord(char))) if len(char) == 1 else None
    if not found:
        return char
    first = found.split(",")[0].translate(_TONED_V)
    return "".join(c for c in unicodedata.normalize("NFD", first) if not unicodedata.combining(c))


def _likeness(typed: str | None, found: str) -> float:
    """How much more a spelling counts when its character sounds like the one typed: a pinyin input method's
    slips are homophones (发 for 法) or near ones (路 lu for 络 luo)."""
    if not typed or not found:
        return 1.0
    a, b = _sound(typed), _sound(found)
    return 4.0 if a == b else 2.0 if a[:1] == b[:1] else 1.0


def did_you_mean(conn: Connection, query: str) -> str | None:
    """A query one Chinese character away from `query` (replaced, missing or extra) that the index holds: the
    most common such spelling, homophones of the typed character counting more; None when the query is not a
    single Chinese piece of 3 to `MAX_LENGTH` characters."""
    pieces = list(search_text.pieces(search_text.fold(query)))
    if len(pieces) != 1 or not pieces[0][0] or not 3 <= len(pieces[0][1]) <= MAX_LENGTH:
        return None
    piece = pieces[0][1]
    seen: dict[str, float] = {}
    for before, after, replaced, pattern in _variants(piece):
        anchors = [p for p in (before, after) if p]
        match = " AND ".join(f"({_phrase(a)})" for a in anchors)
        doc_ids = [int(r[0]) for r in conn.exec_driver_sql(
            f"SELECT rowid FROM {ix.FTS} WHERE {ix.FTS} MATCH ? LIMIT ?", (match, CANDIDATE_DOCS))]
        for _, (title, body, by, _, _) in digest_docs.texts(conn, doc_ids).values():  # a digest's from its row
            row = (title, body, by)
            found = {(m.group(0), m.group(1)) for text in row for m in pattern.finditer(search_text.fold(text))}
            for spelling, char in found:
                if spelling != piece:
                    seen[spelling] = seen.get(spelling, 0.0) + _likeness(replaced, char)
    return max(seen, key=lambda k: (seen[k], k)) if seen else None
