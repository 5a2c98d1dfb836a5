"""The editor offers only what the server accepts: a record the user may not change opens read-only, saying why."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from market_server.accounts import User
from market_server.scope import UserScope
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.services import account
from sync.entities import ENTITIES
from sync.permissions import Refusal
from sync.protocol import UserInfo
from tests.specialist_app.gui.editor_helpers import OPENED, close_opened, open_loaded, read_store

ME = "kim"
STATES = {"listed": ("active", None), "own_pending": ("pending", ME), "other_pending": ("pending", "lee")}
EDITED = ("institution", "contact", "visit", "achievement", "demand")


@pytest.fixture(autouse=True)
def close_windows() -> Iterator[None]:
    yield
    close_opened()


def _world(seed: Callable[..., list[str]], data_dir: Path) -> dict[str, dict[str, str]]:
    """Per institution state: the institution and one record of each kind under it."""
    world: dict[str, dict[str, str]] = {}
    for state, (status, proposer) in STATES.items():
        [inst] = seed("institution", [{"name": f"机构-{state}", "org_type": "enterprise"}])
        read_store(data_dir, lambda uow, i=inst, s=status, p=proposer: (uow.conn.exec_driver_sql(
            "UPDATE institution SET status = ?, proposed_by = ? WHERE id = ?", (s, p, i)), uow.commit()))
        world[state] = {
            "institution": inst,
            "contact": seed("contact", [{"institution_id": inst, "name": "刘主任"}])[0],
            "visit": seed("visit", [{"institution_id": inst, "status": "planned", "purpose": "回访"}])[0],
            "achievement": seed("achievement", [{"institution_id": inst, "title": "激光测距仪"}])[0],
            "demand": seed("demand", [{"institution_id": inst, "title": "精密检测", "demand_type": "tackling"}])[0],
        }
    _as_pulled(data_dir)
    return world


def _as_pulled(data_dir: Path) -> None:
    """The rows as a sync leaves them: on the server (a record never sent is still the user's to shape)."""
    def write(uow: Any) -> None:
        for name in (*EDITED, "expert"):
            uow.conn.exec_driver_sql(f"UPDATE {name} SET server_version = 1")
        uow.commit()

    read_store(data_dir, write)


def _sign_in_as(data_dir: Path, role: str, assigned: str | None, pulled: list[str]) -> None:
    """What a sync leaves: the account from the token answer and the institutions the pull listed."""
    def write(uow: Any) -> None:
        account.record(uow.conn, UserInfo(username=ME, role=role, institutions=[assigned] if assigned else []))
        uow.conn.exec_driver_sql("DELETE FROM assigned_institution")
        for inst in set(pulled):
            uow.conn.exec_driver_sql("INSERT INTO assigned_institution (institution_id) VALUES (?)", (inst,))
        uow.commit()

    read_store(data_dir, write)


def _server_answer(role: str, assigned: str | None, name: str, record: dict[str, Any], inst: str,
                   own: dict[str, str]) -> Refusal | None:
    """The server's own code on the same facts: its UserScope as load_scope builds it."""
    scope = UserScope(User(1, ME, role, None, False), {assigned} if assigned else set(), dict(own))
    scope_id = None if ENTITIES[name].institution_path is None else inst
    return scope.write_refusal(ENTITIES[name], scope_id, record)


def _record(data_dir: Path, name: str, row_id: str) -> dict[str, Any]:
    found = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        f"SELECT * FROM {name} WHERE id = ?", (row_id,)).mappings().first())
    return dict(found)


@pytest.mark.parametrize("role", ["specialist", "admin"])
@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "unassigned"])
def test_every_editor_opens_in_the_mode_the_server_would_answer(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]],
    role: str, assigned: bool,
) -> None:
    world = _world(seed, data_dir)
    [expert] = seed("expert", [{"name": "张教授"}])
    _as_pulled(data_dir)
    own = {world["own_pending"]["institution"]: "pending"}
    ctx = make_ctx("zh_CN")
    ctx.username = ME
    seen = []
    for state, ids in world.items():
        inst = ids["institution"]
        _sign_in_as(data_dir, role, inst if assigned else None,
                    ([inst] if assigned else []) + list(own))
        cases = [(name, ids[name]) for name in EDITED] + ([("expert", expert)] if state == "listed" else [])
        for name, row_id in cases:
            expected = _server_answer(role, inst if assigned else None, name, _record(data_dir, name, row_id),
                                      inst, own)
            editor = open_loaded(qtbot, ctx, name, row_id)
            assert isinstance(editor, EditorDialog)
            assert editor.read_only == expected, (state, name)
            assert editor.save_button.isVisible() == (expected is None), (state, name)
            assert editor.read_only_banner.isVisible() == (expected is not None), (state, name)
            assert editor.form.isEnabled() == (expected is None), (state, name)
            seen.append(expected)
            editor.close()
    # The walk met both answers (a walk where everything is editable proves nothing).
    assert None in seen and (role == "admin" or any(seen))


def test_another_institutions_achievement_reads_why_in_chinese_and_copies_as_new(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]],
    zh_translator: None,
) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute"}])
    [ach] = seed("achievement", [{"institution_id": inst, "title": "激光测距仪", "keywords": ["激光"]}])
    _as_pulled(data_dir)
    _sign_in_as(data_dir, "specialist", None, [])
    ctx = make_ctx("zh_CN")
    ctx.username = ME
    editor = open_loaded(qtbot, ctx, "achievement", ach)
    reason = editor.read_only_banner.label.text()
    assert "该机构未分配给您" in reason and "not assigned" not in reason
    assert editor.read_only_banner.copy_button.isVisible()
    assert editor.windowTitle() == "查看科技成果"
    editor.save()  # Ctrl+S on a read-only record does nothing
    assert ctx.runner.pending() == 0 and editor.isVisible()
    before = len(OPENED)
    editor.read_only_banner.copy_button.click()
    qtbot.waitUntil(lambda: any(isinstance(w, EditorDialog) and w is not editor and w.isVisible()
                                for w in _top_editors()))
    copy = next(w for w in _top_editors() if w is not editor and w.isVisible())
    OPENED.append(copy)
    qtbot.waitUntil(lambda: copy.state.is_loaded)
    assert copy.editable and copy.state.creating
    values = copy.form.values()
    assert values["title"] == "激光测距仪" and values["keywords"] in (["激光"], "激光")
    assert not values.get("institution_id")
    assert len(OPENED) == before + 1


def _top_editors() -> list[EditorDialog]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, EditorDialog)]


def test_a_proposal_made_here_and_not_sent_yet_stays_editable(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]],
) -> None:
    """The server makes it this user's pending proposal when it arrives, so its profile and records are theirs."""
    [inst] = seed("institution", [{"name": "新发现的企业", "org_type": "enterprise"}])
    [contact] = seed("contact", [{"institution_id": inst, "name": "赵经理"}])
    _sign_in_as(data_dir, "specialist", None, [])
    ctx = make_ctx("zh_CN")
    ctx.username = ME
    for name, row_id in (("institution", inst), ("contact", contact)):
        editor = open_loaded(qtbot, ctx, name, row_id)
        assert editor.editable and editor.save_button.isVisible(), name
        editor.close()


def test_propose_a_correction_sends_a_note_about_the_record(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]],
) -> None:
    """The way forward for an expert (the market's record): a note to the administrators, queued for the sync."""
    [expert] = seed("expert", [{"name": "张教授", "unit": "吉林大学"}])
    _as_pulled(data_dir)
    _sign_in_as(data_dir, "specialist", None, [])
    ctx = make_ctx("zh_CN")
    ctx.username = ME
    editor = open_loaded(qtbot, ctx, "expert", expert)
    assert editor.read_only is Refusal.ADMIN_ONLY
    assert editor.read_only_banner.correct_button.isVisible() and not editor.read_only_banner.copy_button.isVisible()
    note = editor.propose_correction()  # deleted on close (its save closes it)
    qtbot.waitUntil(lambda: note.state.is_loaded and ctx.runner.pending() == 0)
    assert note.editable and list(note.form.inputs) == ["note"]  # the record it is about goes along unseen
    note.form.set_values({"note": "单位已更名为吉林大学白求恩医学部"})
    with qtbot.waitSignal(note.saved):
        note.save()
    sent = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT target_entity, target_id, note FROM correction").fetchall())
    assert [tuple(r) for r in sent] == [("expert", expert, "单位已更名为吉林大学白求恩医学部")]
    queued = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT op FROM outbox WHERE entity = 'correction'").fetchall())
    assert [r[0] for r in queued] == ["create"]


@pytest.mark.parametrize("role", ["specialist", "admin"])
def test_a_new_records_institution_picker_offers_only_what_the_server_takes(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]], role: str,
) -> None:
    mine, other = seed("institution", [{"name": n, "org_type": "enterprise"} for n in ("分配的企业", "别人的企业")])
    _as_pulled(data_dir)
    _sign_in_as(data_dir, role, mine, [mine])
    ctx = make_ctx("zh_CN")
    ctx.username = ME
    editor = open_loaded(qtbot, ctx, "demand", None)
    picker = editor.form.inputs["institution_id"]
    qtbot.waitUntil(lambda: picker.combo.count() > 1)  # type: ignore[attr-defined]
    offered = {picker.combo.itemData(i) for i in range(1, picker.combo.count())}  # type: ignore[attr-defined]
    assert offered == ({mine} if role == "specialist" else {mine, other})
