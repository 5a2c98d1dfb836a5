"""The province scale, generated once: counts, references, and a validated sample."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest

from sync.demo import counts, demo_users, generate
from sync.entities import entity
from sync.fields import Kind
from sync.validation import validate

SAMPLE_EVERY = 40


@dataclass
class ProvinceRun:
    counts: Counter[str] = field(default_factory=Counter)
    dangling: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, object]] = field(default_factory=list)
    sampled: int = 0
    institution_ids: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    regions: Counter[str] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def province() -> ProvinceRun:
    run = ProvinceRun()
    seen: dict[str, set[str]] = defaultdict(set)
    refs = {name: [f for f in entity(name).fields if f.kind in (Kind.REF, Kind.REFS)] for name in counts("small")}
    for position, (name, record) in enumerate(generate("province")):
        run.counts[name] += 1
        for f in refs[name]:
            value = record[f.name]
            if value is not None and f.ref is not None:
                run.dangling += [(name, f.name) for v in (value if f.kind is Kind.REFS else [value])
                                 if v not in seen[f.ref]]
        seen[name].add(record["id"])
        if name == "achievement":
            run.titles.add(record["title"])
        if name == "institution":
            run.regions[record["region_code"][:4]] += 1
        if position % SAMPLE_EVERY == 0:
            run.sampled += 1
            _, problems = validate(entity(name), {k: v for k, v in record.items() if k != "id"})
            run.problems += [(name, p) for p in problems]
    run.institution_ids = seen["institution"]
    return run


def test_province_counts_match_and_have_the_expected_size(province: ProvinceRun) -> None:
    assert dict(province.counts) == counts("province")
    n = province.counts
    assert n["achievement"] == 23_300 and n["expert"] == 4_900 and n["institution"] == 430 and n["demand"] >= 200
    assert n["ip_item"] > 0.5 * n["achievement"] and n["visit"] > 1_000 and n["follow_up"] > 1_000


def test_province_references_point_to_earlier_records(province: ProvinceRun) -> None:
    assert province.dangling == []


def test_province_sample_validates(province: ProvinceRun) -> None:
    assert province.sampled > 1_000
    assert province.problems == []


def test_province_is_spread_over_jilin_and_titles_vary(province: ProvinceRun) -> None:
    assert set(province.regions) >= {"2201", "2202", "2205", "2224"}
    assert len(province.titles) > 0.7 * province.counts["achievement"]


def test_province_users_cover_every_institution(province: ProvinceRun) -> None:
    users = demo_users("province")
    assert {i for u in users for i in u.institution_ids} == province.institution_ids
