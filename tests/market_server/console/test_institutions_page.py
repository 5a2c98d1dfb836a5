"""Institutions in the console: search, filter, bulk assign and unassign, each specialist's load."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
from tests.market_server.conftest import add_rows, add_user, institution, unique
from tests.market_server.console.conftest import signed_in


def test_search_filter_and_bulk_assign(browser: TestClient, engine: Engine) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    tag = unique("筛选")
    rows = [institution(f"{tag}大学{i}") for i in range(3)] + [institution(f"{tag}企业", org_type="enterprise")]
    add_rows(engine, *rows)
    ids = [r[1]["id"] for r in rows]
    csrf = signed_in(browser, boss)
    page = browser.get("/admin/institutions", params={"q": tag})
    assert all(f"{tag}大学{i}" in page.text for i in range(3)) and "共 4 个" in page.text
    page = browser.get("/admin/institutions", params={"q": tag, "org_type": "enterprise"})
    assert f"{tag}企业" in page.text and f"{tag}大学0" not in page.text
    done = browser.post("/admin/institutions/assign", data={
        "csrf": csrf, "action": "assign", "specialist": worker, "ids": ids[:3], "back": f"q={tag}"})
    assert done.status_code == 200 and f"已将 3 个机构分配给 {worker}" in done.text
    with engine.connect() as conn:
        user = accounts.find_user(conn, worker)
        assert user and sorted(accounts.assigned_institutions(conn, user.id)) == sorted(ids[:3])
    mine = browser.get("/admin/institutions", params={"specialist": worker})
    assert "共 3 个" in mine.text
    done = browser.post("/admin/institutions/assign", data={
        "csrf": csrf, "action": "unassign", "specialist": worker, "ids": ids[:2]})
    assert f"已取消 {worker} 的 2 个机构" in done.text
    with engine.connect() as conn:
        assert accounts.assigned_institutions(conn, user.id) == [ids[2]]
    assert "请先选择机构" in browser.post("/admin/institutions/assign", data={
        "csrf": csrf, "action": "assign", "specialist": worker}).text
    unassigned = browser.get("/admin/institutions", params={"q": tag, "specialist": "-"})
    assert "共 3 个" in unassigned.text


def test_assigning_needs_the_csrf_token(browser: TestClient, engine: Engine) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    (_, inst), = [institution()]
    add_rows(engine, ("institution", inst))
    signed_in(browser, boss)
    answer = browser.post("/admin/institutions/assign", data={
        "csrf": "stale", "action": "assign", "specialist": worker, "ids": [inst["id"]]})
    assert answer.status_code == 403
    with engine.connect() as conn:
        user = accounts.find_user(conn, worker)
        assert user and accounts.assigned_institutions(conn, user.id) == []
