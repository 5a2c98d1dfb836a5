"""All of Qt speaks the app's language: Qt's own dialogs, menus, buttons and calendar follow zh_CN."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from specialist_app.gui import i18n

ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def zh_app(qtbot: QtBot) -> Iterator[None]:
    app = QCoreApplication.instance()
    assert app is not None
    translator = i18n.install_translator(app, "zh_CN")
    assert i18n.qt_translator_of(translator) is not None  # Qt's catalogue was found and installed
    yield
    i18n.remove_translator(app, translator)


def _english(texts: set[str], *data: str) -> list[str]:
    """Texts with English words, once mnemonics "(&X)", shortcuts after a tab and data (paths, "*") are set aside."""
    found = []
    for text in texts:
        plain = re.sub(r"\(&\w\)|&|\t.*$", "", text)
        for part in (*data, "*"):
            plain = plain.replace(part, "")
        if ENGLISH.search(plain):
            found.append(text)
    return sorted(found)


def _texts(root: QWidget) -> set[str]:
    out: set[str] = {root.windowTitle()}
    for widget in [root, *root.findChildren(QWidget)]:
        out.update((widget.toolTip(), widget.accessibleName()))
        if isinstance(widget, QAbstractButton | QLabel):
            out.add(widget.text())
        if isinstance(widget, QLineEdit):
            out.add(widget.placeholderText())
        if isinstance(widget, QComboBox):
            out.update(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and (model := widget.model()) is not None:
            out.update(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount()))
    out.update(text for action in root.findChildren(QAction) for text in (action.text(), action.toolTip()))
    return out


@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_a_file_dialog_has_no_english(qtbot: QtBot, zh_app: None, tmp_path: Path, mode: str) -> None:
    (tmp_path / "照片").mkdir()  # a folder and a document: the list's type column has words for both
    (tmp_path / "纪要.pdf").write_bytes(b"%PDF-1.4\n")
    dialog = QFileDialog(None, "选择文件", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog, as on desktops without a portal
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    folder = model.index(str(tmp_path))
    qtbot.waitUntil(lambda: model.rowCount(folder) >= (1 if mode == "folder" else 2))
    for view in (QFileDialog.ViewMode.List, QFileDialog.ViewMode.Detail):
        dialog.setViewMode(view)
        texts = _texts(dialog) | {str(model.index(row, 2, folder).data()) for row in range(model.rowCount(folder))}
        assert "文件夹" in texts
        assert "取消" in texts  # the check below sees the dialog's words
        assert _english(texts, str(tmp_path), "PDF") == []


def test_a_line_edit_menu_message_box_and_calendar_speak_chinese(qtbot: QtBot, zh_app: None) -> None:
    edit = QLineEdit("文字")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = {action.text() for action in menu.actions() if not action.isSeparator()}
    assert {"复制(&C)\tCtrl+C", "粘贴(&P)\tCtrl+V", "全选\tCtrl+A"} <= texts
    assert _english(texts) == []
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel
    box = QMessageBox(QMessageBox.Icon.Question, "同步", "现在同步？", buttons)
    qtbot.addWidget(box)
    assert _english({button.text() for button in box.buttons()}) == []
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().monthName(12) == "十二月"


def test_english_is_english_again_after_removing(qtbot: QtBot) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    i18n.remove_translator(app, i18n.install_translator(app, "zh_CN"))
    translator = i18n.install_translator(app, "en")
    try:
        assert i18n.qt_translator_of(translator) is None  # Qt speaks English by itself
        assert QLocale().language() == QLocale.Language.English
        edit = QLineEdit()
        qtbot.addWidget(edit)
        menu = edit.createStandardContextMenu()
        assert "&Copy\tCtrl+C" in {action.text() for action in menu.actions()}
    finally:
        i18n.remove_translator(app, translator)
