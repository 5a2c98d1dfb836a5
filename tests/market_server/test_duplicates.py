"""The server's duplicate check of pushed records: flagged, never refused; listed, decided, seen after a sync."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import duplicates
from market_server.app import create_app
from market_server.cli import main
from market_server.settings import Settings
from sync.ids import uuid7
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login, unique


def _word() -> str:
    return unique("").translate(str.maketrans("0123456789", "甲乙丙丁戊己庚辛壬癸"))  # no digits: no number rule


def _specialist(client: TestClient, engine: Engine) -> tuple[Session, str]:
    inst = institution()
    add_rows(engine, inst)
    return login(client, add_user(engine, assigned=[inst[1]["id"]])), inst[1]["id"]


def _push_achievement(session: Session, inst_id: str, title: str, **fields: Any) -> str:
    row_id = uuid7()
    (result,) = session.push({"entity": "achievement", "id": row_id, "op": "create",
                              "fields": {"title": title, "institution_id": inst_id, **fields}})
    assert result["outcome"] == "applied", result  # flagged or not, the row is applied
    return row_id


def _mine(session: Session, row_id: str) -> dict[str, Any]:
    changes, _ = session.pull_all()
    (row,) = [c for c in changes if c["id"] == row_id]
    fields: dict[str, Any] = row["fields"]
    return fields


def _flags(engine: Engine, row_id: str) -> list[duplicates.Flag]:
    with engine.begin() as conn:
        return [f for f in duplicates.open_flags(conn) if f.row_id == row_id]


def test_a_near_duplicate_from_another_laptop_is_flagged_and_the_pusher_sees_it(
    client: TestClient, engine: Engine
) -> None:
    word = _word()
    other = achievement(None, title=f"{word}玉米秸秆还田机械化技术")
    add_rows(engine, institution(), other)
    session, inst_id = _specialist(client, engine)
    row_id = _push_achievement(session, inst_id, f"{word}玉米秸稈還田機械化技術")
    (flag,) = _flags(engine, row_id)
    assert (flag.other_id, flag.reason, flag.flagged_by) == (other[1]["id"], "name", session.username)
    assert flag.row_name.endswith("機械化技術") and flag.other_name.endswith("机械化技术")
    mine = _mine(session, row_id)
    assert (mine["duplicate_of"], mine["duplicate_state"]) == (other[1]["id"], "suspected")


def test_a_look_alike_and_a_second_push_of_a_decided_pair_are_not_flagged(
    client: TestClient, engine: Engine, server_env: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    word = _word()
    session, inst_id = _specialist(client, engine)
    first = _push_achievement(session, inst_id, f"{word}水稻高产栽培技术")
    assert _flags(engine, first) == []
    alike = _push_achievement(session, inst_id, f"{word}小麦高产栽培技术")  # another crop: another achievement
    assert _flags(engine, alike) == []
    twin = _push_achievement(session, inst_id, f"{word}水稻高产栽培技朮")
    (flag,) = _flags(engine, twin)

    assert main(["review", "duplicates"]) == 0
    assert f"#{flag.id}  achievement" in capsys.readouterr().out
    assert main(["review", "duplicates", "--keep-both", str(flag.id)]) == 0
    assert _flags(engine, twin) == []
    mine = _mine(session, twin)
    assert mine["duplicate_of"] is None and mine["duplicate_state"] is None
    session.push({"entity": "achievement", "id": twin, "op": "update", "base": {}, "fields": {"keywords": ["水稻"]}})
    assert _flags(engine, twin) == []  # the pair was decided: not flagged again
    assert main(["review", "duplicates", "--keep-both", str(flag.id)]) == 1  # decided already


def test_same_credit_code_or_patent_number_and_mark_as_duplicate(client: TestClient, engine: Engine) -> None:
    word = _word()
    known = institution(f"{word}光电有限公司", credit_code="1222018464401566XC")
    add_rows(engine, known)
    session = login(client, add_user(engine))
    proposal = uuid7()
    (result,) = session.push({"entity": "institution", "id": proposal, "op": "create", "fields": {
        "name": f"{word}别的名字", "org_type": "enterprise", "credit_code": "1222018464401566XC"}})
    assert result["outcome"] == "applied"
    (flag,) = _flags(engine, proposal)
    assert (flag.other_id, flag.reason) == (known[1]["id"], "credit_code")
    with engine.begin() as conn:
        duplicates.decide(conn, flag.id, "duplicate", by="admin")
    mine = _mine(session, proposal)
    assert (mine["duplicate_of"], mine["duplicate_state"]) == (known[1]["id"], "confirmed")

    owner, inst_id = _specialist(client, engine)
    patented = _push_achievement(owner, inst_id, f"{word}一种光栅")
    owner.push({"entity": "ip_item", "id": uuid7(), "op": "create", "fields": {
        "achievement_id": patented, "kind": "invention", "number": f"ZL2019{len(word)}0123456.7"}})
    second = _push_achievement(owner, inst_id, f"{word}完全不同的名称")
    owner.push({"entity": "ip_item", "id": uuid7(), "op": "create", "fields": {
        "achievement_id": second, "kind": "invention", "number": f"2019 {len(word)} 0123456.7"}})
    (flag,) = _flags(engine, second)
    assert (flag.other_id, flag.reason) == (patented, "patent")


def test_a_confirmed_duplicate_is_no_twin_to_flag_against(client: TestClient, engine: Engine) -> None:
    word = _word()
    session, inst_id = _specialist(client, engine)
    kept = _push_achievement(session, inst_id, f"{word}梅花鹿病虫害绿色防控装置")
    twin = _push_achievement(session, inst_id, f"{word}梅花鹿病蟲害綠色防控裝置")
    (flag,) = _flags(engine, twin)
    with engine.begin() as conn:
        duplicates.decide(conn, flag.id, "duplicate", by="admin")
    third = _push_achievement(session, inst_id, f"{word}梅花鹿病虫害綠色防控装置")
    assert [f.other_id for f in _flags(engine, third)] == [kept]  # the record kept, not its confirmed duplicate


def test_each_engine_has_its_own_index_even_with_the_same_url() -> None:
    """PostgreSQL schemas chosen by search_path share one URL: an index kept per URL answered one schema's pushes
    with another's rows (seen as three flags missing on PostgreSQL in a full run, the tests' schemas one URL)."""
    from sqlalchemy import create_engine

    first, second = create_engine("sqlite://"), create_engine("sqlite://")
    try:
        assert first.url == second.url
        assert duplicates._cache(first) is duplicates._cache(first)
        assert duplicates._cache(first) is not duplicates._cache(second)
    finally:
        first.dispose()
        second.dispose()


def test_the_index_is_built_in_the_background_at_start_and_readiness_does_not_wait(
    settings: Settings, engine: Engine
) -> None:
    add_rows(engine, institution(), achievement(None, title=f"{_word()}预热索引的成果"))
    app = create_app(settings)
    cache = duplicates._cache(app.state.engine)
    cache.lock.acquire()  # a warm-up that takes long: it cannot start reading until this is released
    release = threading.Timer(30, cache.lock.release)  # were start-up to wait for it, it would wait this long
    release.start()
    try:
        with TestClient(app) as http:
            assert http.get("/health").status_code == 200
            warmup = app.state.duplicate_warmup
            assert not warmup.done.is_set()  # served while the index waits
            release.cancel()
            cache.lock.release()
            assert warmup.done.wait(60) and warmup.seconds is not None
            with engine.connect() as conn:
                top = conn.exec_driver_sql("SELECT max(version) FROM achievement").scalar_one()
            assert cache.seen["achievement"] == top  # the whole province read before any push
        quiet = create_app(dataclasses.replace(settings, duplicate_warmup=False))
        with TestClient(quiet):
            assert quiet.state.duplicate_warmup is None
        quiet.state.engine.dispose()
    finally:
        release.cancel()
        app.state.engine.dispose()
