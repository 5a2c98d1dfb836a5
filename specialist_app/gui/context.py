"""What every page needs: the task runner over the store, the language, the data directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon

from specialist_app.gui.settings import GuiSettings
from specialist_app.gui.tasks import TaskRunner
from specialist_app.store.db import Store

if TYPE_CHECKING:
    from specialist_app.gui.blob_download import BlobDownloads
    from specialist_app.gui.record_fetch import RecordFetches

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"

# One spacing and font scale for every page (pixels / point-size steps relative to the app font).
SPACING = 8
MARGIN = 12
TITLE_FONT_STEP = 4
FIGURE_FONT_STEP = 8


def icon(name: str) -> QIcon:
    """An icon of the app's one set (resources/icons/<name>.svg)."""
    return QIcon(str(ICON_DIR / f"{name}.svg"))


class DataEvents(QObject):
    """Announces that stored data changed (entity name, or "" for anything), so views refresh."""

    changed = Signal(str)
    saved = Signal(str, str)  # an editor stored a record: entity name, the record's title ("" when it has none)
    show_refused = Signal()  # the user asked to see the changes the market refused (status bar, dashboard, notice)


@dataclass
class AppContext:
    runner: TaskRunner[Store]
    lang: str
    data_dir: Path
    settings: GuiSettings
    events: DataEvents
    profile: str = "local"
    username: str | None = None  # the signed-in account (None: a local profile without a server)
    downloads: BlobDownloads | None = None  # fetches attachment bytes from the server (signed in only)
    records: RecordFetches | None = None  # reads a digest's full record from the server (signed in only)
