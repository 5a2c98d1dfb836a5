"""The Help menu: the user guide shipped with the app, read offline in a window of its own, and About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTextBrowser, QVBoxLayout, QWidget

from specialist_app.gui.context import MARGIN
from specialist_app.gui.screen_fit import resize_within_screen
from sync.messages import choose

GUIDE_DIR = Path(__file__).resolve().parents[2] / "docs"  # the installer copies docs/ beside the code (the spec)


def guide_path(lang: str) -> Path:
    """The user guide in the app's language (Chinese for zh*, English otherwise)."""
    return GUIDE_DIR / choose(lang, "user-guide.zh.md", "user-guide.en.md")


class GuideWindow(QWidget):
    """The guide as formatted text, its pictures beside it; links between its parts stay inside, web links open
    the browser."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("user_guide")
        self.setWindowTitle(self.tr("User guide"))
        resize_within_screen(self, 900, 760)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide_text")
        self.browser.setProperty("data_text", True)  # the guide's own words, already in the user's language
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        layout.addWidget(self.browser)
        self.show_file(guide_path(lang))

    def show_file(self, path: Path) -> None:
        self.path = path
        self.browser.setSearchPaths([str(path.parent)])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = self.tr("The user guide is missing from this installation (%1).").replace("%1", str(path))
        self.browser.setMarkdown(text)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.path().endswith(".md"):  # the other language's guide, a template reference
            self.show_file(self.path.parent / Path(url.path()).name)
            if url.fragment():
                self.browser.scrollToAnchor(url.fragment())
        elif url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())


def add_help_menu(window: QMainWindow, lang: str) -> tuple[QAction, QAction]:
    """帮助: 使用手册 (F1) and 关于; returns (guide, about) — the caller connects About (it knows the account)."""
    bar = window.menuBar()
    menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
    menu.setObjectName("menu_help")
    guide = QAction(QCoreApplication.translate("MainWindow", "User guide"), window)
    guide.setObjectName("action_user_guide")
    guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    guide.triggered.connect(lambda: open_guide(window, lang))
    about = QAction(QCoreApplication.translate("MainWindow", "About"), window)
    about.setObjectName("action_about")
    menu.addAction(guide)
    menu.addAction(about)
    return guide, about


def open_guide(parent: QWidget, lang: str) -> GuideWindow:
    found = parent.findChild(GuideWindow, "user_guide")
    window = found if found is not None else GuideWindow(lang, parent)
    window.show()
    return window
