"""An in-memory index of names, titles and identifiers that finds a probe's likely duplicates without scoring all.

Candidates come from exact keys (credit code, registration or patent number, phone, e-mail; the normalised name)
and from bigram blocking: the bigrams of the name's sound key (homophones alike, so a pinyin slip keeps its
bigrams) are looked up rarest first, and a record sharing none of the rarest `_RAREST` is no near-duplicate
(技术, 大学 and 有限 are held by thousands and say little), only among records whose key is of a length that can
still score the threshold. Records are replaced by id: the index is kept in step by putting rows again.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel

from sync.duplicates.normalise import code_key, company_key, name_key, patent_key, sorted_key
from sync.duplicates.score import THRESHOLD, similarity, sound_key
from sync.entities import ENTITIES

# Identifier kinds compared exactly, and how each is keyed.
CODE_KINDS = {"credit_code": code_key, "reg_no": code_key, "patent": patent_key, "phone": code_key, "email": code_key}
_RAREST = 12  # bigrams of a probe counted, rarest first
_LOST_PER_CHAR = 3  # bigrams a near-duplicate loses per unit of edit cost, at most (a swap)
_MARGIN = 0.1  # below the threshold, of the C pass's plain ratio on sound keys
_BUDGET = 60_000  # postings counted at most per probe (the rarest list is always counted)


@dataclass(frozen=True)
class Probe:
    """What is being typed: the entity, its name or title, its institution, identifiers as (kind, value)."""

    entity: str
    name: str = ""
    institution_id: str | None = None
    codes: tuple[tuple[str, str], ...] = ()
    unit: str = ""  # an expert's unit: one name in two units is two people
    exclude_id: str | None = None  # the record itself, when it is already saved


@dataclass(frozen=True)
class Hit:
    """A likely duplicate: which record, why (`name` or an identifier kind), how alike, whether in the same
    institution as the probe."""

    entity: str
    id: str
    name: str
    reason: str
    score: float
    same_institution: bool


@dataclass(slots=True)
class _Doc:
    id: str
    name: str
    key: str
    sound: str
    sorted: str
    sorted_sound: str
    institution_id: str | None
    unit: str
    codes: tuple[tuple[str, str], ...]
    alive: bool = True


@dataclass
class _Table:
    docs: list[_Doc] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    by_code: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    added: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # add_code's, kept when put again
    by_key: dict[str, list[int]] = field(default_factory=dict)
    grams: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # (bigram, key length) -> records


def key_of(entity: str, name: str | None) -> str:
    return company_key(name) if ENTITIES[entity].is_scope_root else name_key(name)


def _sorted(entity: str, name: str | None) -> str:
    # A work's title (not a name) may give its words in another order.
    return sorted_key(name) if ENTITIES[entity].title_field == "title" else ""


def _grams(key: str) -> set[str]:
    if len(key) < 2:
        return {key} if key else set()
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _codes(codes: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    keyed = ((kind, CODE_KINDS[kind](value)) for kind, value in codes if value and kind in CODE_KINDS)
    return tuple(sorted({(kind, key) for kind, key in keyed if key}))


class DuplicateIndex:
    """Records of several entities, each by id; `find` answers a `Probe` with its likely duplicates, best first."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._tables: dict[str, _Table] = {}

    def __len__(self) -> int:
        return sum(len(t.by_id) for t in self._tables.values())

    def put(
        self, entity: str, id: str, name: str | None, *, institution_id: str | None = None,
        codes: Iterable[tuple[str, str | None]] = (), unit: str | None = None,
    ) -> None:
        """Add a record or replace the one with this id."""
        table = self._tables.setdefault(entity, _Table())
        self.remove(entity, id)
        key = key_of(entity, name)
        keyed = tuple(sorted({*_codes(codes), *table.added.get(id, ())}))
        ordered = _sorted(entity, name)
        ordered = "" if ordered == key else ordered  # most titles: nothing to reorder, nothing kept twice
        doc = _Doc(
            id, name or "", key, sound_key(key), ordered, sound_key(ordered), institution_id, name_key(unit), keyed
        )
        number = len(table.docs)
        table.docs.append(doc)
        table.by_id[id] = number
        for code in doc.codes:
            table.by_code.setdefault(code, set()).add(number)
        table.by_key.setdefault(key, []).append(number)
        for gram in _grams(doc.sound):
            table.grams.setdefault((gram, len(key)), []).append(number)

    def add_code(self, entity: str, id: str, kind: str, value: str | None) -> None:
        """Another identifier of a record already put (an achievement's patent numbers come from its IP items)."""
        table = self._tables.setdefault(entity, _Table())
        extra = _codes([(kind, value)])
        if not extra:
            return
        table.added.setdefault(id, set()).add(extra[0])
        number = table.by_id.get(id)
        if number is not None:  # else it comes with the record's put
            table.docs[number].codes += extra
            table.by_code.setdefault(extra[0], set()).add(number)

    def remove(self, entity: str, id: str) -> None:
        table = self._tables.get(entity)
        number = table.by_id.pop(id, None) if table else None
        if table is None or number is None:
            return
        doc = table.docs[number]
        doc.alive = False  # its bigram postings are skipped from now on; codes are dropped at once
        for code in doc.codes:
            table.by_code.get(code, set()).discard(number)

    def find(self, probe: Probe, limit: int = 5) -> list[Hit]:
        table = self._tables.get(probe.entity)
        if table is None:
            return []
        hits: dict[str, Hit] = {}
        for code in _codes(probe.codes):
            for number in table.by_code.get(code, ()):
                doc = table.docs[number]
                if doc.alive and doc.id != probe.exclude_id:
                    hits.setdefault(doc.id, self._hit(probe, doc, code[0], 1.0))
        key = key_of(probe.entity, probe.name)
        if key:
            for doc, score in self._similar(table, probe, key):
                if doc.id not in hits:
                    hits[doc.id] = self._hit(probe, doc, "name", score)
        return sorted(hits.values(), key=lambda h: (h.reason == "name", -h.score, not h.same_institution))[:limit]

    def _similar(self, table: _Table, probe: Probe, key: str) -> list[tuple[_Doc, float]]:
        # A key this much shorter or longer cannot score THRESHOLD (the length difference alone costs that much).
        lengths = range(math.ceil(len(key) * self.threshold), int(len(key) / self.threshold) + 1)
        lists = []
        sound = sound_key(key)
        for gram in _grams(sound):
            merged = [n for length in lengths for n in table.grams.get((gram, length), ())]
            lists.append(merged)
        lists.sort(key=len)
        # A near-duplicate keeps most of the probe's bigrams (homophones keep them all; a lost, swapped or replaced
        # character loses at most three): it shares at least `need` of the rarest `looked`, so only records
        # counted that often are scored.
        looked = lists[:_RAREST]
        need = max(1, len(looked) - math.floor(_LOST_PER_CHAR * (1 - self.threshold) * len(key)) - 1)
        counts = Counter[int]()
        budget = _BUDGET
        for posting in looked:
            if budget <= 0:
                need = 1
                break
            counts.update(posting)
            budget -= len(posting)
        numbers = [n for n, c in counts.items() if c >= need]
        docs = table.docs
        ordered = _sorted(probe.entity, probe.name)  # kept even when equal to the key: the record's may differ
        # One pass in C over the candidates' keys (and their words sorted, for titles typed in another order)
        # leaves the few worth the full score in Python.
        near = set(table.by_key.get(key, ()))
        # On sound keys the plain ratio nearly bounds the score from above (a unit of cost is at least half an
        # edit there; not so for a homophone by a second reading, 路/络, hence the margin).
        cutoff = self.threshold - _MARGIN
        near.update(numbers[i] for _, _, i in process.extract(
            sound, [docs[n].sound for n in numbers], scorer=Indel.normalized_similarity, score_cutoff=cutoff,
            limit=None))
        if ordered:
            near.update(numbers[i] for _, _, i in process.extract(
                sound_key(ordered), [docs[n].sorted_sound or docs[n].sound for n in numbers],
                scorer=Indel.normalized_similarity, score_cutoff=cutoff, limit=None))
        found = []
        for number in near:
            doc = docs[number]
            if not doc.alive or doc.id == probe.exclude_id or not self._may_be_same(probe, doc):
                continue
            score = similarity(key, doc.key, ordered, doc.sorted or doc.key)
            if score >= self.threshold:
                found.append((doc, round(score, 3)))
        return found

    def _may_be_same(self, probe: Probe, doc: _Doc) -> bool:
        if ENTITIES[probe.entity].institution_path is not None:  # not a person (an expert)
            return True
        # A person's name is short and common: the same name (not a near one) in the same or an unknown unit.
        unit = name_key(probe.unit)
        same_unit = not unit or not doc.unit or similarity(unit, doc.unit) >= 0.8
        return key_of("expert", probe.name) == doc.key and same_unit

    def _hit(self, probe: Probe, doc: _Doc, reason: str, score: float) -> Hit:
        same = probe.institution_id is not None and probe.institution_id == doc.institution_id
        return Hit(probe.entity, doc.id, doc.name, reason, score, same)
