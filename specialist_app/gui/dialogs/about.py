"""About: the app's version (the one sent to the server with every request), protocol, server and data folder."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from specialist_app.credentials import Account
from specialist_app.gui.ui_loader import child, load_form
from sync.protocol_constants import PROTOCOL_VERSION


def app_version() -> str:
    """The installed package's version (what the transport sends as the client version)."""
    try:
        return metadata.version("specialist-app")
    except metadata.PackageNotFoundError:
        return "0"


class AboutDialog(QDialog):
    """The version, protocol, server and data folder, selectable for a support call."""

    def __init__(self, data_dir: Path, account: Account | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_form("about_dialog", self)
        title = child(self, QLabel, "about_title")
        font = title.font()  # relative to the system font, which a form cannot say
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)
        self.version_label = child(self, QLabel, "about_version")
        self.version_label.setText(app_version())
        child(self, QLabel, "about_protocol").setText(str(PROTOCOL_VERSION))
        child(self, QLabel, "about_server").setText(account.server_url if account else "—")
        child(self, QLabel, "about_data_dir").setText(str(data_dir))
        buttons = child(self, QDialogButtonBox, "about_buttons")
        # Standard button texts come from Qt's own catalogue, which the app does not ship: ours is set here.
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
