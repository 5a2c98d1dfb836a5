"""Refused changes on the Sync page: "Fix…" opens the record's editor beside the reason; "Dismiss" hides it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.rejected import RejectedChangeDialog
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.services.conflicts import list_rejections
from specialist_app.services.uow import UnitOfWork
from tests.specialist_app.gui.editor_helpers import OPENED, close_opened, read_store

Seed = Callable[..., list[str]]


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def refuse(data_dir: Path, seq: int, entity: str, row_id: str, field: str, value: object) -> None:
    """A change the market refused at the last sync (as the sync engine records it)."""
    problems = [{"field": field, "code": "too_long", "params": {"max": 10}}]

    def insert(uow: UnitOfWork) -> None:
        uow.conn.exec_driver_sql(
            "INSERT INTO rejection (seq, entity, row_id, op, fields, reason, problems, message, created_at)"
            " VALUES (?, ?, ?, 'update', ?, 'invalid', ?, NULL, '2026-01-05T08:00:00Z')",
            (seq, entity, row_id, json.dumps({field: value}), json.dumps(problems)))
        uow.commit()

    read_store(data_dir, insert)


def open_page(qtbot: QtBot, ctx: AppContext, rows: int) -> SyncPage:
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.rejections_table.rowCount() == rows)
    return page


def test_fix_opens_the_records_editor_and_the_reason(qtbot: QtBot, ctx: AppContext, seed: Seed,
                                                     data_dir: Path) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    [achievement] = seed("achievement", [{"title": "玉米秸秆还田", "institution_id": inst}])
    refuse(data_dir, 7, "achievement", achievement, "title", "一个太长的成果名称")
    page = open_page(qtbot, ctx, 1)
    assert "玉米秸秆还田" in page.rejections_table.item(0, 0).text()  # type: ignore[union-attr]
    assert page.fix_button.isEnabled()
    page.rejections_table.selectRow(0)
    page.fix_button.click()
    editors = [w for w in QApplication.topLevelWidgets() if isinstance(w, EditorDialog) and w.isVisible()]
    OPENED.extend(editors)
    assert [e.record_id for e in editors] == [achievement]
    editor = editors[0]
    qtbot.waitUntil(lambda: editor.state.is_loaded)
    assert editor.form.values()["title"] == "玉米秸秆还田" and not editor.state.creating
    reasons = page.findChildren(RejectedChangeDialog)
    assert len(reasons) == 1 and reasons[0].isVisible()
    assert "Title" in reasons[0].reason.text() or "成果名称" in reasons[0].reason.text()
    reasons[0].close()


def test_dismiss_hides_the_refused_change(qtbot: QtBot, ctx: AppContext, seed: Seed, data_dir: Path) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    refuse(data_dir, 3, "institution", inst, "name", "x" * 20)
    refuse(data_dir, 4, "institution", inst, "address", "y" * 20)
    page = open_page(qtbot, ctx, 2)
    page.rejections_table.selectRow(1)
    page.dismiss_button.click()
    qtbot.waitUntil(lambda: page.rejections_table.rowCount() == 1)
    left = read_store(data_dir, lambda uow: list_rejections(uow.conn))
    assert [r["seq"] for r in left] == [3]
    every = read_store(data_dir, lambda uow: list_rejections(uow.conn, include_dismissed=True))
    assert [r["seq"] for r in every] == [3, 4]


def test_a_refused_match_record_is_named_by_its_demand_and_partner(qtbot: QtBot, ctx: AppContext, seed: Seed,
                                                                   data_dir: Path) -> None:
    """A match has no title of its own (its event name, empty for a suggestion's): the Refused changes tab said only
    对接记录 | 新建记录 in a real window, leaving the specialist to guess which match the market sent back."""
    [inst] = seed("institution", [{"name": "长春恒通生物科技股份有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [{"title": "玉米胚芽国产化替代技术需求", "demand_type": "adoption",
                                "institution_id": inst}])
    [ach] = seed("achievement", [{"title": "全谷物代餐粉在玉米深加工企业中的推广应用", "institution_id": inst}])
    [match] = seed("match_record", [{"demand_id": demand, "achievement_id": ach, "source": "algorithm",
                                     "stage": "recommended"}])
    refuse(data_dir, 5, "match_record", match, "stage", "recommended")
    page = open_page(qtbot, ctx, 1)
    shown = page.rejections_table.item(0, 0).text()  # type: ignore[union-attr]
    assert "玉米胚芽国产化替代技术需求 ↔ 全谷物代餐粉在玉米深加工企业中的推广应用" in shown


def test_the_refused_change_names_the_institution_not_its_id(qtbot: QtBot, ctx: AppContext, seed: Seed,
                                                              data_dir: Path) -> None:
    """The walk in the real window: 被大市场退回的修改 listed 成果权属单位 019b76da-a805-7574-beca-01327f3073ff."""
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    [achievement] = seed("achievement", [{"title": "测试回车键", "institution_id": inst}])
    refuse(data_dir, 8, "achievement", achievement, "institution_id", inst)
    item = read_store(data_dir, lambda uow: list_rejections(uow.conn))[0]
    dialog = RejectedChangeDialog(ctx, item)
    qtbot.addWidget(dialog)
    dialog.show()

    def shown() -> list[str]:
        return [w.text() for w in dialog.findChildren(QLabel)]

    qtbot.waitUntil(lambda: "吉林大学" in shown())
    assert inst not in shown()
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
