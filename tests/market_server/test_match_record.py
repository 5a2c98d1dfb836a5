"""对接记录 (issue #15.3) sync like every entity: scoped by the demand's institution, merged field by field."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync.ids import uuid7
from tests.market_server.conftest import achievement, add_rows, add_user, institution, login


def _demand(inst_id: str) -> tuple[str, dict[str, object]]:
    return "demand", {"id": uuid7(), "title": "微型光谱仪生产线智能化改造", "institution_id": inst_id,
                      "demand_type": "tackling", "status": "open"}


def test_a_match_is_written_by_the_demands_specialists_and_seen_only_by_them(
    client: TestClient, engine: Engine
) -> None:
    enterprise, university = institution(), institution()
    demand, ach = _demand(enterprise[1]["id"]), achievement(university[1]["id"], review_status="approved")
    add_rows(engine, enterprise, university, demand, ach)
    mine = login(client, add_user(engine, assigned=[enterprise[1]["id"]]))
    other = login(client, add_user(engine, assigned=[university[1]["id"]]))
    match_id = uuid7()
    fields = {"demand_id": demand[1]["id"], "achievement_id": ach[1]["id"], "source": "algorithm",
              "stage": "recommended", "recommended_on": "2026-11-20"}
    (created,) = mine.push({"entity": "match_record", "id": match_id, "op": "create", "fields": fields})
    assert created["outcome"] == "applied", (created.get("reason"), created.get("message"), created.get("problems"))
    (refused,) = other.push({"entity": "match_record", "id": uuid7(), "op": "create", "fields": fields})
    assert (refused["outcome"], refused["reason"]) == ("rejected", "permission")

    (moved_on,) = mine.push({"entity": "match_record", "id": match_id, "op": "update",
                             "base": {"stage": "recommended"}, "fields": {"stage": "negotiating",
                                                                          "negotiated_on": "2026-11-25"}})
    assert moved_on["outcome"] == "applied"
    (bad,) = mine.push({"entity": "match_record", "id": match_id, "op": "update",
                        "base": {"stage": "negotiating"}, "fields": {"stage": "terminated"}})
    assert (bad["outcome"], bad["problems"][0]["code"]) == ("rejected", "terminated_needs_reason")

    changes, _ = mine.pull_all()
    (row,) = [c for c in changes if c["id"] == match_id]
    assert row["fields"]["stage"] == "negotiating" and row["fields"]["achievement_id"] == ach[1]["id"]
    theirs, _ = other.pull_all()
    assert match_id not in {c["id"] for c in theirs}  # not in the catalog: the demand's institution only
