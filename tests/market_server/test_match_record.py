"""对接记录 (issue #15.3) sync like every entity, governed by two institutions: the demand's and the achievement's."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from market_server import accounts
from market_server.tables import ENTITY_TABLES
from sync.ids import uuid7
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login


def _demand(inst_id: str) -> tuple[str, dict[str, object]]:
    return "demand", {"id": uuid7(), "title": "微型光谱仪生产线智能化改造", "institution_id": inst_id,
                      "demand_type": "tackling", "status": "open"}


class _Market:
    """An enterprise with a demand, two universities with an achievement each, and a specialist for each."""

    def __init__(self, client: TestClient, engine: Engine) -> None:
        self.enterprise, self.university, self.elsewhere = institution(), institution(), institution()
        self.demand = _demand(self.enterprise[1]["id"])
        self.achievement = achievement(self.university[1]["id"], review_status="approved")
        self.other_achievement = achievement(self.elsewhere[1]["id"], review_status="approved")
        add_rows(engine, self.enterprise, self.university, self.elsewhere, self.demand, self.achievement,
                 self.other_achievement)
        self.demand_side = login(client, add_user(engine, assigned=[self.enterprise[1]["id"]]))
        self.achievement_side = login(client, add_user(engine, assigned=[self.university[1]["id"]]))
        self.outsider = login(client, add_user(engine, assigned=[self.elsewhere[1]["id"]]))

    def fields(self, **extra: Any) -> dict[str, Any]:
        return {"demand_id": self.demand[1]["id"], "achievement_id": self.achievement[1]["id"],
                "source": "algorithm", "stage": "recommended", "recommended_on": "2026-11-20", **extra}


def _create(session: Session, fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    match_id = uuid7()
    (answer,) = session.push({"entity": "match_record", "id": match_id, "op": "create", "fields": fields})
    return match_id, answer


def _pulled(session: Session) -> dict[str, dict[str, Any]]:
    changes, _ = session.pull_all()
    return {c["id"]: c for c in changes if c["entity"] == "match_record"}


def test_both_institutions_specialists_pull_and_write_a_match_and_nobody_else(
    client: TestClient, engine: Engine
) -> None:
    market = _Market(client, engine)
    match_id, created = _create(market.achievement_side, market.fields())  # through the achievement's institution
    assert created["outcome"] == "applied", created
    (refused,) = market.outsider.push({"entity": "match_record", "id": uuid7(), "op": "create",
                                       "fields": market.fields()})
    assert (refused["outcome"], refused["reason"]) == ("rejected", "permission")

    (moved_on,) = market.demand_side.push({"entity": "match_record", "id": match_id, "op": "update",
                                           "base": {"stage": "recommended"},
                                           "fields": {"stage": "negotiating", "negotiated_on": "2026-11-25"}})
    assert moved_on["outcome"] == "applied"
    (noted,) = market.achievement_side.push({"entity": "match_record", "id": match_id, "op": "update",
                                             "base": {"notes": None}, "fields": {"notes": "双方约定12月初面谈"}})
    assert noted["outcome"] == "applied"
    (bad,) = market.demand_side.push({"entity": "match_record", "id": match_id, "op": "update",
                                      "base": {"stage": "negotiating"}, "fields": {"stage": "terminated"}})
    assert (bad["outcome"], bad["problems"][0]["code"]) == ("rejected", "terminated_needs_reason")
    (not_theirs,) = market.outsider.push({"entity": "match_record", "id": match_id, "op": "update",
                                          "base": {"notes": "双方约定12月初面谈"}, "fields": {"notes": "改"}})
    assert (not_theirs["outcome"], not_theirs["reason"]) == ("rejected", "permission")

    for side in (market.demand_side, market.achievement_side):
        row = _pulled(side)[match_id]
        assert row["fields"]["stage"] == "negotiating" and row["fields"]["notes"] == "双方约定12月初面谈"
        assert row["scope"] == market.enterprise[1]["id"]  # the wire's scope stays the first (the demand's)
    assert match_id not in _pulled(market.outsider)  # not in the catalog


def test_a_match_created_by_the_achievements_specialist_comes_once_not_again_in_own(
    client: TestClient, engine: Engine
) -> None:
    market = _Market(client, engine)
    match_id, _ = _create(market.achievement_side, market.fields())
    changes, page = market.achievement_side.pull_all()
    assert [c["id"] for c in changes].count(match_id) == 1
    assert page["cursors"]["own"] == 0  # own holds nothing: the inst: bucket of the achievement gives it in full


def test_the_achievement_is_set_once_and_must_be_readable(client: TestClient, engine: Engine) -> None:
    market = _Market(client, engine)
    match_id, created = _create(market.demand_side, market.fields(achievement_id=None))
    assert created["outcome"] == "applied"
    assert match_id not in _pulled(market.achievement_side)
    (set_now,) = market.demand_side.push({"entity": "match_record", "id": match_id, "op": "update",
                                          "base": {"achievement_id": None},
                                          "fields": {"achievement_id": market.achievement[1]["id"]}})
    assert set_now["outcome"] == "applied"
    assert match_id in _pulled(market.achievement_side)  # moved into the achievement's institution's scope
    (changed,) = market.demand_side.push({"entity": "match_record", "id": match_id, "op": "update",
                                          "base": {"achievement_id": market.achievement[1]["id"]},
                                          "fields": {"achievement_id": market.other_achievement[1]["id"]}})
    assert (changed["outcome"], changed["problems"][0]["code"]) == ("rejected", "parent_not_changeable")
    # Written through the achievement's institution, the demand must be one the writer reads (the catalog's).
    hidden = institution(status="pending", proposed_by="someone")
    secret = _demand(hidden[1]["id"])
    add_rows(engine, hidden, secret)
    _, unreadable = _create(market.achievement_side, market.fields(demand_id=secret[1]["id"]))
    assert unreadable["outcome"] == "rejected", unreadable
    assert unreadable["problems"][0]["code"] == "missing_ref", unreadable


def test_a_match_follows_its_achievement_to_another_institution(client: TestClient, engine: Engine) -> None:
    market = _Market(client, engine)
    match_id, _ = _create(market.demand_side, market.fields())
    admin = login(client, add_user(engine, role="admin"))
    (moved,) = admin.push({"entity": "achievement", "id": market.achievement[1]["id"], "op": "update",
                           "base": {"institution_id": market.university[1]["id"]},
                           "fields": {"institution_id": market.elsewhere[1]["id"]}})
    assert moved["outcome"] == "applied"
    table = ENTITY_TABLES["match_record"]
    with engine.connect() as conn:
        second = conn.execute(select(table.c.second_scope_id).where(table.c.id == match_id)).scalar()
    assert second == market.elsewhere[1]["id"]
    assert match_id in _pulled(market.outsider)


def test_unassigning_the_achievements_institution_sends_the_match_again(client: TestClient, engine: Engine) -> None:
    """The unassigned specialist's app drops the institution's rows; a match it still sees through the other
    institution comes again (a new version)."""
    market = _Market(client, engine)
    match_id, _ = _create(market.demand_side, market.fields())
    both = login(client, add_user(engine, assigned=[market.enterprise[1]["id"], market.university[1]["id"]]))
    _, page = both.pull_all()
    with engine.begin() as conn:
        accounts.unassign(conn, both.username, [market.university[1]["id"]])
    changes, _ = both.pull_all(page["cursors"])
    assert match_id in {c["id"] for c in changes}
