"""Drafts: atomic files; an editor's typing survives closing it and a crash; saving clears the draft."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.drafts import DraftFiles
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, outbox_rows, type_chinese


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_draft_files_are_written_whole_and_cleared(tmp_path: Path) -> None:
    files = DraftFiles(tmp_path / "drafts")
    assert files.load("achievement-new-any") is None
    files.save("achievement-new-any", {"values": {"title": "玉米"}})
    files.save("achievement-new-any", {"values": {"title": "玉米秸秆"}})
    assert files.load("achievement-new-any")["content"] == {"values": {"title": "玉米秸秆"}}  # type: ignore[index]
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == ["achievement-new-any.json"]  # no temp left
    assert files.keys() == ["achievement-new-any"]
    (tmp_path / "drafts" / "achievement-new-any.json").write_text("{half", encoding="utf-8")
    assert files.load("achievement-new-any") is None  # a damaged draft is ignored, not an error
    files.clear("achievement-new-any")
    files.clear("achievement-new-any")
    assert files.keys() == []


def test_closing_the_editor_keeps_the_draft_and_saving_clears_it(qtbot: QtBot, ctx: AppContext,
                                                                 data_dir: Path) -> None:
    files = DraftFiles.for_profile(data_dir, ctx.profile)
    editor = open_loaded(qtbot, ctx, "achievement")
    type_chinese(editor.form.inputs["title"].widget, "人参组培")
    qtbot.keyClicks(editor.form.inputs["summary"].widget, "typed, never saved")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # closes at once: the draft is written on the way out
    qtbot.waitUntil(lambda: files.load("achievement-new-any") is not None)
    assert outbox_rows(data_dir) == []

    again = open_loaded(qtbot, ctx, "achievement")
    qtbot.waitUntil(again.draft_banner.isVisible)
    assert again.form.values()["title"] == ""
    qtbot.mouseClick(again.restore_button, Qt.MouseButton.LeftButton)
    assert again.form.values()["title"] == "人参组培"
    assert again.form.values()["summary"] == "typed, never saved"
    with qtbot.waitSignal(again.saved):
        qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: files.load("achievement-new-any") is None)
    assert [row[0] for row in outbox_rows(data_dir)] == ["achievement"]


def test_a_crash_loses_at_most_the_last_second(qtbot: QtBot, ctx: AppContext, data_dir: Path) -> None:
    files = DraftFiles.for_profile(data_dir, ctx.profile)
    editor = open_loaded(qtbot, ctx, "demand")
    type_chinese(editor.form.inputs["title"].widget, "秸秆饲料化")
    qtbot.waitUntil(lambda: files.load("demand-new-any") is not None)  # autosaved while typing
    shiboken6.delete(editor)  # gone without close(), done() or a save: as in a crash

    again = open_loaded(qtbot, ctx, "demand")
    qtbot.waitUntil(again.draft_banner.isVisible)
    qtbot.mouseClick(again.restore_button, Qt.MouseButton.LeftButton)
    assert again.form.values()["title"] == "秸秆饲料化"
    qtbot.mouseClick(again.discard_button, Qt.MouseButton.LeftButton)
