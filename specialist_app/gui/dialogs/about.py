"""About: the app's version (the one sent to the server with every request), protocol, server and data folder."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from specialist_app.credentials import Account
from sync.protocol import PROTOCOL_VERSION


def app_version() -> str:
    """The installed package's version (what the transport sends as the client version)."""
    try:
        return metadata.version("specialist-app")
    except metadata.PackageNotFoundError:
        return "0"


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, account: Account | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(self.tr("About"))
        title = QLabel(self.tr("Specialist workbench"))
        font = title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)
        form = QFormLayout()
        self.version_label = QLabel(app_version())
        self.version_label.setObjectName("about_version")
        for value, caption in (
            (self.version_label, self.tr("Version")),
            (QLabel(str(PROTOCOL_VERSION)), self.tr("Sync protocol")),
            (QLabel(account.server_url if account else "—"), self.tr("Server")),
            (QLabel(str(data_dir)), self.tr("Data folder")),
        ):
            value.setProperty("data_text", True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(caption, value)
        note = QLabel(self.tr("This version is sent to the server with every sync, so the market can tell you "
                              "when an update is needed."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
