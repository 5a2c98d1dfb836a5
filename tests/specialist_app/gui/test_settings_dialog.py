"""Settings: interval applied to the sync timer, language kept, export through the task runner, About's version."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot

from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
from specialist_app.gui.settings import GuiSettings
from specialist_app.gui.sync_controller import SyncController

ACCOUNT = Account("example-demo-0123456789", "https://market.example.cn", "demo")


def test_interval_and_language_are_saved_and_applied(qtbot: QtBot, ctx: AppContext, data_dir: Path) -> None:
    controller = SyncController(data_dir / "unused.sqlite3", ACCOUNT, ctx.settings.sync_interval_minutes)
    dialog = SettingsDialog(ctx, ACCOUNT)
    qtbot.addWidget(dialog)
    dialog.interval_changed.connect(controller.set_interval)
    assert dialog.server_edit.text() == "https://market.example.cn" and dialog.server_edit.isReadOnly()
    assert dialog.data_dir_edit.isReadOnly() and str(data_dir) in dialog.data_dir_edit.text()
    dialog.interval_spin.setValue(7)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert dialog.catalog_combo.currentData() == "auto"
    dialog.catalog_combo.setCurrentIndex(dialog.catalog_combo.findData("pages"))
    with qtbot.waitSignal(dialog.interval_changed):
        dialog.save()
    assert controller.timer.interval() == 7 * 60_000
    reread = GuiSettings(data_dir)
    assert (reread.sync_interval_minutes, reread.language, reread.catalog_mode) == (7, "en", "pages")


def test_export_my_data_writes_the_file_off_the_ui_thread(
    qtbot: QtBot, demo_data_dir: Path, ctx: AppContext, tmp_path: Path
) -> None:
    dialog = SettingsDialog(ctx, None)
    qtbot.addWidget(dialog)
    assert not dialog.sign_out_button.isEnabled()  # nobody signed in
    target = tmp_path / "我的数据.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as done:
        dialog.export_to(target)
    counts = done.args[0]
    assert counts["institution"] > 0
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert len(workbook.sheetnames) >= 3
    workbook.close()
    assert str(sum(counts.values())) in dialog.export_status.text()


def test_about_shows_the_installed_version(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SettingsDialog(ctx, ACCOUNT)
    qtbot.addWidget(dialog)
    about = dialog.show_about()
    assert about.version_label.text() == metadata.version("specialist-app")
