"""Demo accounts: consistent with the generated institutions and the usernames records name."""

from __future__ import annotations

from collections import Counter

from sync.demo import demo_users, generate


def test_admin_first_then_specialists_with_demo_first() -> None:
    users = demo_users("small")
    assert (users[0].username, users[0].role) == ("admin", "admin")
    assert users[0].institution_ids == []
    specialists = users[1:]
    assert specialists[0].username == "demo"
    assert {u.role for u in specialists} == {"specialist"}
    assert len({u.username for u in users}) == len(users)
    assert all(u.password and u.display_name for u in users)


def test_each_specialist_has_5_to_15_existing_institutions_and_each_institution_one_specialist() -> None:
    for scale in ("small", "province"):
        specialists = demo_users(scale)[1:]
        assigned = Counter(i for u in specialists for i in u.institution_ids)
        assert all(5 <= len(u.institution_ids) <= 15 for u in specialists), scale
        assert set(assigned.values()) == {1}
    institutions = {r["id"] for e, r in generate("small") if e == "institution"}
    assert {i for u in demo_users("small")[1:] for i in u.institution_ids} == institutions


def test_records_name_the_specialist_assigned_to_their_institution() -> None:
    owner = {i: u.username for u in demo_users("small", seed=11)[1:] for i in u.institution_ids}
    visit_institution = {}
    for name, r in generate("small", seed=11):
        if name in ("achievement", "demand"):
            assert r["collected_by"] == owner[r["institution_id"]]
        if name == "visit":
            assert r["specialists"][0] == owner[r["institution_id"]]
            visit_institution[r["id"]] = r["institution_id"]
        if name == "institution" and r["proposed_by"]:
            assert r["proposed_by"] == owner[r["id"]]


def test_users_follow_the_seed_like_the_records() -> None:
    assert demo_users("small", seed=1) == demo_users("small", seed=1)
    assert demo_users("small", seed=1)[1].institution_ids != demo_users("small", seed=2)[1].institution_ids
