"""Words of a record's text: jieba segmentation with the contract's domain vocabulary, minus function words."""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterable

import jieba

from specialist_app.store import search_text
from sync import codes
from sync.demo.vocab_domains import DOMAINS

_LOCK = threading.Lock()
_HAN = re.compile(r"[\u3400-\u9fff]")
_INDUSTRY_CODE = re.compile(r"^[A-Z]\d*")
# Words of research and demand prose that say nothing about the subject (measured on the CSL dev abstracts:
# each is in more than 3 % of them and names no technology).
STOPWORDS = frozenset([
    "研究", "方法", "结果", "表明", "采用", "提高", "基于", "分析", "进行", "通过", "技术", "系统",
    "问题", "应用", "本文", "提出", "具有", "利用", "可以", "实现", "以及", "同时", "其中", "一种",
    "我们", "需要", "解决", "目前", "存在", "主要", "影响", "作用", "条件", "过程", "不同", "相关",
    "发展", "情况", "方面", "工作", "处理", "因素", "得到", "较好", "能够", "之间", "对于", "由于",
    "此外", "不足", "提升", "开展", "建立", "设计", "作为", "为了", "这些", "一个", "没有", "企业",
    "要求", "希望", "寻求", "合作", "需求", "目的", "结论", "显著", "明显", "有效", "重要", "良好",
    "提供", "所示", "研制", "开发", "实验", "试验", "效果", "特点", "效率", "水平", "能力", "数据",
    "模型", "性能", "质量", "成本",
])
MIN_WORD = 2


def _domain_words() -> set[str]:
    """The contract's vocabularies: code labels and the demo domains' fields, objects, methods and keywords."""
    words: set[str] = set()
    for table in codes.ALL_TABLES.values():
        words.update(c.zh for c in table)
    for d in DOMAINS:
        words.update([d.name, d.field, *d.disciplines, *d.objects, *d.methods, *d.products, *d.keywords, *d.strategic])
        words.update(_INDUSTRY_CODE.sub("", i) for i in d.industries)
    return {w for w in words if 2 <= len(w) <= 12 and "（" not in w and "/" not in w}


_TOKENIZER: list[jieba.Tokenizer] = []  # the one tokenizer of this process, once made


def _tokenizer() -> jieba.Tokenizer:
    """jieba's tokenizer with the domain words added: ~1-2 s the first time in a process (its dictionary)."""
    if not _TOKENIZER:
        with _LOCK:  # a warm-up thread and a match may ask at once: one builds, the other waits
            if not _TOKENIZER:
                # Loading allocates ~350,000 entries: no collection meanwhile (faster, and none runs on this
                # thread, where collecting a dead Qt widget's cycle would delete it off the GUI thread).
                collecting = gc.isenabled()
                gc.disable()
                try:
                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    for word in sorted(_domain_words()):
                        tokenizer.add_word(word, freq=2000)
                    _TOKENIZER.append(tokenizer)
                finally:
                    if collecting:
                        gc.enable()
    return _TOKENIZER[0]


def prepare() -> None:
    """Load the dictionary now (benches; the GUI uses prepare_in_background)."""
    _tokenizer()


def prepare_in_background() -> None:
    """Start loading the dictionary on a thread of its own, so that the first match does not wait for it."""
    if not _TOKENIZER:
        threading.Thread(target=_tokenizer, name="jieba-dictionary", daemon=True).start()


def _keep(word: str) -> bool:
    if len(word) < MIN_WORD or word in STOPWORDS or word.isdigit():
        return False
    return bool(_HAN.search(word)) or (word.isascii() and word.isalnum() and not word.isdigit())


def words(text: str) -> list[str]:
    """Content words of `text` in order (folded: simplified, lower case), repeats kept."""
    folded = search_text.fold(text)
    return [w for w in _tokenizer().lcut(folded, HMM=True) if _keep(w)]


def weighted_terms(groups: Iterable[tuple[Iterable[str], float]], keywords: Iterable[str] = ()) -> dict[str, float]:
    """Term -> weight: each word counts its group's weight once per group; keywords count whole (3.0) and by
    their words (1.5)."""
    weights: dict[str, float] = {}
    for texts, weight in groups:
        seen = {w for t in texts if t for w in words(t)}
        for w in seen:
            weights[w] = weights.get(w, 0.0) + weight
    for keyword in keywords:
        folded = search_text.fold(keyword.strip())
        if len(folded) >= MIN_WORD and folded not in STOPWORDS:
            weights[folded] = weights.get(folded, 0.0) + 3.0
        for w in set(words(keyword)) - {folded}:
            weights[w] = weights.get(w, 0.0) + 1.5
    return weights
