"""The demo-data generator at small scale: determinism, counts, canonical valid records, references, realism."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from typing import Any

import pytest

from sync.demo import SCALES, achievements_only, counts, demo_users, generate
from sync.demo.clock import REFERENCE_DATE
from sync.entities import ENTITIES, entity
from sync.fields import Kind
from sync.validation import is_valid_credit_code, validate

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
Records = list[tuple[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def small() -> Records:
    return list(generate("small"))


def _dump(records: Records) -> str:
    return json.dumps(records, ensure_ascii=False, sort_keys=False)


def test_same_scale_and_seed_give_byte_identical_output(small: Records) -> None:
    assert _dump(list(generate("small", seed=2026))) == _dump(small)


def test_another_seed_gives_other_content_and_ids(small: Records) -> None:
    other = list(generate("small", seed=7))
    assert [e for e, _ in other] == [e for e, _ in small]  # the shape depends on the scale only
    assert {r["id"] for _, r in other}.isdisjoint(r["id"] for _, r in small)
    assert [r.get("title") for e, r in other if e == "achievement"] != [
        r.get("title") for e, r in small if e == "achievement"
    ]


def test_counts_match_what_generate_yields(small: Records) -> None:
    assert counts("small") == dict(Counter(e for e, _ in small))


def test_sizes_of_the_small_scale(small: Records) -> None:
    n = counts("small")
    assert n["institution"] == 20 and n["achievement"] == 200 and n["expert"] == 50 and n["demand"] == 30
    assert n["visit"] > 20 and n["follow_up"] > 10 and n["ip_item"] > 50 and n["contact"] >= 20


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        counts("galactic")
    with pytest.raises(ValueError, match="unknown scale"):
        next(generate("galactic"))


def test_national_has_the_sizes_of_issue_17() -> None:
    province, national = counts("province"), counts("national")
    assert SCALES == ("small", "province", "national")
    assert (national["achievement"], national["expert"], national["institution"]) == (1_000_000, 50_000, 20_000)
    assert national["demand"] == 9_800  # per enterprise as in the province: 210 / 370 ≈ 9,800 / 17,200
    ratio = national["achievement"] / province["achievement"]
    assert 0.8 * ratio < national["ip_item"] / province["ip_item"] < 1.2 * ratio


def test_every_record_validates_and_is_already_canonical(small: Records) -> None:
    for name, record in small:
        fields = {k: v for k, v in record.items() if k != "id"}
        values, problems = validate(entity(name), fields)
        assert problems == [], (name, record, problems)
        assert values == fields, (name, record)


def test_records_carry_every_field_and_each_field_is_filled_somewhere(small: Records) -> None:
    filled: dict[str, set[str]] = defaultdict(set)
    for name, record in small:
        assert set(record) == {"id", *entity(name).field_names()}, name
        filled[name].update(k for k, v in record.items() if v is not None)
    yielded = set(filled)
    assert yielded == {n for n, e in ENTITIES.items() if e.importable}  # no files, no notes to the market
    for name in yielded:
        missing = set(entity(name).field_names()) - filled[name]
        assert missing == set(), name


def test_ids_are_unique_uuid7_and_references_point_to_earlier_records(small: Records) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for name, record in small:
        assert UUID7.match(record["id"]), record["id"]
        for f in entity(name).fields:
            value = record[f.name]
            if value is None or f.kind not in (Kind.REF, Kind.REFS):
                continue
            assert f.ref is not None
            for target in value if f.kind is Kind.REFS else [value]:
                assert target in seen[f.ref], (name, f.name)
        assert all(record["id"] not in ids for ids in seen.values())
        seen[name].add(record["id"])


def test_children_belong_to_the_same_institution_as_their_links(small: Records) -> None:
    by_id = {r["id"]: (e, r) for e, r in small}
    institutions = {r["id"]: r for e, r in small if e == "institution"}
    for name, record in small:
        if name == "visit" and record["contacts_met"]:
            assert {by_id[c][1]["institution_id"] for c in record["contacts_met"]} == {record["institution_id"]}
        if name in ("achievement", "demand") and record["source_visit_id"]:
            assert by_id[record["source_visit_id"]][1]["institution_id"] == record["institution_id"]
        if name == "demand":
            assert institutions[record["institution_id"]]["org_type"] == "enterprise"


def test_institutions_look_real(small: Records) -> None:
    institutions = [r for e, r in small if e == "institution"]
    assert len({r["name"] for r in institutions}) == len(institutions)
    assert {"吉林大学", "中国科学院长春光学精密机械与物理研究所"} <= {r["name"] for r in institutions}
    assert Counter(r["org_type"] for r in institutions)["enterprise"] == 14
    for r in institutions:
        assert is_valid_credit_code(r["credit_code"]) and r["region_code"].startswith("22")
        if r["org_type"] == "enterprise":
            assert r["name"].endswith("公司") and r["credit_code"].startswith("91")


def test_achievement_fields_are_consistent(small: Records) -> None:
    trl_by_stage = {"lab": range(1, 5), "pilot": range(5, 7), "industrial": range(7, 10)}
    for name, r in small:
        if name != "achievement":
            continue
        assert 150 <= len(r["summary"]) <= 300
        assert 3 <= len(r["keywords"]) <= 6 and len(set(r["keywords"])) == len(r["keywords"])
        assert 2 <= len(r["inventors"]) <= 7
        if r["stage"] is not None:
            assert r["trl"] in trl_by_stage[r["stage"]]
        if r["price_mode"] == "fixed":
            assert r["price"] is not None and r["price"] > 0
        assert r["collected_by"] in {u.username for u in demo_users("small")}
    lengths = [len(r["summary"]) for e, r in small if e == "achievement"]
    assert max(lengths) - min(lengths) > 80  # varied lengths make search benchmarks meaningful


def test_dates_are_relative_to_the_reference_date(small: Records) -> None:
    today = REFERENCE_DATE.isoformat()
    visit_day = {}
    for name, r in small:
        if name == "visit":
            visit_day[r["id"]] = (r["visited_at"] or r["planned_at"])[:10]
            if r["status"] == "planned":
                assert r["planned_at"] > today and r["visited_at"] is None
            else:
                assert "2025-04-30" <= r["planned_at"] < today
        if name == "follow_up":
            assert r["due_date"] >= visit_day[r["visit_id"]]
        if name == "ip_item" and r["granted_on"]:
            assert r["filed_on"] <= r["granted_on"] < today
    statuses = Counter(r["status"] for e, r in small if e == "visit")
    assert statuses["done"] > statuses["planned"] > 0


def test_achievements_only_yields_standalone_valid_achievements() -> None:
    records = list(achievements_only(120, seed=5))
    assert len(records) == 120
    assert records == list(achievements_only(120, seed=5))
    for r in records:
        assert "institution_id" not in r and "source_visit_id" not in r
        _, problems = validate(entity("achievement"), {k: v for k, v in r.items() if k != "id"})
        assert problems == []


def test_output_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import hashlib, json\n"
        "from sync.demo import generate\n"
        "print(hashlib.sha256(json.dumps(list(generate('small')), ensure_ascii=False).encode()).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1
    assert digests == {hashlib.sha256(json.dumps(list(generate("small")), ensure_ascii=False).encode()).hexdigest()}
