"""Importing a spreadsheet from the GUI: counts, bad rows with row/column/reason, good rows on request, bad files."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from specialist_app import paths
from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs import import_dialog as import_module
from specialist_app.gui.dialogs.import_dialog import ImportDialog
from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
from specialist_app.gui.session import Session
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from tests.specialist_app.gui.editor_helpers import outbox_rows, read_store

TIMEOUT_MS = 30_000


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    workbook = openpyxl.Workbook()
    for default in list(workbook.worksheets):
        workbook.remove(default)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def table_rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def stored_names(data_dir: Path, entity: str) -> list[str]:
    rows = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(f"SELECT name FROM {entity}").fetchall())
    return sorted(str(name) for (name,) in rows)


def run_import(qtbot: QtBot, ctx: AppContext, path: Path) -> ImportDialog:
    dialog = ImportDialog(ctx, path)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.report_ready, timeout=TIMEOUT_MS):
        dialog.start()
    return dialog


@pytest.fixture
def en_ctx(make_ctx: Callable[[str], AppContext]) -> AppContext:
    return make_ctx("en")


def test_a_good_workbook_is_imported_from_the_settings_button(
    qtbot: QtBot, en_ctx: AppContext, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "机构.xlsx", {
        "机构": [["名称", "机构类型"], ["吉林大学", "高等院校"], ["长春光机所", "科研机构"]],
        "联系人": [["所属机构", "姓名"], ["吉林大学", "王老师"]],
    })
    monkeypatch.setattr(import_module.QFileDialog, "getOpenFileName",
                        lambda *_a, **_k: (str(path), ""))
    changed: list[str] = []
    en_ctx.events.changed.connect(changed.append)
    settings = SettingsDialog(en_ctx, None)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.mouseClick(settings.import_button, Qt.MouseButton.LeftButton)
    dialog = settings.findChild(ImportDialog)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=TIMEOUT_MS)

    assert dialog.report is not None and dialog.report.written
    assert table_rows(dialog.counts_table) == [["Institution", "2", "2", "0"], ["Contact", "1", "1", "0"]]
    assert dialog.status_label.text() == "Imported 3 records."
    assert not dialog.errors_table.isVisibleTo(dialog) and not dialog.import_good_button.isVisibleTo(dialog)
    assert dialog.close_button.text() == "Close"
    assert stored_names(data_dir, "institution") == ["吉林大学", "长春光机所"]
    created = [(entity, op) for entity, _id, op in outbox_rows(data_dir)]
    assert sorted(created) == [("contact", "create"), ("institution", "create"), ("institution", "create")]
    assert changed == [""]  # pages and the status bar refresh


def test_bad_rows_are_listed_and_nothing_is_written_until_the_good_rows_are_asked_for(
    qtbot: QtBot, en_ctx: AppContext, data_dir: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "institutions.csv",
                     [["名称", "机构类型"], ["甲大学", "高等院校"], ["乙", "外星机构"], ["丙公司", "企业"]])
    dialog = run_import(qtbot, en_ctx, path)

    assert dialog.report is not None and not dialog.report.written
    assert dialog.errors_table.isVisibleTo(dialog)
    [[_sheet, row, column, reason]] = table_rows(dialog.errors_table)
    assert (row, column) == ("3", "机构类型")
    assert "外星机构" in reason
    assert dialog.import_good_button.isVisibleTo(dialog) and dialog.import_good_button.isEnabled()
    assert dialog.close_button.text() == "Cancel"
    assert "nothing was imported" in dialog.status_label.text() and "2 good rows" in dialog.status_label.text()
    assert stored_names(data_dir, "institution") == [] and outbox_rows(data_dir) == []

    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.import_good_button, Qt.MouseButton.LeftButton)
    assert stored_names(data_dir, "institution") == ["丙公司", "甲大学"]
    assert len(outbox_rows(data_dir)) == 2
    assert dialog.status_label.text() == "Imported 2 records; left out 1 rows with problems."
    assert not dialog.import_good_button.isVisibleTo(dialog) and dialog.close_button.text() == "Close"


def test_cancel_after_bad_rows_writes_nothing(qtbot: QtBot, ctx: AppContext, data_dir: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [["名称", "机构类型"], ["甲大学", "高等院校"], ["", "企业"]])
    dialog = run_import(qtbot, ctx, path)
    assert table_rows(dialog.errors_table)[0][1:3] == ["3", "名称"]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert stored_names(data_dir, "institution") == [] and outbox_rows(data_dir) == []


def test_an_unreadable_file_shows_its_error(qtbot: QtBot, en_ctx: AppContext, data_dir: Path,
                                            tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a workbook")
    dialog = ImportDialog(en_ctx, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT_MS) as failed:
        dialog.start()
    assert failed.args == [f"{path} is not a valid Excel (.xlsx) file"]
    assert dialog.status_label.text() == f"Cannot import this file: {path} is not a valid Excel (.xlsx) file"
    assert dialog.close_button.isEnabled() and not dialog.import_good_button.isVisibleTo(dialog)
    assert outbox_rows(data_dir) == []


def test_the_file_menu_imports_a_csv(qtbot: QtBot, data_dir: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "contacts.csv", [["名称", "机构类型"], ["菜单导入大学", "高等院校"]])
    monkeypatch.setattr(import_module.QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    session = Session(data_dir, "en", sync_at_start=False)
    try:
        window = session.open(Account("demo-profile", "http://127.0.0.1:9", "demo"))
        [file_menu] = [top.menu() for top in window.menuBar().actions() if top.text() == "&File"]
        [action] = [a for a in file_menu.actions() if a.objectName() == "action_import"]
        assert action.text() == "Import spreadsheet…"
        action.trigger()
        dialog = window.findChild(ImportDialog)
        assert isinstance(dialog, ImportDialog) and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=TIMEOUT_MS)
        assert table_rows(dialog.counts_table) == [["Institution", "1", "1", "0"]]
        qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes == 1)
        store = open_store(paths.store_path(data_dir, "demo-profile"))
        try:
            with UnitOfWork(store) as uow:
                names = uow.conn.exec_driver_sql("SELECT name FROM institution").scalars().all()
        finally:
            store.close()
        assert names == ["菜单导入大学"]
    finally:
        session.shutdown()
