"""Required means required: a demand's type and status, the first bad field shown and focused, drafts restored clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.drafts import DraftFiles
from specialist_app.gui.editors.inputs import CodeInput
from specialist_app.services import records
from sync.entities import ENTITIES
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, pick, read_store, type_chinese


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def _in_view(widget: QWidget) -> bool:
    """Whether `widget` lies inside the visible part of the scroll area holding it."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area is not None
    viewport = area.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(top_left) and top_left.y() + widget.height() <= viewport.height()


def test_a_new_demand_is_open_and_needs_its_type(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                                 seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "长春某企业", "org_type": "enterprise"}])
    dialog = open_loaded(qtbot, ctx, "demand", prefill={"institution_id": inst}, draft_context=inst)
    form = dialog.form
    status = form.inputs["status"]
    assert isinstance(status, CodeInput) and status.value() == "open"  # the contract's default, shown
    assert form.labels["demand_type"].text().endswith("＊") and form.labels["status"].text().endswith("＊")
    qtbot.waitUntil(lambda: form.inputs["institution_id"].value() == inst)
    type_chinese(form.inputs["title"].widget, "秸秆饲料化")

    # Scrolled to the bottom, then Save: the form comes back to the type, focused, and says what is missing.
    dialog.resize(820, 320)
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    kind = form.inputs["demand_type"]
    qtbot.waitUntil(lambda: not _in_view(kind.widget))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.error_text("demand_type") == "“需求类型”为必填项"
    qtbot.waitUntil(lambda: kind.focus_widget().hasFocus() and _in_view(kind.widget))

    pick(kind, "技术攻关")
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = read_store(data_dir, lambda uow: records.get(uow, "demand", saved.args[0]))
    assert (stored["demand_type"], stored["status"]) == ("tackling", "open")


def test_of_several_bad_fields_the_first_is_focused(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_loaded(qtbot, ctx, "institution")
    form = dialog.form
    type_chinese(form.inputs["name"].widget, "吉林大学")
    pick(form.inputs["org_type"], "高等院校")
    qtbot.keyClicks(form.inputs["website"].widget, "not a website")
    qtbot.keyClicks(form.inputs["credit_code"].widget, "123")
    form.inputs["name"].focus_widget().setFocus()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    credit = form.inputs["credit_code"]
    assert form.error_text("credit_code") and form.error_text("website")
    qtbot.waitUntil(lambda: credit.focus_widget().hasFocus())  # the first of the two in the form's order


def test_a_restored_draft_shows_no_false_required_error(qtbot: QtBot, ctx: AppContext, data_dir: Path) -> None:
    files = DraftFiles.for_profile(data_dir, ctx.profile)
    editor = open_loaded(qtbot, ctx, "demand")
    type_chinese(editor.form.inputs["title"].widget, "秸秆饲料化")
    pick(editor.form.inputs["demand_type"], "联合研发")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: files.load("demand-new-any") is not None)

    again = open_loaded(qtbot, ctx, "demand")
    qtbot.waitUntil(again.draft_banner.isVisible)
    assert again.form.first_input() is not None and again.form.first_input().hasFocus()  # type: ignore[union-attr]
    qtbot.mouseClick(again.restore_button, Qt.MouseButton.LeftButton)  # the title field loses focus, still empty
    form = again.form
    assert form.values()["title"] == "秸秆饲料化" and form.values()["demand_type"] == "joint_rd"
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
    assert {name: form.error_text(name) for name in form.errors if form.error_text(name)} == {}


def test_a_bad_child_row_is_focused_when_the_form_is_fine(qtbot: QtBot, ctx: AppContext,
                                                         seed: Callable[..., list[str]]) -> None:
    from specialist_app.gui.editors.visit_editor import LOG, VisitEditor
    from tests.specialist_app.gui.editor_helpers import wait_loaded

    [inst] = seed("institution", [{"name": "长春某企业", "org_type": "enterprise"}])
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=inst))
    follow_ups = editor.child_tables["follow_up"]
    qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(follow_ups.cell(0, "action").widget, "Send the quote")
    editor.form.inputs["purpose"].focus_widget().setFocus()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)  # row 2 has no action
    action = follow_ups.cell(1, "action")
    qtbot.waitUntil(lambda: action.focus_widget().hasFocus())


def test_a_code_label_with_an_ampersand_is_shown_as_written(qtbot: QtBot) -> None:
    """The English demand form showed 合作方式 "Joint R&D platform" as "Joint RD platform" with the D underlined
    (Alt+D ticked it): the label's & was taken for a keyboard mnemonic."""
    from PySide6.QtGui import QKeySequence

    from specialist_app.gui.editors.inputs import CodesInput

    coop = CodesInput(ENTITIES["demand"].field("coop_modes"), "en")
    check = coop.boxes["platform"]
    qtbot.addWidget(coop.widget)
    assert check.accessibleName() == "Joint R&D platform"
    assert QKeySequence.mnemonic(check.text()).isEmpty()
