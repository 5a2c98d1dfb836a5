"""'Did you mean': for a Chinese query with no match, the most frequent indexed text one character away."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import Connection

from specialist_app.store import search_index as ix
from specialist_app.store import search_text

CANDIDATE_DOCS = 200  # documents read per anchor: enough to find a common spelling, bounded work
_HAN = "\u3400-\u9fff"


def _phrase(text: str) -> str:
    if len(text) == 1:
        return f'{ix.ALL_UNI_COLUMNS} : "{text}"'
    return f'{ix.ALL_BI_COLUMNS} : "{" ".join(text[i:i + 2] for i in range(len(text) - 1))}"'


def _variants(piece: str) -> list[tuple[str, str, re.Pattern[str]]]:
    """(anchor before, anchor after, pattern) for one character replaced, dropped or added at each place."""
    out: list[tuple[str, str, re.Pattern[str]]] = []
    for i in range(len(piece) + 1):
        before, after = piece[:i], piece[i + 1:]
        if i < len(piece) and len(before) + len(after) >= 2:  # replace piece[i] (or drop it)
            out.append((before, after, re.compile(f"{re.escape(before)}([{_HAN}]?){re.escape(after)}")))
        before, after = piece[:i], piece[i:]
        if 0 < i < len(piece):  # one character added between before and after
            out.append((before, after, re.compile(f"{re.escape(before)}([{_HAN}]){re.escape(after)}")))
    return out


def did_you_mean(conn: Connection, query: str) -> str | None:
    """A query one Chinese character away from `query` (replaced, missing or extra) that the index holds,
    the most common such spelling; None when the query is not a single Chinese piece of 3+ characters."""
    pieces = list(search_text.pieces(search_text.fold(query)))
    if len(pieces) != 1 or not pieces[0][0] or len(pieces[0][1]) < 3:
        return None
    piece = pieces[0][1]
    seen: Counter[str] = Counter()
    for before, after, pattern in _variants(piece):
        anchors = [p for p in (before, after) if p]
        match = " AND ".join(f"({_phrase(a)})" for a in anchors)
        rows = conn.exec_driver_sql(
            f"SELECT t.title_text, t.body_text, t.by_text FROM {ix.FTS} f JOIN {ix.TEXT} t ON t.doc_id = f.rowid"
            f" WHERE {ix.FTS} MATCH ? LIMIT ?", (match, CANDIDATE_DOCS))
        for row in rows:
            found = {m.group(0) for text in row for m in pattern.finditer(search_text.fold(text))}
            seen.update(f for f in found if f != piece)
    return seen.most_common(1)[0][0] if seen else None
