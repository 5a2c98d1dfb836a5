"""A 帮助 menu (#14.9): the user guide shipped with the app opens offline in the app's language, and About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.help import GuideWindow, guide_path
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.smoke import check_user_guide


def test_help_opens_the_guide_in_chinese_and_about(qtbot: QtBot, ctx: AppContext, zh_translator: None) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[-1] == "帮助(&H)"
    assert window.guide_action.text() == "使用手册" and window.guide_action.shortcut().toString() == "F1"
    window.guide_action.trigger()
    guide = window.findChild(GuideWindow, "user_guide")
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    assert text.startswith("技术专员客户端 使用手册")
    assert guide.browser.document().resource(2, "user-guide/institutions_zh_CN.png") is not None  # 2: an image
    window.about_action.trigger()
    about = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert about and about[0].objectName() == "AboutDialog"
    about[0].close()


def test_the_english_guide_follows_the_language(qtbot: QtBot) -> None:
    guide = GuideWindow("en")
    qtbot.addWidget(guide)
    assert guide.path == guide_path("en") and guide.path.name == "user-guide.en.md"
    assert "Specialist" in guide.browser.toPlainText()[:200]


def test_the_smoke_launch_checks_the_guides_are_shipped() -> None:
    assert check_user_guide() == []
    assert Path(guide_path("zh_CN")).read_text(encoding="utf-8")
