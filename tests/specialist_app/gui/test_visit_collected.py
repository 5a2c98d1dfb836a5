"""What a visit collected opens from the visit: 本次走访采集 lists it, a double-click opens its editor, and saving it
there updates the list (the walk in the real window: a double-click on 科技成果 · 寒区动力电池热管理系统 did
nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.form import reveal
from specialist_app.gui.editors.visit_editor import LOG, VisitEditor
from tests.specialist_app.gui.editor_helpers import close_opened, type_chinese, wait_loaded


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def _achievement_editors(visit: VisitEditor) -> list[EditorDialog]:
    return [d for d in visit.findChildren(EditorDialog) if d.isVisible()]  # the editors it opened


def test_a_collected_achievement_opens_from_the_visit_and_its_edit_shows_there(
        qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    visit = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=inst))
    qtbot.waitUntil(lambda: visit.institution_id() == inst)
    type_chinese(visit.form.inputs["purpose"].widget, "了解电池热管理成果")

    qtbot.mouseClick(visit.new_achievement_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_achievement_editors(visit)) == 1)
    new = wait_loaded(qtbot, ctx, _achievement_editors(visit)[0])
    type_chinese(new.form.inputs["title"].widget, "寒区动力电池热管理系统")
    with qtbot.waitSignal(new.saved) as saved:
        qtbot.mouseClick(new.save_button, Qt.MouseButton.LeftButton)
    achievement_id = saved.args[0]
    qtbot.waitUntil(lambda: visit.collected.count() == 1 and "寒区动力电池热管理系统" in visit.collected.item(0).text())
    qtbot.waitUntil(lambda: not _achievement_editors(visit))

    reveal(visit.collected, visit.collected)
    at = visit.collected.visualItemRect(visit.collected.item(0)).center()
    qtbot.mouseClick(visit.collected.viewport(), Qt.MouseButton.LeftButton, pos=at)  # the view acts on a press it saw
    qtbot.mouseDClick(visit.collected.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: len(_achievement_editors(visit)) == 1)
    opened = wait_loaded(qtbot, ctx, _achievement_editors(visit)[0])
    assert opened.record_id == achievement_id
    title = opened.form.inputs["title"].widget
    assert isinstance(title, QLineEdit) and title.text() == "寒区动力电池热管理系统"
    title.setFocus()
    title.end(False)
    type_chinese(title, "（样机）")
    with qtbot.waitSignal(opened.saved):
        qtbot.mouseClick(opened.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "寒区动力电池热管理系统（样机）" in visit.collected.item(0).text())
    assert visit.collected.count() == 1
