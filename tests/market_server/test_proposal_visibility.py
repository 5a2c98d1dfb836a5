"""#13 item 8: records under a pending or rejected proposal reach only their author and administrators."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import review
from sync.ids import uuid7
from tests.market_server.conftest import Session, add_user, login, unique


def _create(entity: str, **fields: Any) -> dict[str, Any]:
    return {"entity": entity, "id": uuid7(), "op": "create", "fields": fields}


def _ids(changes: list[dict[str, Any]]) -> dict[str, bool]:
    """id -> deleted, for the last change of each row."""
    return {c["id"]: c["deleted"] for c in changes}


def _propose(client: TestClient, engine: Engine) -> tuple[Session, str, str]:
    author = login(client, add_user(engine))
    proposal = _create("institution", name=unique("新机构"), org_type="enterprise")
    achievement = _create("achievement", institution_id=proposal["id"], title=unique("成果"))
    assert [r["outcome"] for r in author.push(proposal, achievement)] == ["applied", "applied"]
    return author, proposal["id"], achievement["id"]


def test_a_pending_proposals_records_reach_only_their_author(client: TestClient, engine: Engine) -> None:
    author, proposal, achievement = _propose(client, engine)
    colleague = login(client, add_user(engine))
    admin = login(client, add_user(engine, role="admin"))
    seen, _ = colleague.pull_all()
    assert proposal not in _ids(seen) and achievement not in _ids(seen)
    public = client.post("/sync/pull", json={"device_id": admin.device_id, "cursors": {}, "view": "public"},
                         headers=admin.headers).json()["changes"]
    assert achievement not in _ids(public)
    mine, _ = author.pull_all()
    assert _ids(mine).get(achievement) is False
    everything, _ = admin.pull_all()
    assert _ids(everything).get(achievement) is False


def test_approval_brings_them_and_rejection_takes_them_away(client: TestClient, engine: Engine) -> None:
    author, proposal, achievement = _propose(client, engine)
    colleague = login(client, add_user(engine))
    _, page = colleague.pull_all()
    with engine.begin() as conn:
        review.set_status(conn, proposal, "active")
    approved, page = colleague.pull_all(page["cursors"])
    assert _ids(approved).get(proposal) is False and _ids(approved).get(achievement) is False
    with engine.begin() as conn:
        review.set_status(conn, proposal, "rejected")
    rejected, _ = colleague.pull_all(page["cursors"])
    assert _ids(rejected).get(proposal) is True and _ids(rejected).get(achievement) is True
    assert [c["fields"] for c in rejected if c["id"] == achievement] == [{}]
    mine, _ = author.pull_all()  # the author keeps them, with the decision
    assert _ids(mine).get(achievement) is False
    assert [c["fields"]["status"] for c in mine if c["id"] == proposal] == ["rejected"]
