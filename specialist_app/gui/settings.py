"""The GUI's own preferences (language, sync interval, how a first sync brings the catalog), kept in gui.ini."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from specialist_app.sync_engine.catalog_mode import CATALOG_MODES

DEFAULT_SYNC_MINUTES = 15


class GuiSettings:
    """Typed access to the GUI preferences file."""

    FILENAME = "gui.ini"

    def __init__(self, data_dir: Path) -> None:
        self._qs = QSettings(str(Path(data_dir) / self.FILENAME), QSettings.Format.IniFormat)

    @property
    def language(self) -> str | None:
        """The chosen language (zh_CN or en), None to follow the system."""
        value = self._qs.value("ui/language")
        return str(value) if value else None

    @language.setter
    def language(self, lang: str | None) -> None:
        if lang:
            self._qs.setValue("ui/language", lang)
        else:
            self._qs.remove("ui/language")
        self._qs.sync()

    @property
    def sync_interval_minutes(self) -> int:
        try:
            return max(1, int(str(self._qs.value("sync/interval_minutes", DEFAULT_SYNC_MINUTES))))
        except ValueError:
            return DEFAULT_SYNC_MINUTES

    @sync_interval_minutes.setter
    def sync_interval_minutes(self, minutes: int) -> None:
        self._qs.setValue("sync/interval_minutes", int(minutes))
        self._qs.sync()

    @property
    def catalog_mode(self) -> str:
        """How a first sync brings the catalog: auto, snapshot or pages (sync_engine.catalog_mode.CATALOG_MODES)."""
        value = str(self._qs.value("sync/catalog", "auto"))
        return value if value in CATALOG_MODES else "auto"

    @catalog_mode.setter
    def catalog_mode(self, mode: str) -> None:
        self._qs.setValue("sync/catalog", mode if mode in CATALOG_MODES else "auto")
        self._qs.sync()
