"""The console's duplicates page: flagged pairs side by side, keep both or confirm, audited, seen after a sync."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import audit, duplicates
from market_server.console.web import LANG_COOKIE
from sync.ids import uuid7
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login, unique
from tests.market_server.console.conftest import signed_in


def _word() -> str:
    return unique("").translate(str.maketrans("0123456789", "甲乙丙丁戊己庚辛壬癸"))  # no digits: no number rule


def _flagged(client: TestClient, engine: Engine, title: str, twin: str) -> tuple[Session, str, str, int]:
    """An achievement in the catalog and a specialist's near-duplicate of it pushed: (session, row, other, flag)."""
    other = achievement(None, title=title)
    inst = institution()
    add_rows(engine, inst, other)
    session = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    row_id = uuid7()
    (done,) = session.push({"entity": "achievement", "id": row_id, "op": "create",
                            "fields": {"title": twin, "institution_id": inst[1]["id"], "keywords": ["秸秆"]}})
    assert done["outcome"] == "applied", done
    with engine.connect() as conn:
        (flag,) = duplicates.open_flags(conn, row_id=row_id)
    return session, row_id, other[1]["id"], flag.id


def _mine(session: Session, row_id: str) -> dict[str, Any]:
    changes, _ = session.pull_all()
    fields: dict[str, Any] = [c for c in changes if c["id"] == row_id][-1]["fields"]
    return fields


def test_keep_both_side_by_side_audited_and_seen_after_a_sync(
    browser: TestClient, engine: Engine, client: TestClient
) -> None:
    word = _word()
    session, row_id, other_id, flag = _flagged(client, engine, f"{word}玉米秸秆还田机械化技术",
                                               f"{word}玉米秸稈還田機械化技術")
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    page = browser.get("/admin/duplicates")
    assert page.status_code == 200 and f'id="flag-{flag}"' in page.text
    card = page.text.split(f'id="flag-{flag}"')[1].split("</section>")[0]
    assert f"{word}玉米秸稈還田機械化技術" in card and f"{word}玉米秸秆还田机械化技术" in card  # both sides
    assert "秸秆" in card and "新同步的记录" in card and "市场已有的记录" in card

    assert browser.post(f"/admin/duplicates/{flag}/keep", data={"csrf": "stale"}).status_code == 403
    with engine.connect() as conn:
        assert duplicates.open_flags(conn, flag_id=flag)  # nothing done without the session's token
    done = browser.post(f"/admin/duplicates/{flag}/keep", data={"csrf": csrf})
    assert "已保留两条" in done.text and f'id="flag-{flag}"' not in done.text
    mine = _mine(session, row_id)
    assert (mine["duplicate_of"], mine["duplicate_state"]) == (None, None)
    with engine.connect() as conn:
        (entry,) = [e for e in audit.recent(conn, actor=boss) if e.action == "duplicate.keep"]
    assert entry.target == row_id and entry.detail["other"] == other_id and entry.detail["flag"] == flag
    again = browser.post(f"/admin/duplicates/{flag}/keep", data={"csrf": csrf})  # decided already: said, not done
    assert "该提示已处理或不存在" in again.text


def test_confirmed_duplicate_reaches_the_specialist_and_the_page_speaks_english(
    browser: TestClient, engine: Engine, client: TestClient
) -> None:
    word = _word()
    session, row_id, other_id, flag = _flagged(client, engine, f"{word}水稻高产栽培技术", f"{word}水稻高产栽培技朮")
    csrf = signed_in(browser, add_user(engine, "admin"))
    browser.cookies.set(LANG_COOKIE, "en")
    page = browser.get("/admin/duplicates")
    assert "Keep both (not a duplicate)" in page.text and "Record the market holds" in page.text
    assert "Confirmed: " in browser.post(f"/admin/duplicates/{flag}/duplicate", data={"csrf": csrf}).text
    mine = _mine(session, row_id)
    assert (mine["duplicate_of"], mine["duplicate_state"]) == (other_id, "confirmed")
    assert browser.post(f"/admin/duplicates/{flag}/merge", data={"csrf": csrf}).status_code == 404
    assert "already decided" in browser.post("/admin/duplicates/99999999999/keep", data={"csrf": csrf}).text


def test_the_review_queue_uses_the_contracts_rule(browser: TestClient, engine: Engine) -> None:
    """Traditional characters and another institution (difflib's rule, per institution, found neither)."""
    word = _word()
    inst, elsewhere = institution(), institution()
    kept = achievement(elsewhere[1]["id"], title=f"{word}梅花鹿病虫害绿色防控装置及方法")
    waiting = achievement(inst[1]["id"], title=f"{word}梅花鹿病蟲害綠色防控裝置及方法", review_status="pending")
    add_rows(engine, inst, elsewhere, kept, waiting)
    signed_in(browser, add_user(engine, "admin"))
    card = browser.get("/admin/review").text.split(f'id="achievement-{waiting[1]["id"]}"')[1].split("</section>")[0]
    assert f"{word}梅花鹿病虫害绿色防控装置及方法" in card and "相似度" in card
