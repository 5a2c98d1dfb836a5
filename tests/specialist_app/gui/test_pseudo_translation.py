"""Every visible string goes through tr(): with a marking translator, unmarked text is an untranslated string."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.main_window import MainWindow
from sync import codes as C
from sync.codes import CodeTable
from sync.entities import ENTITIES

OPEN, CLOSE = "［", "］"


class MarkingTranslator(QTranslator):
    """Wraps every translation in full-width brackets."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return f"{OPEN}{source}{CLOSE}" if source else source


def _data_strings() -> set[str]:
    """Labels that are data from sync/ (field and code labels, both languages), not tr() strings."""
    found: set[str] = set()
    for ent in ENTITIES.values():
        found.update((ent.zh, ent.en))
        for f in ent.fields:
            found.update((f.zh, f.en))
    for table in vars(C).values():
        if isinstance(table, CodeTable):
            for code in table:
                found.update((code.zh, code.en))
    return found


@pytest.fixture
def marked_app(qtbot: QtBot) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    translator = MarkingTranslator()
    app.installTranslator(translator)
    yield
    app.removeTranslator(translator)


def _header_texts(model: QAbstractItemModel | None) -> list[str]:
    if model is None:
        return []
    return [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
            for c in range(model.columnCount())]


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every user-visible string under `root` that is not marked as data."""
    texts: list[tuple[str, str]] = [("window title", root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        name = f"{type(widget).__name__}:{widget.objectName()}"
        if widget.property("data_text"):
            continue
        if (isinstance(widget, QLabel) and widget.pixmap().isNull()) or isinstance(widget, QAbstractButton):
            texts.append((name, widget.text()))
        elif isinstance(widget, QLineEdit) and not isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            texts.append((name, widget.placeholderText()))
        elif isinstance(widget, QSpinBox):
            texts += [(name, widget.prefix()), (name, widget.specialValueText())]
        elif isinstance(widget, QComboBox):
            texts += [(name, widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [(name, widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            texts += [(name, widget.item(i).text()) for i in range(widget.count())]
        elif isinstance(widget, QChartView):
            chart = widget.chart()
            texts.append((name, chart.title()))
            for series in chart.series():
                for bars in getattr(series, "barSets", list)():
                    texts.append((name, bars.label()))
        if isinstance(widget, (QTableView, QTreeView)):
            texts += [(name + " header", t) for t in _header_texts(widget.model())]
        texts += [(name + " tooltip", widget.toolTip()), (name + " accessible name", widget.accessibleName())]
    for action in root.findChildren(QAction):
        texts += [("action", action.text()), ("action tooltip", action.toolTip())]
    return texts


def test_every_visible_string_is_translated(
    qtbot: QtBot, marked_app: None, demo_data_dir: Path, make_ctx: Callable[[str], AppContext]
) -> None:
    ctx = make_ctx("en")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    data = _data_strings()
    untranslated: list[str] = []
    for key in window.pages:
        window.show_page(key)
        qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
        for where, text in visible_texts(window):
            marked = text.startswith(OPEN) and text.endswith(CLOSE)
            if text and not marked and text not in data and text.replace("&", "") not in data:
                untranslated.append(f"{key}: {where}: {text!r}")
    assert sorted(set(untranslated)) == [], "\n".join(sorted(set(untranslated)))


def test_the_check_catches_an_untranslated_label(qtbot: QtBot, marked_app: None) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    QLabel("Not through tr()", widget)
    QLabel(QCoreApplication.translate("Test", "Through tr()"), widget)
    found = [text for _, text in visible_texts(widget) if text and not text.startswith(OPEN)]
    assert found == ["Not through tr()"]



def test_editors_and_the_institution_page_are_translated(
    qtbot: QtBot, marked_app: None, demo_data_dir: Path, make_ctx: Callable[[str], AppContext]
) -> None:
    from specialist_app.gui.editors import jobs
    from specialist_app.gui.editors.dialog import EditorDialog
    from specialist_app.gui.editors.visit_editor import VisitEditor
    from specialist_app.gui.institution_window import InstitutionWindow
    from specialist_app.gui.pages.visits import VisitsPage

    ctx = make_ctx("en")
    found: list[tuple[str, str]] = []
    ctx.runner.submit(jobs.choices("institution"), found.extend)
    qtbot.waitUntil(lambda: bool(found))
    windows: list[QWidget] = [EditorDialog(ctx, name, children=("ip_item",) if name == "achievement" else ())
                              for name in ("achievement", "demand", "institution", "contact")]
    windows += [VisitEditor(ctx), InstitutionWindow(ctx, found[0][0]), VisitsPage(ctx)]
    # Qt's own calendar pop-up (month names, week numbers) is localised by QLocale, not by our translations.
    calendar = {QLocale(QLocale.Language.English).monthName(m) for m in range(1, 13)}
    data = _data_strings() | calendar
    untranslated: list[str] = []
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        if isinstance(window, VisitsPage):
            window.refresh()
        qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
        for where, text in visible_texts(window):
            marked = text.startswith(OPEN) and text.endswith(CLOSE)
            if "qt_calendar" in where:
                continue
            if text and not marked and text not in data and text.replace("&", "").replace("＊", "") not in data:
                untranslated.append(f"{type(window).__name__}: {where}: {text!r}")
    assert sorted(set(untranslated)) == [], "\n".join(sorted(set(untranslated)))


def _add_conflict_and_rejection(data_dir: Path) -> None:
    """One open conflict and one refused change in the current store, so their dialogs show rows."""
    from specialist_app import paths
    from specialist_app.services import records
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store.db import open_store

    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with UnitOfWork(store) as uow:
            inst = records.create(uow, "institution", {"name": "翻译测试机构", "org_type": "university"})
            uow.conn.exec_driver_sql(
                "INSERT INTO conflict (id, entity, row_id, field, base, theirs, mine, theirs_by, theirs_at, created_at)"
                " VALUES ('c1', 'institution', ?, 'org_type', '\"university\"', '\"enterprise\"', '\"institute\"',"
                " 'cara', '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z')", (inst,))
            uow.conn.exec_driver_sql(
                "INSERT INTO rejection (seq, entity, row_id, op, fields, reason, problems, message, created_at)"
                " VALUES (1, 'institution', ?, 'update', '{}', 'invalid', '[]', NULL, '2026-01-05T08:00:00Z')",
                (inst,))
            uow.commit()
    finally:
        store.close()


def test_sync_dialogs_translate_every_visible_string(
    qtbot: QtBot, marked_app: None, data_dir: Path, make_ctx: Callable[[str], AppContext]
) -> None:
    from specialist_app.credentials import Account
    from specialist_app.gui.dialogs.about import AboutDialog
    from specialist_app.gui.dialogs.conflicts import ConflictsDialog
    from specialist_app.gui.dialogs.import_dialog import ImportDialog
    from specialist_app.gui.dialogs.rejected import RejectedChangeDialog
    from specialist_app.gui.dialogs.settings_dialog import LANGUAGE_NAMES, SettingsDialog
    from specialist_app.gui.pages.sync_page import SyncPage
    from specialist_app.gui.signin import SignInDialog, SignOutDialog
    from specialist_app.gui.sync_controller import SyncController

    _add_conflict_and_rejection(data_dir)
    ctx = make_ctx("en")
    account = Account("example-demo-0123456789", "https://market.example.cn", "demo")
    page = SyncPage(ctx)
    page.attach(SyncController(data_dir / "unused.sqlite3", account, 15, parent=page))
    page.refresh()
    conflicts = ConflictsDialog(ctx)
    bad_rows = data_dir / "bad-rows.csv"
    bad_rows.write_text("名称,机构类型\n甲大学,高等院校\n乙,外星机构\n", encoding="utf-8")
    importer = ImportDialog(ctx, bad_rows)
    importer.start()
    widgets: list[QWidget] = [
        importer,
        page, conflicts, SignInDialog(data_dir, "en"), SignOutDialog(account), SettingsDialog(ctx, account),
        AboutDialog(data_dir, account),
        RejectedChangeDialog(ctx, {"entity": "institution", "row_id": "x", "op": "update", "fields": {},
                                   "reason": "invalid", "problems": [], "message": "", "title": ""}),
    ]
    for widget in widgets:
        qtbot.addWidget(widget)
        widget.show()
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0 and conflicts.table.rowCount() == 1)
    qtbot.waitUntil(lambda: page.rejections_table.rowCount() == 1)
    qtbot.waitUntil(lambda: importer.errors_table.rowCount() == 1 and importer.import_good_button.isVisible())
    untranslated = [
        f"{type(widget).__name__}: {where}: {text!r}"
        for widget in widgets
        for where, text in visible_texts(widget)
        if text and not (text.startswith(OPEN) and text.endswith(CLOSE))
        and text not in _data_strings() | set(LANGUAGE_NAMES.values())  # languages are named in themselves
    ]
    assert untranslated == [], "\n".join(untranslated)


def test_the_check_catches_an_untranslated_string_in_a_designer_form(
    qtbot: QtBot, marked_app: None, tmp_path: Path
) -> None:
    from specialist_app.gui.ui_loader import load_form

    (tmp_path / "check_form.ui").write_text(
        '<ui version="4.0"><class>CheckForm</class><widget class="QDialog" name="CheckForm">'
        '<property name="windowTitle"><string>Through the form</string></property>'
        '<layout class="QVBoxLayout" name="check_layout">'
        '<item><widget class="QLabel" name="check_marked"><property name="text"><string>Translated</string>'
        "</property></widget></item>"
        '<item><widget class="QLabel" name="check_notr"><property name="text"><string notr="true">Left out</string>'
        "</property></widget></item></layout></widget></ui>", encoding="utf-8")
    form = QWidget()
    qtbot.addWidget(form)
    load_form("check_form", form, directory=tmp_path)
    texts = dict(visible_texts(form))
    assert texts["window title"] == f"{OPEN}Through the form{CLOSE}"
    assert texts["QLabel:check_marked"] == f"{OPEN}Translated{CLOSE}"
    found = [text for _, text in visible_texts(form) if text and not text.startswith(OPEN)]
    assert found == ["Left out"]
