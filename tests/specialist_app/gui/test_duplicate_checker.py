"""The editors' duplicate checker after the application quit: editors destroyed later only let go of it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from specialist_app.gui.duplicate_checker import DuplicateChecker
from sync.duplicates import Probe


def test_release_and_check_after_shutdown_do_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    checker = DuplicateChecker(tmp_path / "store.sqlite3")
    owner = QObject()
    answers: list[object] = []
    checker.retain()
    checker.retain()
    checker.shutdown()  # the app's aboutToQuit

    checker.release()  # an editor destroyed after the quit (raised "cannot schedule new futures after shutdown")
    checker.release()
    checker.check(Probe("institution", name="吉林大学"), answers.append, owner)

    assert answers == []
