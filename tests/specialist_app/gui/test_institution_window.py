"""The institution page: profile, contacts, visit history newest first with follow-ups, achievements, demands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.institution_models import AchievementsModel, ContactsModel, DemandsModel, VisitHistoryModel
from specialist_app.gui.institution_window import InstitutionWindow
from specialist_app.gui.institutions_model import COL_NAME
from specialist_app.gui.pages.institutions import InstitutionsPage
from tests.specialist_app.gui.editor_helpers import OPENED, close_opened, wait_loaded


@pytest.fixture(autouse=True)
def close_windows() -> Iterator[None]:
    yield
    close_opened()


def test_page_shows_profile_contacts_history_and_collected(qtbot: QtBot, ctx: AppContext,
                                                           seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute", "region_code": "220104"}])
    seed("contact", [{"institution_id": inst, "name": "刘主任"}])
    older, newer = seed("visit", [
        {"institution_id": inst, "status": "done", "visited_at": "2025-01-10T02:00:00Z", "purpose": "首次走访"},
        {"institution_id": inst, "status": "done", "visited_at": "2025-03-05T02:00:00Z", "purpose": "回访"},
    ])
    seed("follow_up", [{"visit_id": older, "action": "寄送材料", "due_date": "2025-01-20"}])
    seed("achievement", [{"title": "激光测距仪", "institution_id": inst, "trl": 6}])
    seed("demand", [{"title": "精密光学检测", "institution_id": inst, "demand_type": "tackling"}])

    window = InstitutionWindow(ctx, inst)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.history is not None)
    assert window.name_label.text() == "长春光机所"
    assert window.profile_values["region_code"].text() == "吉林省长春市朝阳区"
    assert window.profile_values["region_code"].toolTip() == "220104"  # the code on hover
    assert window.contacts_model.index(0, ContactsModel.COL_NAME).data() == "刘主任"
    history = window.visits_model
    purposes = [history.index(i, VisitHistoryModel.COL_TEXT).data() for i in range(history.rowCount())]
    assert purposes == ["回访", "首次走访"]  # newest first
    first_visit = history.index(1, 0)
    assert history.rowCount(first_visit) == 1
    assert history.index(0, VisitHistoryModel.COL_TEXT, first_visit).data() == "寄送材料"
    assert window.achievements_model.index(0, AchievementsModel.COL_TITLE).data() == "激光测距仪"
    assert window.demands_model.index(0, DemandsModel.COL_TITLE).data() == "精密光学检测"
    assert newer  # both visits listed

    window.plan_button.click()
    planner = next(w for w in window.findChildren(EditorDialog))
    wait_loaded(qtbot, ctx, planner)
    qtbot.waitUntil(lambda: planner.institution_id() == inst)  # pre-filled with this institution
    assert planner.form.values()["status"] == "planned"


def test_double_click_in_my_institutions_opens_the_page(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                                        seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "吉林化工学院", "org_type": "university"}])
    page = InstitutionsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.open_institution(page.model.index(0, COL_NAME))
    [window] = page.findChildren(InstitutionWindow)
    OPENED.append(window)
    qtbot.waitUntil(lambda: window.history is not None)
    assert window.institution_id == inst

    page.propose_button.click()
    [proposal] = page.findChildren(EditorDialog)
    wait_loaded(qtbot, ctx, proposal)
    assert "status" not in proposal.form.inputs  # the server sets the review status (pending)
    assert shiboken6.isValid(proposal)


def _set_server_fields(data_dir: Path, inst: str, status: str, proposed_by: str | None) -> None:
    """What a pull would store: the server sets status and proposed_by, never the client."""
    from tests.specialist_app.gui.editor_helpers import read_store

    def write(uow: object) -> None:
        conn = uow.conn  # type: ignore[attr-defined]
        conn.exec_driver_sql("UPDATE institution SET status = ?, proposed_by = ?, server_version = 1 WHERE id = ?",
                             (status, proposed_by, inst))
        uow.commit()  # type: ignore[attr-defined]

    read_store(data_dir, write)


def _set_role(data_dir: Path, role: str) -> None:
    from specialist_app.services import account
    from sync.protocol import UserInfo
    from tests.specialist_app.gui.editor_helpers import read_store

    def write(uow: object) -> None:
        account.record(uow.conn, UserInfo(username="kim", role=role))  # type: ignore[attr-defined]
        uow.commit()  # type: ignore[attr-defined]

    read_store(data_dir, write)


def _edit_state(qtbot: QtBot, ctx: AppContext, inst: str) -> tuple[bool, str]:
    window = InstitutionWindow(ctx, inst)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.history is not None)
    button = window.edit_profile_button
    return button.isEnabled(), button.toolTip()


def test_edit_profile_is_offered_only_where_the_server_allows_it(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]]
) -> None:
    mine, theirs, listed = seed("institution", [{"name": n, "org_type": "university"}
                                                for n in ("我提议的机构", "别人提议的机构", "已上架的机构")])
    _set_server_fields(data_dir, mine, "pending", "kim")
    _set_server_fields(data_dir, theirs, "pending", "lee")
    _set_server_fields(data_dir, listed, "active", None)
    ctx = make_ctx("en")
    ctx.username = "kim"  # a specialist (role as last synced: unknown, so treated as a specialist)
    assert _edit_state(qtbot, ctx, mine) == (True, "Edit this institution's profile")
    enabled, why = _edit_state(qtbot, ctx, theirs)
    assert not enabled and "only your own pending proposals" in why
    enabled, why = _edit_state(qtbot, ctx, listed)
    assert not enabled and "only your own pending proposals" in why

    _set_role(data_dir, "admin")
    assert _edit_state(qtbot, ctx, listed)[0] is True
    assert _edit_state(qtbot, ctx, theirs)[0] is True


def test_a_local_profile_without_a_server_edits_every_profile(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]]
) -> None:
    [listed] = seed("institution", [{"name": "本地机构", "org_type": "university"}])
    _set_server_fields(data_dir, listed, "active", None)
    ctx = make_ctx("zh_CN")
    assert ctx.username is None
    assert _edit_state(qtbot, ctx, listed)[0] is True


def test_new_records_are_offered_only_for_an_institution_the_user_may_write(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, seed: Callable[..., list[str]]
) -> None:
    """Plan/log a visit, new achievement/demand, add contact: the server takes them only for an assigned institution
    (or the user's own pending proposal), so elsewhere the buttons are off and say why."""
    from specialist_app.services import account
    from sync.protocol import UserInfo
    from tests.specialist_app.gui.editor_helpers import read_store

    mine, other = seed("institution", [{"name": n, "org_type": "university"} for n in ("分配的大学", "别人的大学")])
    for inst in (mine, other):
        _set_server_fields(data_dir, inst, "active", None)

    def assign(uow: object) -> None:
        conn = uow.conn  # type: ignore[attr-defined]
        account.record(conn, UserInfo(username="kim", role="specialist", institutions=[mine]))
        conn.exec_driver_sql("INSERT INTO assigned_institution (institution_id) VALUES (?)", (mine,))
        uow.commit()  # type: ignore[attr-defined]

    read_store(data_dir, assign)
    ctx = make_ctx("en")
    ctx.username = "kim"
    for inst, allowed in ((mine, True), (other, False)):
        window = InstitutionWindow(ctx, inst)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda w=window: w.history is not None)
        assert [b.isEnabled() for b in window.record_buttons] == [allowed] * 5, inst
        assert ("institution not assigned to you" in window.plan_button.toolTip()) is not allowed
