"""The fast tokenizer gives exactly the tokens of the plain reference one (stored indexes depend on it)."""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from specialist_app.store import search_t2s, search_text
from sync.demo import achievements_only


def _reference_fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(search_text.simplified(c) for c in unicodedata.normalize("NFKC", text).lower())


def _reference_tokenize(texts: Iterable[str]) -> search_text.Columns:
    """The tokenizer as first written: fold and split each field, then unigrams once and bigrams per run."""
    uni: list[str] = []
    runs: list[str] = []
    for text in texts:
        for cjk, word in search_text._PIECE_PAIRS.findall(_reference_fold(text)):
            if word:
                uni.append(word)
                if len(word) >= 3 and not word.isdigit():
                    uni.extend(word[i:] for i in range(1, min(len(word), 24) - 1))
            else:
                uni.extend(cjk)
                if len(cjk) > 1:
                    runs.append(cjk)
    joined = "\x00".join(runs)
    bigrams = " ".join(map(operator.add, joined[:-1], joined[1:]))
    if len(runs) > 1:
        bigrams = re.sub(r"\S\x00 \x00\S", search_text.RUN_BREAK, bigrams)
    return search_text.Columns(" ".join(dict.fromkeys(uni)), bigrams)


# Characters where folding and splitting can go wrong: CJK, full-width forms and punctuation, the
# ideographic space, compatibility ideographs, combining marks, circled digits, ligatures, Greek sigma.
_TRICKY = "人工智能激光器半导体機器學習乾著ＡＢｃ１２，。；（）％　\u3000豈更\u0301\u0308①㎞ﬁΣσςİ _-\n\t"
# Pieces of tricky characters and of any characters, glued (one alphabet strategy of both rarely draws the first).
_PIECE = st.one_of(
    st.text(st.sampled_from(_TRICKY), max_size=8), st.text(st.characters(max_codepoint=0x2FFFF), max_size=8)
)
_TEXT = st.lists(_PIECE, max_size=5).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TEXT, max_size=4))
def test_tokenize_equals_the_reference_on_any_text(texts: list[str]) -> None:
    assert search_text.tokenize(texts) == _reference_tokenize(texts)


# Long texts with many CJK runs (and characters beyond the BMP): the bytes-lanes path of `bigram_text`.
_LONG_TEXT = st.lists(st.one_of(_PIECE, st.text(st.sampled_from("中国科学院𠀀𠀁乾隆，a1"), min_size=2, max_size=30)),
                      min_size=3, max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LONG_TEXT, min_size=1, max_size=3))
def test_tokenize_equals_the_reference_on_long_texts(texts: list[str]) -> None:
    assert search_text.tokenize(texts) == _reference_tokenize(texts)


def test_bigram_text_on_both_sides_of_the_lanes_threshold() -> None:
    for n in (2, search_text._LANES_FROM - 1, search_text._LANES_FROM, 3 * search_text._LANES_FROM):
        run = "".join(chr(0x4E00 + i) for i in range(n))
        expected = " ".join(run[i : i + 2] for i in range(n - 1))
        assert search_text.bigram_text([run]) == expected
        assert search_text.bigram_text([run, "𠀀𠀁"]) == f"{expected} {search_text.RUN_BREAK} 𠀀𠀁"
        brk = search_text.RUN_BREAK
        assert search_text.bigram_text(["𠀀𠀁", run, "中文"]) == f"𠀀𠀁 {brk} {expected} {brk} 中文"


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_fold_equals_nfkc_lower(text: str) -> None:
    assert search_text.fold(text) == _reference_fold(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=3), st.lists(_TEXT, max_size=3))
def test_concat_of_two_groups_equals_tokenizing_them_together(first: list[str], second: list[str]) -> None:
    joined = search_text.concat(search_text.tokenize(first), search_text.tokenize(second))
    assert joined == search_text.tokenize([*first, *second])


def test_the_kept_traditional_to_simplified_table_is_what_opencc_gives() -> None:
    assert search_text.t2s_from_opencc() == (search_t2s.TRADITIONAL, search_t2s.SIMPLIFIED)
    assert len(search_t2s.TRADITIONAL) == len(search_t2s.SIMPLIFIED) == 3761
    assert search_text.fold("機器學習與乾隆") == "机器学习与干隆"


def test_tokenize_equals_the_reference_on_demo_achievements() -> None:
    for row in itertools.islice(achievements_only(300, seed=7), 300):
        fields = [str(row[name]) for name in ("title", "summary", "indicators", "advantages") if row.get(name)]
        assert search_text.tokenize(fields) == _reference_tokenize(fields)
        assert search_text.tokenize(fields[1:2]) == _reference_tokenize(fields[1:2])


def test_full_width_text_folds_to_ascii_and_lower_case() -> None:
    assert search_text.fold("ＡＢＣ１２３，激光　器") == "abc123,激光 器"
    assert search_text.tokenize(["５Ｇ基站，激光"]).uni == "5g 基 站 激 光"


def test_traditional_characters_fold_to_simplified_one_for_one() -> None:
    assert search_text.fold("機器學習與電池") == "机器学习与电池"
    assert search_text.tokenize(["機器學習"]) == search_text.tokenize(["机器学习"])
    assert search_text.fold("乾隆") == search_text.fold("干隆")  # by character: the same on text and query


def test_latin_words_are_indexed_with_their_suffixes() -> None:
    uni = search_text.tokenize(["mRNA与rDNA及BiFeO3，2020年"]).uni.split()
    assert {"mrna", "rna", "rdna", "dna", "bifeo3", "feo3", "2020"} <= set(uni)
    assert "020" not in uni and "a" not in uni  # digit-only words are not split; suffixes have 2+ characters
