"""Text side of the catalog search index: Chinese unigrams/bigrams and ASCII words, and query translation.

SQLite 3.40's FTS5 has no tokenizer that serves 1- and 2-character Chinese queries, so text is tokenized here
and handed to FTS5's `unicode61` tokenizer already split by spaces. Each indexed group (title, body) becomes
two FTS columns: `uni` holds every CJK character and every lower-cased ASCII/Latin word (with the word's
suffixes, so RNA is found in mRNA); `bi` holds the CJK bigrams of each run of CJK characters in text order,
with a separator token between runs, so a phrase of consecutive bigrams matches exactly the substrings of one
run. Text and queries fold traditional characters to simplified ones, one character for one (`fold`).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Token placed between CJK runs in a bigram column; never produced by a query (queries only hold bigrams).
RUN_BREAK = "x"

# Han (basic, extension A, compatibility, extensions B-F), kana and Hangul syllables.
_CJK_RANGES = (
    (0x3041, 0x3096),
    (0x30A1, 0x30FA),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)
_CJK_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
# A run of CJK characters, or a word of other letters/digits (underscore is a separator, as in unicode61).
_PIECE = re.compile(rf"(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>[^\W_{_CJK_CLASS}]+)")
# The same 2-group pattern for findall, which returns (cjk, word) pairs without building Match objects.
_PIECE_PAIRS = re.compile(rf"([{_CJK_CLASS}]+)|([^\W_{_CJK_CLASS}]+)")


# Full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space: NFKC maps each to one ASCII character.
_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULL_WIDTH_CHAR = re.compile("[\uff01-\uff5e\u3000]")


def _ascii_form(match: re.Match[str]) -> str:
    return _FULL_WIDTH[match.group()]


def t2s_from_opencc() -> tuple[str, str]:
    """OpenCC's traditional-to-simplified map of single CJK characters (U+3400-U+9FFF) that map to one other
    character: (traditional, simplified), in code point order. `search_t2s.py` keeps what this gave."""
    import opencc  # only to make or check the kept table: building it took ~20 ms in every process

    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    pairs = sorted((a, b) for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1)
    return "".join(a for a, _ in pairs), "".join(b for _, b in pairs)


@functools.cache
def _t2s() -> tuple[dict[int, int], re.Pattern[str]]:
    """The traditional-to-simplified map of single characters (3,761 pairs, `search_t2s.py`), and a pattern
    finding them.

    Character for character, never by phrase: the same map on text and query keeps every substring a
    substring (a phrase table would convert 乾隆 in a text but 乾 alone in a query differently). Made once
    per process from the kept table: ~3 ms (from OpenCC's dictionary it took ~20 ms more).
    """
    from specialist_app.store.search_t2s import SIMPLIFIED, TRADITIONAL

    return str.maketrans(TRADITIONAL, SIMPLIFIED), re.compile(f"[{TRADITIONAL}]")


def simplified(text: str) -> str:
    """`text` with traditional characters replaced by simplified ones (same length)."""
    table, found = _t2s()
    return text.translate(table) if found.search(text) else text


def fold(text: str) -> str:
    """The form text is indexed and matched in: NFKC (full-width letters and digits to ASCII), lower case,
    simplified characters (機器學習 -> 机器学习)."""
    if text.isascii():
        return text.lower()
    # Chinese text is rarely NFKC-normal only because of its full-width punctuation; mapping that first lets
    # the cheap normal-form check skip the full normalization (same result: these forms are NFKC's own map).
    # A few marks per text: replacing each match is cheaper than str.translate's per-character lookups.
    text = _FULL_WIDTH_CHAR.sub(_ascii_form, text)
    if unicodedata.is_normalized("NFKC", text):
        return simplified(text.lower())
    return simplified(unicodedata.normalize("NFKC", text).lower())


# Words shorter than this are indexed alone; longer ones also by each suffix of at least 2 characters (up to
# the first `_SUFFIX_SPAN` characters), so a query word finds a word it ends or sits inside: RNA in mrna, Fe in
# bifeo3. Digit-only words are not split (20 must not find 2020).
_SUFFIX_MIN = 3
_SUFFIX_SPAN = 24


def word_tokens(word: str) -> tuple[str, ...]:
    """The uni tokens of one folded non-CJK word: itself and its suffixes."""
    if len(word) < _SUFFIX_MIN or word.isdigit():
        return (word,)
    end = min(len(word), _SUFFIX_SPAN) - 1
    return (word, *(word[i:] for i in range(1, end)))


def pieces(text: str) -> Iterator[tuple[bool, str]]:
    """(is_cjk, piece) for each CJK run and each word of already folded text, in order."""
    for m in _PIECE.finditer(text):
        cjk = m.group("cjk")
        yield (True, cjk) if cjk is not None else (False, m.group("word"))


@dataclass(frozen=True, slots=True)
class Columns:
    """The space-separated token strings of one text group, ready for FTS5's unicode61 tokenizer."""

    uni: str
    bi: str


def tokenize(texts: Iterable[str]) -> Columns:
    """Tokens of several field texts of one group (field boundaries break CJK runs).

    Unigrams are listed once each in order of first appearance: single characters are only ever searched
    alone, so positions and repeats would only make the index bigger.
    """
    # One fold and one regex pass over the fields joined by a newline (a separator, so runs stay apart).
    pairs = _PIECE_PAIRS.findall(fold("\n".join(texts)))
    # A word is one unigram; a CJK run gives each of its characters (chain flattens strings to characters).
    uni = " ".join(dict.fromkeys(itertools.chain.from_iterable([word_tokens(word) if word else cjk
                                                               for cjk, word in pairs])))
    return Columns(uni, bigram_text([cjk for cjk, _ in pairs if len(cjk) > 1]))


# Where two runs joined by NUL meet in the bigram list ("c\0 \0d"): becomes one RUN_BREAK token (short texts).
_JOINED_RUNS = re.compile(r"\S\x00 \x00\S")
_LANES_FROM = 40  # CJK characters from which `bigram_text` builds bytes lanes (measured crossover ~35)
_BREAK_LANE = "\x00"  # never in a CJK run: the second character of the break token, removed at the end


def bigram_text(runs: list[str]) -> str:
    """The bigrams of each run (2 characters or more) in text order, a RUN_BREAK token between runs.

    Built as bytes, not one string object per bigram: each token is three UTF-32 code units, its first
    character, its second and a space, so the first characters of all tokens, the second ones and the spaces
    are three strided lanes written by slice assignment. A break token's first character is RUN_BREAK and its
    second a NUL, dropped afterwards. ~6 times faster than joining `map(operator.add, ...)` for a summary.
    """
    if not runs:
        return ""
    if sum(map(len, runs)) < _LANES_FROM:
        # Short texts (titles, names): one string per bigram costs less than the lanes' fixed ~3 µs.
        joined = "\x00".join(runs)
        bigrams = " ".join(map(operator.add, joined[:-1], joined[1:]))
        return _JOINED_RUNS.sub(RUN_BREAK, bigrams) if len(runs) > 1 else bigrams
    if len(runs) == 1:
        first, second = runs[0][:-1], runs[0][1:]
    else:
        first = RUN_BREAK.join([r[:-1] for r in runs])
        second = _BREAK_LANE.join([r[1:] for r in runs])
    n = len(first)
    out = bytearray(12 * n)
    first_units, second_units = first.encode("utf-32-le"), second.encode("utf-32-le")
    for k in range(4):
        out[k::12] = first_units[k::4]
        out[4 + k::12] = second_units[k::4]
    out[8::12] = b" " * n
    text = out.decode("utf-32-le")[:-1]
    return text.replace(_BREAK_LANE, "") if len(runs) > 1 else text


def tokenize_groups(groups: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """For each group of texts, (unigrams, bigrams) of each text alone, flattened: what the sync's second
    process runs (this module imports little, so that process stays small)."""
    out: list[tuple[str, ...]] = []
    for texts in groups:
        columns = [tokenize([t]) for t in texts]
        out.append(tuple(part for c in columns for part in (c.uni, c.bi)))
    return out


def concat(first: Columns, second: Columns) -> Columns:
    """The columns of two field groups tokenized apart: equal to tokenizing all their fields at once."""
    uni = " ".join(dict.fromkeys([*first.uni.split(), *second.uni.split()])) if first.uni and second.uni else (
        first.uni or second.uni)
    bi = f"{first.bi} {RUN_BREAK} {second.bi}" if first.bi and second.bi else first.bi or second.bi
    return Columns(uni, bi)


@dataclass(frozen=True, slots=True)
class Query:
    """A user query translated for FTS5: `match` is None when the query holds nothing searchable."""

    match: str | None
    terms: tuple[str, ...]  # folded pieces (CJK runs and words), for highlighting snippets
    text: str  # the user's query as given


def translate(query: str, uni_columns: str, bi_columns: str, pinyin_columns: str | None = None) -> Query:
    """Turn free user input into a safe FTS5 MATCH expression; all pieces must match (AND).

    1 CJK character -> unigram; 2 -> bigram; more -> phrase of consecutive bigrams (exact substring);
    words -> prefix (in `pinyin_columns` too when given: names' pinyin). Only tokens produced here reach FTS5,
    each quoted, so no user text can form an operator or a syntax error. Column filters look like "{a b}".
    """
    clauses: list[str] = []
    terms: list[str] = []
    for is_cjk, piece in pieces(fold(query)):
        if piece in terms:
            continue
        terms.append(piece)
        if not is_cjk and pinyin_columns:
            clauses.append(f'({uni_columns} : "{piece}" * OR {pinyin_columns} : "{piece}" *)')
        elif not is_cjk:
            clauses.append(f'{uni_columns} : "{piece}" *')
        elif len(piece) == 1:
            clauses.append(f'{uni_columns} : "{piece}"')
        else:
            bigrams = " ".join(piece[i : i + 2] for i in range(len(piece) - 1))
            clauses.append(f'{bi_columns} : "{bigrams}"')
    if not clauses:
        return Query(None, (), query)
    return Query(" AND ".join(clauses), tuple(terms), query)


# Facet tokens start with a private-use character per kind: user queries keep only letters and digits, so no
# query can produce or collide with one.
_FACET_MARKS = {"entity": "\ue001", "org_type": "\ue002", "region": "\ue003", "trl": "\ue004", "mode": "\ue005"}
_NOT_FACET_CHAR = re.compile(r"[^0-9a-z]")


@functools.lru_cache(maxsize=4096)
def facet(kind: str, value: str) -> str:
    """The token saying a document has `value` for a filter `kind` (letters and digits of the value only)."""
    return _FACET_MARKS[kind] + _NOT_FACET_CHAR.sub("", value.lower())


def facet_any(kind: str, values: Iterable[str]) -> str:
    """FTS5 expression: the document has any of these values."""
    return "{facets} : (" + " OR ".join(f'"{facet(kind, v)}"' for v in values) + ")"


def facet_prefix(kind: str, prefix: str) -> str:
    """FTS5 expression: the document's value starts with `prefix` (region codes)."""
    return '{facets} : "' + facet(kind, prefix) + '" *'


def snippet(text: str, terms: Iterable[str], width: int = 60) -> str:
    """About `width` characters of `text` around the first occurrence of any term (or its start)."""
    flat = " ".join(text.split())
    folded = fold(flat)
    # NFKC can change lengths (rare ligatures); fall back to the start when positions would not line up.
    aligned = len(folded) == len(flat)
    first = min((p for t in terms if (p := folded.find(t)) >= 0), default=-1) if aligned else -1
    if first < 0 or len(flat) <= width:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = max(0, first - width // 4)
    end = start + width
    return ("…" if start > 0 else "") + flat[start:end] + ("…" if end < len(flat) else "")
