"""The editor's lifecycle is one state: loading, creating or editing, saving, closed; and the editor picked by
entity from a registry (institution-only review lines live in the institution's own editor)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.institution_editor import InstitutionEditor
from specialist_app.gui.editors.lifecycle import EditorState, IllegalMove, Phase
from specialist_app.gui.editors.visit_editor import VisitEditor
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, outbox_rows


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_a_new_record_is_created_once_then_edited() -> None:
    state = EditorState(new=True)
    assert state.phase is Phase.LOADING and state.creating and not state.may_save
    state.loaded()
    state.saving()
    assert state.creating and not state.may_save  # the running save still creates
    state.save_failed()
    assert state.phase is Phase.CREATING
    state.saving()
    state.saved()
    assert state.phase is Phase.EDITING and not state.creating
    state.closed()
    assert state.is_closed and not state.takes_typing
    with pytest.raises(IllegalMove):
        state.loaded()


def test_filling_pickers_is_not_typing() -> None:
    state = EditorState(new=False)
    assert not state.takes_typing  # loading
    state.loaded()
    with state.quiet():
        assert not state.takes_typing
    assert state.takes_typing


def test_saving_twice_quickly_creates_the_record_once_and_keeps_editing_it(
    qtbot: QtBot, ctx: AppContext, data_dir: Path
) -> None:
    dialog = open_loaded(qtbot, ctx, "expert")
    assert dialog.state.phase is Phase.CREATING
    dialog.form.inputs["name"].set_value("王教授")
    dialog.save(close=False)
    dialog.save(close=False)  # Ctrl+S again while the first save runs: ignored, not a second create
    assert dialog.state.phase is Phase.SAVING
    qtbot.waitUntil(lambda: dialog.state.phase is Phase.EDITING)
    dialog.form.inputs["name"].set_value("王建国教授")
    dialog.save(close=False)
    qtbot.waitUntil(lambda: dialog.state.phase is Phase.EDITING and ctx.runner.pending() == 0)
    assert [op for entity, _id, op in outbox_rows(data_dir) if entity == "expert"] == ["create"]  # coalesced


def test_each_entity_opens_its_own_editor(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute"}])
    assert isinstance(open_loaded(qtbot, ctx, "institution", inst), InstitutionEditor)
    assert isinstance(open_loaded(qtbot, ctx, "visit"), VisitEditor)
    achievement = open_loaded(qtbot, ctx, "achievement")
    assert isinstance(achievement, EditorDialog) and achievement.child_entities() == ("ip_item",)
    assert achievement.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
