"""Changes the market refused are never silent: the dashboard's banner and the notice after a sync that refused."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from specialist_app.gui.context import AppContext

REFUSED_COLOUR = "#b00020"
BANNER_STYLE = f"#refused_banner {{ background: #fdecee; border: 1px solid {REFUSED_COLOUR}; }}"


def refused_text(count: int) -> str:
    """"3 changes were refused by the market and did not reach it." (0: empty)."""
    if count <= 0:
        return ""
    return QCoreApplication.translate(
        "Refused", "%1 change(s) refused by the market: they did not reach it. Fix or dismiss them."
    ).replace("%1", str(count))


class RefusedCount(QLabel):
    """The status bar's red "Refused: N"; a click asks for the list."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_refused")
        self.setStyleSheet(f"color: {REFUSED_COLOUR}; text-decoration: underline;")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(QCoreApplication.translate(
            "Refused", "Changes the market refused: they did not reach it. Click to see why."))

    def set_count(self, count: int) -> None:
        self.setText(QCoreApplication.translate("Refused", "Refused: %1").replace("%1", str(count)))
        self.setVisible(count > 0)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class RefusedBanner(QFrame):
    """A red line with the count of refused changes and a button to them; hidden while there are none."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refused_banner")
        self.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("refused_count")
        self.label.setStyleSheet(f"color: {REFUSED_COLOUR};")
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.show_button = QPushButton(QCoreApplication.translate("Refused", "Show refused changes"))
        self.show_button.setObjectName("show_refused")
        self.show_button.clicked.connect(ctx.events.show_refused)
        row.addWidget(self.show_button)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.label.setText(refused_text(count))
        self.setVisible(count > 0)


def notify_refused(ctx: AppContext, parent: QWidget, refused_now: int) -> QMessageBox | None:
    """After a sync that refused changes: a notice (not modal) with the way to them; None when it refused none."""
    if refused_now <= 0:
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Refused", "Changes refused"),
                      QCoreApplication.translate(
                          "Refused", "The market refused %1 change(s) of this sync: they did not reach it. The "
                          "refused changes list says why; fix the record and sync again, or dismiss the entry."
                      ).replace("%1", str(refused_now)), QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("refused_notice")
    box.setWindowModality(Qt.WindowModality.NonModal)
    show = box.addButton(QCoreApplication.translate("Refused", "Show refused changes"),
                         QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("Refused", "Later"), QMessageBox.ButtonRole.RejectRole)
    show.clicked.connect(ctx.events.show_refused)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
