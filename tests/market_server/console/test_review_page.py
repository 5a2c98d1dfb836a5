"""The review queue: approve, reject with a reason, merge into a likely duplicate; specialists see the outcome."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import audit, rows
from sync.entities import ACHIEVEMENT
from sync.ids import uuid7
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login, unique
from tests.market_server.console.conftest import signed_in


def _propose(client: TestClient, worker: str, name: str) -> tuple[str, Session]:
    session = login(client, worker)
    inst_id = uuid7()
    done = session.push({"entity": "institution", "id": inst_id, "op": "create",
                         "fields": {"name": name, "org_type": "enterprise"}})
    assert done[0]["outcome"] == "applied", done
    return inst_id, session


def test_approve_and_reject_reach_the_proposer(browser: TestClient, engine: Engine, client: TestClient) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    kept, session = _propose(client, worker, unique("新提议企业"))
    refused, _ = _propose(client, worker, unique("另一个提议"))
    csrf = signed_in(browser, boss)
    page = browser.get("/admin/review")
    assert f"proposal-{kept}" in page.text and f"proposal-{refused}" in page.text
    assert "请填写驳回原因" in browser.post(f"/admin/review/institution/{refused}/reject", data={"csrf": csrf}).text
    assert "已通过" in browser.post(f"/admin/review/institution/{kept}/approve", data={"csrf": csrf}).text
    done = browser.post(f"/admin/review/institution/{refused}/reject", data={"csrf": csrf, "reason": "信息不实"})
    assert "已驳回" in done.text and f"proposal-{refused}" not in done.text
    changes, _ = session.pull_all()
    status = {c["id"]: (c["fields"]["status"], c["fields"]["review_note"])
              for c in changes if c["entity"] == "institution" and c.get("fields")}
    assert status[kept] == ("active", None) and status[refused] == ("rejected", "信息不实")  # with its reason
    with engine.connect() as conn:
        entries = {e.action: e for e in audit.recent(conn, actor=boss)}
    assert entries["institution.reject"].detail["reason"] == "信息不实"
    assert entries["institution.approve"].target == kept


def test_merge_moves_the_proposers_records(browser: TestClient, engine: Engine, client: TestClient) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    base = unique("合并测试科技")
    (_, existing), = [institution(base + "股份有限公司", org_type="enterprise")]
    add_rows(engine, ("institution", existing))
    proposal, session = _propose(client, worker, base + "有限公司")
    contact = uuid7()
    assert session.push({"entity": "contact", "id": contact, "op": "create",
                         "fields": {"institution_id": proposal, "name": "王工"}})[0]["outcome"] == "applied"
    csrf = signed_in(browser, boss)
    assert base + "股份有限公司" in browser.get("/admin/review").text  # shown beside the proposal
    done = browser.post(f"/admin/review/institution/{proposal}/merge", data={"csrf": csrf, "into": existing["id"]})
    assert "1 条记录已转移" in done.text
    changes, _ = session.pull_all()
    moved = [c for c in changes if c["id"] == contact]
    assert moved[-1]["fields"]["institution_id"] == existing["id"]
    assert any(c["id"] == proposal and c.get("deleted") for c in changes)
    assert f"proposal-{proposal}" not in browser.get("/admin/review").text


def test_achievements_are_approved_or_returned(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    (_, inst), = [institution()]
    first, second = achievement(inst["id"], review_status="pending"), achievement(inst["id"], review_status="pending")
    add_rows(engine, ("institution", inst), first, second)
    csrf = signed_in(browser, boss)
    assert first[1]["title"] in browser.get("/admin/review").text
    browser.post(f"/admin/review/achievement/{first[1]['id']}/approve", data={"csrf": csrf})
    browser.post(f"/admin/review/achievement/{second[1]['id']}/return", data={"csrf": csrf, "reason": "缺少指标"})
    page = browser.get("/admin/review")
    assert first[1]["title"] not in page.text and second[1]["title"] not in page.text
    with engine.connect() as conn:
        assert rows.load(conn, ACHIEVEMENT, first[1]["id"])["review_status"] == "approved"  # type: ignore[index]
        returned = rows.load(conn, ACHIEVEMENT, second[1]["id"])
        assert returned and (returned["review_status"], returned["review_note"]) == ("returned", "缺少指标")


def test_a_correction_proposal_reaches_the_review_page_and_is_closed(browser: TestClient, engine: Engine,
                                                                     client: TestClient) -> None:
    """A specialist's note about a record they may not change: the push takes it, the console shows it beside the
    record's title, Handled closes it and the author's app drops it."""
    boss, worker = add_user(engine, "admin"), add_user(engine)
    inst = institution()
    ach = achievement(inst[1]["id"])
    add_rows(engine, inst, ach)
    session = login(client, worker)
    note_id = uuid7()
    done = session.push({"entity": "correction", "id": note_id, "op": "create", "fields": {
        "target_entity": "achievement", "target_id": ach[1]["id"], "note": "完成单位应为吉林大学"}})
    assert done[0]["outcome"] == "applied", done
    edit = session.push({"entity": "correction", "id": note_id, "op": "update", "fields": {"note": "改"},
                         "base": {"note": "完成单位应为吉林大学"}})
    assert (edit[0]["outcome"], edit[0]["problems"][0]["params"]["refusal"]) == ("rejected", "refused_note_sent")
    csrf = signed_in(browser, boss)
    page = browser.get("/admin/review")
    assert f"correction-{note_id}" in page.text and "完成单位应为吉林大学" in page.text
    assert ach[1]["title"] in page.text and worker in page.text
    closed = browser.post(f"/admin/review/correction/{note_id}/close", data={"csrf": csrf})
    assert "更正建议已处理" in closed.text and f"correction-{note_id}" not in closed.text
    changes, _ = session.pull_all()
    mine = [c for c in changes if c["id"] == note_id]
    assert mine and mine[-1]["deleted"] is True
    with engine.connect() as conn:
        assert any(e.action == "correction.close" and e.target == note_id for e in audit.recent(conn, actor=boss))
