"""What every page shares: a title row, the app context, and refresh()."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from specialist_app.gui.context import MARGIN, SPACING, TITLE_FONT_STEP, AppContext


def data_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label showing data (not a translatable string): marked so the pseudo-translation test skips it."""
    label = QLabel(text, parent)
    label.setProperty("data_text", True)
    return label


class Page(QWidget):
    """A page of the main window; subclasses fill `self.body` and implement refresh()."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.setSpacing(SPACING)
        header = QHBoxLayout()
        self.title_label = QLabel(title)
        font = self.title_label.font()
        font.setPointSize(font.pointSize() + TITLE_FONT_STEP)
        font.setBold(True)
        self.title_label.setFont(font)
        header.addWidget(self.title_label)
        header.addStretch(1)
        self.header = header
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(SPACING)
        outer.addLayout(self.body, 1)

    def refresh(self) -> None:
        """Reload what the page shows (called when it becomes visible and after data changes)."""


class PlaceholderPage(Page):
    """A page whose content a later change builds; says so in words."""

    def __init__(self, ctx: AppContext, title: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        label = QLabel(note)
        label.setWordWrap(True)
        self.body.addWidget(label)
        self.body.addStretch(1)
