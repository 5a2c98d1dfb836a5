"""Pickers: a name typed that is none of the choices is said so (not “required”) and nothing is saved; a
specialist's new achievement needs one of their institutions before it is saved (not a refusal at the next sync).

The walk in the real window: a new demand from the 技术需求 page, 需求企业 typed in full (a company not assigned to the
specialist, so not offered); the save said “需求企业”为必填项 under the field showing that very name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.ref_inputs import RefInput
from specialist_app.services import records
from tests.specialist_app.gui.editor_helpers import (
    close_opened,
    open_loaded,
    outbox_rows,
    pick,
    read_store,
    signed_in_offline,
    type_chinese,
)


def _demands(data_dir: Path) -> list[tuple[str, str, str]]:
    return [row for row in outbox_rows(data_dir) if row[0] == "demand"]  # (the seeded institution is there too)


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_an_unlisted_institution_is_named_in_the_message_and_not_saved(
        qtbot: QtBot, ctx: AppContext, data_dir: Path, seed: Callable[..., list[str]],
        zh_translator: None) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    dialog = open_loaded(qtbot, ctx, "demand")
    form = dialog.form
    owner = form.inputs["institution_id"]
    assert isinstance(owner, RefInput)
    qtbot.waitUntil(lambda: owner.combo.findData(inst) > 0)
    type_chinese(form.inputs["title"].widget, "电池包壳体轻量化")
    pick(form.inputs["demand_type"], "技术攻关")
    line = owner.combo.lineEdit()
    assert line is not None
    type_chinese(line, "长春远航新能源汽车科技股份有限公司")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    said = form.error_text("institution_id")
    assert "长春远航新能源汽车科技股份有限公司" in said and "名单" in said and "提议新机构" in said
    assert "必填" not in said
    assert _demands(data_dir) == []

    line.selectAll()
    type_chinese(line, "吉林大学")  # the listed name typed in full is that choice
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [op for _entity, _id, op in _demands(data_dir)] == ["create"]


def test_an_optional_picker_with_an_unlisted_name_is_not_saved_empty(
        qtbot: QtBot, ctx: AppContext, data_dir: Path, seed: Callable[..., list[str]],
        zh_translator: None) -> None:
    """来源走访 may stay empty, but a name typed there and dropped on save would be lost without a word."""
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    dialog = open_loaded(qtbot, ctx, "demand", prefill={"institution_id": inst}, draft_context=inst)
    form = dialog.form
    qtbot.waitUntil(lambda: form.inputs["institution_id"].value() == inst)
    type_chinese(form.inputs["title"].widget, "电池包壳体轻量化")
    pick(form.inputs["demand_type"], "技术攻关")
    visit = form.inputs["source_visit_id"]
    assert isinstance(visit, RefInput)
    line = visit.combo.lineEdit()
    assert line is not None
    type_chinese(line, "十月走访")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    said = form.error_text("source_visit_id")
    assert "十月走访" in said and "提议新机构" not in said
    assert _demands(data_dir) == []


def test_a_specialists_new_achievement_needs_one_of_their_institutions(
        qtbot: QtBot, ctx: AppContext, data_dir: Path, seed: Callable[..., list[str]]) -> None:
    """The walk in the real window: 科技成果 → 新建, a title typed and Enter: saved with 成果权属单位 empty; the next
    sync came back 修改被退回 (您没有权限修改该记录（请选择分配给您的机构）). The form now asks for it first."""
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    signed_in_offline(data_dir, ctx, "liwalk", inst)
    dialog = open_loaded(qtbot, ctx, "achievement")
    form = dialog.form
    owner = form.inputs["institution_id"]
    assert isinstance(owner, RefInput)
    qtbot.waitUntil(lambda: owner.combo.findData(inst) > 0)
    assert form.labels["institution_id"].text().endswith("＊")
    type_chinese(form.inputs["title"].widget, "测试回车键")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.error_text("institution_id") == "请选择分配给您的机构"
    assert [row for row in outbox_rows(data_dir) if row[0] == "achievement"] == []

    owner.set_value(inst)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_without_an_account_the_institution_stays_optional(
        qtbot: QtBot, ctx: AppContext, data_dir: Path) -> None:
    """A local profile (no server account) or an administrator: the contract's rule, an achievement may have none."""
    dialog = open_loaded(qtbot, ctx, "achievement")
    assert not dialog.form.labels["institution_id"].text().endswith("＊")
    type_chinese(dialog.form.inputs["title"].widget, "目录成果")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_a_refused_achievement_without_an_institution_opens_to_be_fixed(
        qtbot: QtBot, ctx: AppContext, data_dir: Path, seed: Callable[..., list[str]]) -> None:
    """The walk in the real window: 同步 → 被退回的修改 said 请修改记录后再次同步; 修改… opened 测试回车键 read-only
    (没有所属机构的记录由管理员维护), so it could not be fixed. A record the market never took opens to be edited,
    with the institution to choose from the user's own."""
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    [refused] = seed("achievement", [{"title": "测试回车键"}])  # saved here, never taken by the market
    signed_in_offline(data_dir, ctx, "liwalk", inst)  # (it marks what was seeded as on the server...)
    read_store(data_dir, lambda uow: (uow.conn.exec_driver_sql(
        "UPDATE achievement SET server_version = NULL WHERE id = ?", (refused,)), uow.commit()))  # (...but this)
    dialog = open_loaded(qtbot, ctx, "achievement", refused)
    form = dialog.form
    assert dialog.read_only is None and dialog.save_button.isVisible()
    owner = form.inputs["institution_id"]
    assert isinstance(owner, RefInput)
    qtbot.waitUntil(lambda: owner.combo.findData(inst) > 0)
    assert form.labels["institution_id"].text().endswith("＊")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.error_text("institution_id") == "请选择分配给您的机构"
    owner.set_value(inst)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert read_store(data_dir, lambda uow: records.get(uow, "achievement", refused))["institution_id"] == inst


def test_an_achievement_the_market_has_without_an_institution_stays_read_only(
        qtbot: QtBot, ctx: AppContext, data_dir: Path, seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    [catalog] = seed("achievement", [{"title": "目录成果"}])
    signed_in_offline(data_dir, ctx, "liwalk", inst)  # the market has it (server_version 1): administrators' record
    dialog = open_loaded(qtbot, ctx, "achievement", catalog)
    assert dialog.read_only is not None and not dialog.save_button.isVisible()
