"""Opening an attachment (#13.1, client side): the local copy is named from the checked type's extension, the bytes
are checked against that type first, and only viewable types go to the system opener (others: show in folder)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from specialist_app.gui import attachments as attachments_module
from specialist_app.gui.attachments import AttachmentsPanel
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.visit_editor import VisitEditor
from specialist_app.services.attachments import AttachmentRefused, local_copy
from tests.specialist_app.gui.editor_helpers import close_opened, wait_loaded

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
SCRIPT = b"@echo off\r\nstart calc.exe\r\n"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024  # a legacy Word file without a macro project


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What was handed to the system opener (none reaches a real one)."""
    urls: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(attachments_module, "open_url", fake_open)
    return urls


def visit_with(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
               files: list[tuple[str, str, bytes]]) -> AttachmentsPanel:
    """A saved visit whose attachment rows (as pulled from a colleague) name these (file name, type, bytes)."""
    [inst] = seed("institution", [{"name": "吉林农业大学", "org_type": "university"}])
    [visit] = seed("visit", [{"institution_id": inst, "status": "done", "visited_at": "2026-01-05 10:00"}])
    rows = []
    for filename, mime, data in files:
        sha = hashlib.sha256(data).hexdigest()
        rows.append({"owner_entity": "visit", "owner_id": visit, "filename": filename, "mime_type": mime,
                     "size": len(data), "sha256": sha})
    seed("attachment", rows)
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, visit))
    assert editor.attachments is not None
    panel = editor.attachments
    panel.folder.mkdir(parents=True, exist_ok=True)
    for (_name, _mime, data), row in zip(files, rows, strict=True):
        (panel.folder / row["sha256"]).write_bytes(data)
    qtbot.waitUntil(lambda: len(panel.stored) == len(files))
    return panel


def select(panel: AttachmentsPanel, filename: str) -> None:
    panel.list.setCurrentRow(next(i for i in range(panel.list.count()) if panel.list.item(i).text() == filename))


def test_the_copy_is_named_from_the_checked_type_never_the_senders_extension(
    qtbot: QtBot, zh_translator: None, ctx: AppContext, seed: Callable[..., list[str]], opened: list[QUrl]
) -> None:
    panel = visit_with(qtbot, ctx, seed, [("走访纪要.pdf.bat", "application/pdf", PDF)])
    select(panel, "走访纪要.pdf.bat")
    assert panel.open_button.text() == "打开"
    panel.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    shown = Path(opened[0].toLocalFile())
    assert shown.name == "走访纪要_pdf.pdf" and shown.read_bytes() == PDF
    assert shown.parent.parent == panel.opened_folder


def test_bytes_that_are_not_their_type_are_never_opened(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], opened: list[QUrl]
) -> None:
    panel = visit_with(qtbot, ctx, seed, [("走访纪要.pdf", "application/pdf", SCRIPT)])
    select(panel, "走访纪要.pdf")
    panel.open_button.click()
    qtbot.waitUntil(panel.error_label.isVisible)
    assert "文件内容不是所声明的类型（application/pdf）" in panel.error_label.text()
    assert opened == [] and not list(panel.opened_folder.rglob("*.pdf"))


def test_a_type_that_is_not_viewable_is_shown_in_its_folder(
    qtbot: QtBot, zh_translator: None, ctx: AppContext, seed: Callable[..., list[str]], opened: list[QUrl]
) -> None:
    panel = visit_with(qtbot, ctx, seed, [("合同.doc", "application/msword", OLE_DOC),
                                          ("照片说明.txt", "text/plain", "现场照片说明".encode())])
    select(panel, "合同.doc")
    assert panel.open_button.text() == "在文件夹中显示"
    panel.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    folder = Path(opened[0].toLocalFile())
    assert folder.is_dir() and [p.name for p in folder.iterdir()] == ["合同.doc"]
    assert panel.note_label.isVisible() and "合同.doc" in panel.note_label.text() and "宏" in panel.note_label.text()
    select(panel, "照片说明.txt")  # a viewable one: opened again, the note goes
    assert panel.open_button.text() == "打开" and not panel.note_label.isVisible()
    panel.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert Path(opened[1].toLocalFile()).name == "照片说明.txt"


def test_a_file_name_cannot_point_outside_the_folder(tmp_path: Path) -> None:
    blob = tmp_path / "abc"
    blob.write_bytes(PDF)
    copy = local_copy(blob, "../../evil.pdf", "application/pdf", tmp_path / "opened")
    assert copy.path.parent.parent == tmp_path / "opened" and copy.path.name == "evil.pdf" and copy.viewable
    with pytest.raises(AttachmentRefused) as refused:
        local_copy(blob, "x.exe", "application/x-msdownload", tmp_path / "opened")
    assert refused.value.code == "blob_type_not_allowed"
