"""Specialists and an admin sync through a real `market-server serve`, driven only by the `specialist-app` CLI.

The harness (server, proxy, clients) is in conftest.py; fixtures are typed Any because test modules are
imported with --import-mode=importlib and cannot import conftest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text


def assert_synced(client: Any, expected_exit: int = 0) -> None:
    """Sync and check the exit code; on a mismatch the failure shows the whole report and stderr."""
    report = client.sync()
    assert report["exit"] == expected_exit, report


def server_scalar(world: Any, sql: str, **params: object) -> object:
    engine = create_engine(f"sqlite:///{world.market.root / 'market.sqlite3'}")
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def conflicts_of(client: Any) -> list[dict[str, object]]:
    done = client.cli("conflicts", "--json")
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)["conflicts"]
    return found


def new_contact(world: Any, name: str) -> str:
    contact = world.a.create("contact", {"institution_id": world.inst, "name": name})
    assert_synced(world.a, 0)
    assert_synced(world.b, 0)
    return contact


def test_offline_create_on_a_reaches_b_and_the_token_stays_out_of_the_data_dir(world: Any) -> None:
    contact = world.a.create("contact", {"institution_id": world.inst, "name": "张三", "phone": "13800000000"})
    report = world.a.sync()
    assert report["exit"] == 0, report
    assert (report["pushed"], report["conflicts"], report["rejected"]) == (1, 0, 0)
    assert world.a.scalar("SELECT count(*) FROM outbox") == 0
    assert_synced(world.b, 0)
    got = world.b.get("contact", contact)
    assert got is not None and got["name"] == "张三" and got["phone"] == "13800000000"
    secrets = json.loads((world.tmp / "alice-pc.keyring.json").read_text())
    (token,) = secrets.values()
    for path in Path(world.a.data_dir).rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path


def test_different_fields_edited_on_a_and_b_merge(world: Any) -> None:
    contact = new_contact(world, "李四")
    world.a.update("contact", contact, {"phone": "13900000000"})
    world.b.update("contact", contact, {"position": "主任"})
    assert_synced(world.a, 0)
    report = world.b.sync()
    assert report["exit"] == 0 and report["conflicts"] == 0
    assert_synced(world.a, 0)
    for client in (world.a, world.b):
        got = client.get("contact", contact)
        assert got is not None and (got["phone"], got["position"]) == ("13900000000", "主任")


@pytest.mark.slow
@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_same_field_is_a_conflict_kept_and_resolvable(world: Any, keep: str) -> None:
    contact = new_contact(world, f"王五-{keep}")
    world.a.update("contact", contact, {"notes": "A 的备注"})
    world.b.update("contact", contact, {"notes": "B 的备注"})
    assert_synced(world.a, 0)
    report = world.b.sync()
    assert report["exit"] == 0 and report["conflicts"] == 1  # a conflict is not a failure
    assert world.b.get("contact", contact)["notes"] == "B 的备注"  # type: ignore[index]
    (conflict,) = [c for c in conflicts_of(world.b) if c["row_id"] == contact]
    assert (conflict["field"], conflict["theirs"], conflict["mine"]) == ("notes", "A 的备注", "B 的备注")
    assert conflict["theirs_by"] == "alice"
    done = world.b.cli("resolve", str(conflict["id"]), "--keep", keep)
    assert done.returncode == 0, done.stderr
    assert_synced(world.b, 0)
    assert_synced(world.a, 0)
    expected = "B 的备注" if keep == "mine" else "A 的备注"
    for client in (world.a, world.b):
        assert client.get("contact", contact)["notes"] == expected  # type: ignore[index]
    assert [c for c in conflicts_of(world.b) if c["row_id"] == contact] == []
    assert server_scalar(world, "SELECT resolved FROM sync_conflict WHERE id = :id", id=conflict["id"]) in (1, True)


@pytest.mark.slow
def test_delete_versus_edit_is_a_conflict_not_a_silent_loss(world: Any) -> None:
    contact = new_contact(world, "赵六")
    world.b.update("contact", contact, {"phone": "13700000000"})
    world.a.delete("contact", contact)
    assert_synced(world.b, 0)
    report = world.a.sync()
    assert report["exit"] == 0 and report["conflicts"] == 1
    (conflict,) = [c for c in conflicts_of(world.a) if c["row_id"] == contact]
    assert conflict["field"] == "__deleted__"
    assert world.a.cli("resolve", str(conflict["id"]), "--keep", "theirs").returncode == 0
    got = world.a.get("contact", contact)
    assert got is not None and got["phone"] == "13700000000"
    assert_synced(world.a, 0)
    assert_synced(world.b, 0)
    assert world.b.get("contact", contact)["phone"] == "13700000000"  # type: ignore[index]


def test_a_push_whose_answer_is_lost_is_retried_without_duplicate(world: Any, proxy: Any) -> None:
    visit = world.a.create("visit", {"institution_id": world.inst, "status": "planned", "purpose": "需求调研"})
    proxy.drop_push_answers = 1
    report = world.a.sync()
    assert report["exit"] == 0, report
    assert proxy.push_requests >= 2
    assert (report["pushed"], report["conflicts"], report["rejected"]) == (1, 0, 0)
    assert world.a.scalar("SELECT count(*) FROM outbox") == 0
    version = world.a.scalar("SELECT server_version FROM visit WHERE id = ?", visit)
    assert server_scalar(world, "SELECT count(*) FROM visit WHERE id = :id", id=visit) == 1
    assert server_scalar(world, "SELECT version FROM visit WHERE id = :id", id=visit) == version


@pytest.mark.slow
def test_a_pull_cut_off_midway_resumes_where_it_stopped(world: Any, proxy: Any) -> None:
    for n in range(6):
        world.a.create("contact", {"institution_id": world.inst, "name": f"批量{n}"})
    assert_synced(world.a, 0)
    laptop = world.client("bob-laptop")
    laptop.login(world.url, "bob")
    proxy.drop_pull_after = 2
    cut = laptop.sync("--page-size", "3", "--max-attempts", "2")
    assert cut["exit"] == 3, cut
    saved = laptop.scalar("SELECT sum(cursor) FROM sync_cursor")
    landed = laptop.scalar("SELECT count(*) FROM contact")
    assert saved > 0 and landed > 0
    proxy.drop_pull_after = None
    proxy.pull_requests.clear()
    assert laptop.sync("--page-size", "3")["exit"] == 0
    resumed = proxy.pull_requests[0]["cursors"]
    assert sum(resumed.values()) == saved
    assert_synced(world.b, 0)
    assert laptop.scalar("SELECT count(*) FROM contact") == world.b.scalar("SELECT count(*) FROM contact")


@pytest.mark.slow
def test_unassign_keeps_records_with_unsent_edits(world: Any) -> None:
    world.market.add_user("carol")
    world.market.admin("assign", "carol", world.inst)
    carol = world.client("carol-pc")
    carol.login(world.url, "carol")
    assert_synced(carol, 0)
    kept, gone = new_contact(world, "保留"), new_contact(world, "移除")
    assert_synced(carol, 0)
    carol.update("contact", kept, {"notes": "离线修改"})
    world.market.admin("unassign", "carol", world.inst)
    report = carol.sync()
    assert report["exit"] == 0, report
    assert carol.get("contact", gone) is None
    got = carol.get("contact", kept)
    assert got is not None and got["notes"] == "离线修改"
    assert carol.get("institution", world.inst) is not None  # the catalog copy stays
    assert carol.scalar("SELECT count(*) FROM assigned_institution") == 0


def test_401_asks_for_a_new_login_and_keeps_the_data(world: Any) -> None:
    world.market.add_user("dave")
    world.market.admin("assign", "dave", world.inst)
    dave = world.client("dave-pc")
    dave.login(world.url, "dave")
    assert_synced(dave, 0)
    contact = dave.create("contact", {"institution_id": world.inst, "name": "离线联系人"})
    world.market.admin("user", "disable", "dave")
    report = dave.sync()
    assert report["exit"] == 2, report
    assert report["error_code"] == "login_required"
    assert dave.get("contact", contact) is not None
    assert dave.scalar("SELECT count(*) FROM outbox") == 1
    assert dave.cli("logout").returncode == 0
    assert_synced(dave, 2)
    assert dave.get("contact", contact) is not None


def test_an_outdated_protocol_gets_a_clear_message(world: Any, proxy: Any) -> None:
    proxy.protocol = "0"
    done = world.a.cli("sync")
    assert done.returncode == 1
    assert "out of date" in done.stderr
    done = world.a.cli("sync", lang="zh_CN")
    assert "客户端版本过旧" in done.stderr


def test_the_cli_sync_records_the_account_and_a_refusal_reads_in_chinese(world: Any) -> None:
    """What the app may offer comes from the account every sync records; a refused change says why in words."""
    with world.a.uow() as uow:
        recorded = uow.conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'account'").scalar()
    assert json.loads(recorded) == {"username": "alice", "role": "specialist", "institutions": [world.inst],
                                     "home_province": None}
    with world.admin.uow() as uow:
        admin = json.loads(uow.conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'account'").scalar())
    assert admin["role"] == "admin"
    other = world.admin.create("institution", {"name": "吉林大学", "org_type": "university"})
    assert_synced(world.admin, 0)
    assert_synced(world.a, 0)
    world.a.create("contact", {"institution_id": other, "name": "越权"})
    report = world.a.sync()
    assert report["rejected"] == 1, report
    done = world.a.cli("conflicts", lang="zh_CN")
    assert "该机构未分配给您" in done.stdout and "not assigned" not in done.stdout, done.stdout
    status = json.loads(world.a.cli("status", "--json").stdout)
    assert (status["pending_changes"], status["refused"]) == (0, 1)  # sent, yet it did not reach the market
