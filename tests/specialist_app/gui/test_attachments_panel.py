"""Saved attachments in the visit editor: opened in the system viewer under their name, removed on save."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from specialist_app.gui import attachments as attachments_module
from specialist_app.gui.attachments import AttachmentsPanel
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.visit_editor import VisitEditor
from tests.specialist_app.gui.editor_helpers import close_opened, outbox_rows, read_store, wait_loaded


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """The URLs handed to the system viewer (none reaches a real one)."""
    urls: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(attachments_module, "open_url", fake_open)
    return urls


def saved_visit_with_files(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
                           tmp_path: Path) -> tuple[VisitEditor, AttachmentsPanel]:
    [inst] = seed("institution", [{"name": "吉林农业大学", "org_type": "university"}])
    [visit] = seed("visit", [{"institution_id": inst, "status": "done", "visited_at": "2026-01-05 10:00"}])
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, visit))
    assert editor.attachments is not None
    panel = editor.attachments
    notes, report = tmp_path / "会议纪要.txt", tmp_path / "report.pdf"
    notes.write_text("纪要", encoding="utf-8")
    report.write_bytes(b"%PDF-1.4 test")
    panel.add_files([notes, report])
    qtbot.waitUntil(lambda: len(panel.added) == 2)
    with qtbot.waitSignal(editor.saved):
        editor.save(close=False)
    qtbot.waitUntil(lambda: len(panel.stored) == 2 and all(a.get("id") for a in panel.stored))
    assert panel.added == []
    return editor, panel


def select(panel: AttachmentsPanel, filename: str) -> None:
    row = next(i for i in range(panel.list.count()) if panel.list.item(i).text() == filename)
    panel.list.setCurrentRow(row)


def test_open_a_saved_attachment_under_its_name(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
                                                tmp_path: Path, opened: list[QUrl]) -> None:
    _editor, panel = saved_visit_with_files(qtbot, ctx, seed, tmp_path)
    select(panel, "会议纪要.txt")
    panel.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    shown = Path(opened[0].toLocalFile())
    assert opened[0].isLocalFile() and shown.name == "会议纪要.txt"
    assert shown.read_text(encoding="utf-8") == "纪要"
    assert shown.parent.parent == panel.opened_folder

    select(panel, "report.pdf")  # Enter or double-click on an item opens it too
    panel.list.itemActivated.emit(panel.list.currentItem())
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert Path(opened[1].toLocalFile()).name == "report.pdf"

    blob = panel.folder / str(next(a["sha256"] for a in panel.stored if a["filename"] == "report.pdf"))
    blob.unlink()  # not on this computer (e.g. not downloaded yet)
    for copy in panel.opened_folder.rglob("report.pdf"):
        copy.unlink()
    panel.open_selected()
    qtbot.waitUntil(panel.error_label.isVisible)
    assert "report.pdf" in panel.error_label.text() and len(opened) == 2


def test_remove_a_saved_attachment_deletes_its_record_on_save(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], tmp_path: Path, data_dir: Path
) -> None:
    editor, panel = saved_visit_with_files(qtbot, ctx, seed, tmp_path)
    select(panel, "report.pdf")
    removed_id = next(str(a["id"]) for a in panel.stored if a["filename"] == "report.pdf")
    panel.remove_button.click()
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == ["会议纪要.txt"]
    assert panel.removed_ids == [removed_id]
    live = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT filename FROM attachment WHERE deleted = 0 ORDER BY filename").fetchall())
    assert len(live) == 2  # nothing is deleted before saving

    with qtbot.waitSignal(editor.saved):
        editor.save(close=False)
    live = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT filename FROM attachment WHERE deleted = 0").fetchall())
    assert [row[0] for row in live] == ["会议纪要.txt"]
    # Never sent: the outbox forgets its create instead of sending a create and a delete.
    assert [row for row in outbox_rows(data_dir) if row[1] == removed_id] == []
    qtbot.waitUntil(lambda: [a["filename"] for a in panel.stored] == ["会议纪要.txt"])
    assert panel.removed_ids == []
