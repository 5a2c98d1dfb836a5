"""#13 item 9: list fields have a maximum, and references name live rows the author may read."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync.entities import ENTITIES
from sync.ids import uuid7
from tests.market_server.conftest import Session, add_rows, add_user, institution, login


def _create(entity: str, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": uuid7(), "op": "create", "fields": fields}


def _member(client: TestClient, engine: Engine) -> tuple[str, Session]:
    inst = institution()
    add_rows(engine, inst)
    return inst[1]["id"], login(client, add_user(engine, assigned=[inst[1]["id"]]))


def _problem(result: dict[str, Any]) -> tuple[str, str, str]:
    assert result["outcome"] == "rejected", result
    return result["reason"], result["problems"][0]["field"], result["problems"][0]["code"]


def test_every_list_field_has_a_maximum() -> None:
    for entity in ENTITIES.values():
        for f in entity.fields:
            assert not f.is_list() or f.max_items is not None, f"{entity.name}.{f.name}"


def test_a_visit_with_thousands_of_made_up_contacts_is_refused(client: TestClient, engine: Engine) -> None:
    inst_id, me = _member(client, engine)
    many = [uuid7() for _ in range(5000)]
    (result,) = me.push(_create("visit", institution_id=inst_id, status="planned", contacts_met=many))
    assert _problem(result) == ("validation", "contacts_met", "too_many")
    (made_up,) = me.push(_create("visit", institution_id=inst_id, status="planned", contacts_met=[uuid7()]))
    assert _problem(made_up) == ("validation", "contacts_met", "missing_ref")


def test_references_name_rows_the_author_may_read(client: TestClient, engine: Engine) -> None:
    inst_id, me = _member(client, engine)
    other_id, other = _member(client, engine)
    (theirs,) = other.push(secret := _create("contact", institution_id=other_id, name="别处的联系人"))
    assert theirs["outcome"] == "applied"
    (refused,) = me.push(_create("visit", institution_id=inst_id, status="planned", contacts_met=[secret["id"]]))
    assert _problem(refused) == ("validation", "contacts_met", "missing_ref")
    their_visit = _create("visit", institution_id=other_id, status="planned")
    other.push(their_visit)
    (linked,) = me.push(_create("achievement", institution_id=inst_id, title="成果", source_visit_id=their_visit["id"]))
    assert _problem(linked) == ("validation", "source_visit_id", "missing_ref")
    # Own rows, created in the same push, are fine.
    contact = _create("contact", institution_id=inst_id, name="本机构联系人")
    visit = _create("visit", institution_id=inst_id, status="planned", contacts_met=[contact["id"]])
    assert [r["outcome"] for r in me.push(contact, visit)] == ["applied", "applied"]
    (edit,) = me.push({"entity": "visit", "id": visit["id"], "op": "update",
                       "fields": {"contacts_met": [contact["id"], secret["id"]]},
                       "base": {"contacts_met": [contact["id"]]}})
    assert _problem(edit) == ("validation", "contacts_met", "missing_ref")
