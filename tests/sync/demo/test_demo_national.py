"""The national scale (issue #17): the part of the stream before the achievements, generated once, is exact and
unique where the duplicate check compares identifiers; the uniqueness draws are checked where they must act."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import replace
from itertools import islice
from typing import Any

import pytest

from sync.demo import counts, generate, layout
from sync.demo.achievements import AchievementMaker
from sync.demo.catalog import ExpertMaker
from sync.demo.layout import Layout
from sync.demo.orgs import credit_code, plan_institutions
from sync.demo.rand import rng_for
from sync.regions import region_name
from sync.validation import is_valid_credit_code

Records = list[tuple[str, dict[str, Any]]]
BEFORE_ACHIEVEMENTS = ("institution", "contact", "expert", "visit", "follow_up")


def _head(seed: int) -> Records:
    out = []
    for name, record in generate("national", seed=seed):
        if name == "achievement":
            return out
        out.append((name, record))
    raise AssertionError("no achievements")


@pytest.fixture(scope="module")
def head() -> Records:
    return _head(2026)


def test_counts_before_the_achievements_are_exact(head: Records) -> None:
    expected = counts("national")
    assert dict(Counter(e for e, _ in head)) == {name: expected[name] for name in BEFORE_ACHIEVEMENTS}
    assert expected["institution"] == 20_000 and expected["expert"] == 50_000


def test_same_seed_same_output_other_seed_other_names(head: Records) -> None:
    digest = hashlib.sha256(json.dumps(head[:30_000], ensure_ascii=False).encode()).hexdigest()
    again = list(islice(generate("national", seed=2026), 30_000))
    assert hashlib.sha256(json.dumps(again, ensure_ascii=False).encode()).hexdigest() == digest
    other = [r["name"] for e, r in islice(generate("national", seed=7), 20_000) if e == "institution"]
    names = [r["name"] for e, r in head if e == "institution"]
    assert names[:37] == other[:37]  # the real universities and institutes come first at every seed
    assert len(set(names) & set(other)) < 0.5 * len(names)


def test_institutions_are_unique_valid_and_spread_over_the_country(head: Records) -> None:
    institutions = [r for e, r in head if e == "institution"]
    assert len({r["name"] for r in institutions}) == len(institutions)
    assert len({r["credit_code"] for r in institutions}) == len(institutions)
    kinds = Counter(r["org_type"] for r in institutions)
    assert kinds["enterprise"] == 17_200 and kinds["university"] > 300 and kinds["institute"] > 1_500
    provinces = Counter(r["region_code"][:2] for r in institutions)
    assert len(provinces) >= 30 and provinces["22"] < 0.25 * len(institutions)
    for r in institutions:
        assert is_valid_credit_code(r["credit_code"])
        place = region_name(r["region_code"], "zh_CN")
        assert place is not None and len(place) > 4, r["region_code"]  # province, city and district known
        if r["org_type"] == "enterprise":
            assert r["name"].endswith("公司") and r["credit_code"].startswith("91")
        if not r["region_code"].startswith(("21", "22", "23")):
            assert "人参" not in r["name"] and "黑土地" not in r["name"], r["name"]


def test_experts_phones_and_emails_are_unique(head: Records) -> None:
    experts = [r for e, r in head if e == "expert"]
    assert len({r["phone"] for r in experts}) == len({r["email"] for r in experts}) == len(experts) == 50_000


def test_a_credit_code_drawn_again_is_replaced() -> None:
    info = plan_institutions(Layout("small"), 1, ["demo"] * 3)[10]
    rng = rng_for(1, "test")
    state = rng.getstate()
    taken: set[str] = set()
    first = credit_code(rng, info, taken)
    rng.setstate(state)  # the same draws again
    second = credit_code(rng, info, taken)
    assert first != second and is_valid_credit_code(second) and taken == {first, second}


def test_a_patent_number_drawn_again_is_replaced() -> None:
    maker = AchievementMaker(1, [], ["demo"])
    state = maker.rng.getstate()
    first = maker._ip_number("invention", 2020)
    maker.rng.setstate(state)
    assert maker._ip_number("invention", 2020) != first
    plants = [maker._ip_number("plant", 2020) for _ in range(20_000)]  # 100,000 possible numbers: clashes drawn
    assert len(set(plants)) == len(plants)


def test_expert_phones_always_and_emails_nationally_are_drawn_again_on_a_clash() -> None:
    institutions = plan_institutions(Layout("small"), 1, ["demo"] * 3)
    for unique_emails in (False, True):
        maker = ExpertMaker(1, institutions, unique_emails=unique_emails)
        state = maker.rng.getstate()
        first = maker._phone(institutions[0])
        maker.rng.setstate(state)
        assert maker._phone(institutions[0]) != first
        emails = [maker.expert()["email"] for _ in range(5_000)]  # 20 institutions: common names clash
        assert (len(set(emails)) == len(emails)) is unique_emails


def test_national_titles_repeat_rarely() -> None:
    small = Layout("small")
    institutions = plan_institutions(small, 3, ["demo"] * 3)
    for distinct, most in ((False, 0.6), (True, 1.0)):
        maker = AchievementMaker(3, institutions, ["demo"], distinct_titles=distinct)
        titles = [maker.achievement(a, institutions[0], institutions[0].domains[0], "applied", 0)["title"]
                  for a in range(30_000)]
        share = len(set(titles)) / len(titles)
        assert (share > 0.99) if distinct else (share < most), share
    assert not [t for t in titles if t.count("面向") > 1 or t.count("及") > 1]  # no 面向…的…面向…的, 及…及其在
    assert any(t.startswith(("一种面向", "面向", "适用于")) or "及其在" in t for t in titles)


def test_more_achievements_than_registration_numbers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    too_many = replace(layout.SIZES["national"], achievements=layout.MAX_ACHIEVEMENTS + 1)
    monkeypatch.setitem(layout.SIZES, "national", too_many)
    with pytest.raises(ValueError, match="at most 1,000,000 achievements"):
        Layout("national")
