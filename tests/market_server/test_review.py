"""Administrators review institutions proposed in the field: pending list, approve into the catalog, reject."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import review, rows
from market_server.cli import main
from sync.entities import INSTITUTION
from sync.ids import uuid7
from tests.market_server.conftest import add_rows, add_user, institution, login, unique


def _propose(client: TestClient, engine: Engine) -> tuple[Any, str, str]:
    proposer = add_user(engine)
    session = login(client, proposer)
    inst_id, name = uuid7(), unique("田野机构")
    (result,) = session.push({"entity": "institution", "id": inst_id, "op": "create",
                              "fields": {"name": name, "org_type": "enterprise"}})
    assert result["outcome"] == "applied", result
    return session, inst_id, name


def _catalog_institutions(client: TestClient, engine: Engine) -> dict[str, dict[str, Any]]:
    reader = login(client, add_user(engine))
    changes, _ = reader.pull_all()
    return {c["id"]: c for c in changes if c["entity"] == "institution"}


def test_pending_proposal_is_listed_and_approval_puts_it_in_the_catalog(
    client: TestClient, engine: Engine
) -> None:
    session, inst_id, name = _propose(client, engine)
    with engine.begin() as conn:
        listed = {p.id: p for p in review.pending(conn)}
    assert listed[inst_id].proposed_by == session.username
    assert inst_id not in _catalog_institutions(client, engine)

    with engine.begin() as conn:
        assert review.set_status(conn, name, "active") == inst_id
        assert inst_id not in {p.id for p in review.pending(conn)}
    catalog = _catalog_institutions(client, engine)
    assert catalog[inst_id]["fields"]["status"] == "active"

    # The proposer's next incremental pull carries the decision.
    changes, _ = session.pull_all()
    (mine,) = [c for c in changes if c["id"] == inst_id]
    assert mine["fields"]["status"] == "active"


def test_rejected_proposal_stays_out_of_the_catalog(client: TestClient, engine: Engine) -> None:
    _, inst_id, _ = _propose(client, engine)
    with engine.begin() as conn:
        review.set_status(conn, inst_id, "rejected")
        assert inst_id not in {p.id for p in review.pending(conn)}
    catalog = _catalog_institutions(client, engine)
    assert inst_id not in catalog or (catalog[inst_id]["deleted"] and catalog[inst_id]["fields"] == {})


def test_review_commands(client: TestClient, engine: Engine, server_env: dict[str, str], capsys: Any) -> None:
    _, inst_id, name = _propose(client, engine)
    assert main(["review", "list"]) == 0
    assert inst_id in capsys.readouterr().out
    assert main(["review", "approve", name]) == 0
    assert "1 institution(s) approved" in capsys.readouterr().out
    assert main(["review", "reject", "no such institution"]) == 1
    assert "no institution" in capsys.readouterr().err


def test_a_rejection_reason_from_the_command_line_is_the_review_note(engine: Engine, server_env: dict[str, str],
                                                                   ) -> None:
    (_, inst), = [institution(status="pending")]
    add_rows(engine, ("institution", inst))
    assert main(["review", "reject", inst["id"], "--reason", "名称有误"]) == 0
    with engine.connect() as conn:
        row = rows.load(conn, INSTITUTION, inst["id"])
    assert row and (row["status"], row["review_note"]) == ("rejected", "名称有误")
