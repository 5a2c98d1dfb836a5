"""Render the everyday fixes of issue #14 offscreen into docs/screenshots/*.png: a date picker open on a due date, a
demand's missing type focused, the status bar after a save, the quit question, Qt's file dialog and menu in Chinese.

Usage: .venv/bin/python scripts/everyday_screenshots.py [--out docs/screenshots]
Needs a CJK font (Debian: apt-get install -y fonts-wqy-microhei); see scripts/screenshots.py for the other screens.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TZ"] = "Asia/Shanghai"  # times as a specialist in China sees them (main() calls time.tzset())
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtGui import QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QScrollArea, QWidget
from screenshots import _settle

from specialist_app import paths
from specialist_app.gui.app import make_context
from specialist_app.gui.demo_store import load_demo
from specialist_app.gui.i18n import install_translator, remove_translator
from specialist_app.gui.main_window import MainWindow


def _with_popup(base: QPixmap, popup: QWidget, at: QPoint) -> QPixmap:
    """`base` with a popup window (a calendar, a menu) painted where it shows: grab() sees one window only."""
    out = QPixmap(base)
    painter = QPainter(out)
    painter.drawPixmap(at, popup.grab())
    painter.end()
    return out


def render_everyday(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """Dates, Qt's own dialogs in Chinese, a demand's required fields, saving and quitting (issue #14)."""
    from specialist_app.gui.editors.date_inputs import DateInput
    from specialist_app.gui.editors.dialog import EditorDialog
    from specialist_app.gui.editors.visit_editor import LOG, VisitEditor
    from specialist_app.gui.quit_guard import QuitGuard
    from specialist_app.gui.sync_controller import SyncController

    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    institution = str(_first_id(data_dir, "SELECT institution_id FROM assigned_institution ORDER BY 1 LIMIT 1"))
    written: list[Path] = []

    visit = VisitEditor(ctx, mode=LOG, institution_id=institution)
    visit.resize(900, 760)
    visit.show()
    _settle(app, ctx)
    follow_ups = visit.child_tables["follow_up"]
    follow_ups.add_row({"action": "寄送合作协议草案", "owner": "李明"})
    scroll = visit.findChild(QScrollArea)
    if scroll is not None:
        scroll.ensureWidgetVisible(follow_ups)
    due = follow_ups.cell(0, "due_date")
    assert isinstance(due, DateInput)
    due.open_calendar()
    _settle(app, ctx)
    assert due.popup is not None
    at = due.widget.mapTo(visit, QPoint(0, due.widget.height()))
    written.append(out / f"date_picker_{lang}.png")
    _with_popup(visit.grab(), due.popup, at).save(str(written[-1]))
    due.popup.hide()
    visit.close()

    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    _settle(app, ctx)
    demand = EditorDialog(ctx, "demand", prefill={"institution_id": institution}, parent=window)
    demand.resize(860, 560)
    demand.show()
    _settle(app, ctx)
    demand.form.inputs["title"].set_value("秸秆青贮饲料保鲜技术")
    demand.save_button.click()  # no demand type: the form scrolls to it, focused, with its message
    _settle(app, ctx)
    written.append(out / f"demand_required_{lang}.png")
    demand.grab().save(str(written[-1]))
    demand.form.inputs["demand_type"].set_value("tackling")
    demand.save_button.click()
    _settle(app, ctx)
    written.append(out / f"status_saved_{lang}.png")
    window.grab().save(str(written[-1]))

    from specialist_app.credentials import Account

    controller = SyncController(data_dir / "unused.sqlite3", Account(ctx.profile, "https://market.example.cn",
                                                                     "demo"), 15, parent=window)
    controller.online = True
    guard = QuitGuard(window, ctx, controller)
    window.close()
    _settle(app, ctx)
    if guard.question is not None:
        written.append(out / f"quit_question_{lang}.png")
        guard.question.grab().save(str(written[-1]))
        guard.question.done(0)
    guard.release()
    window.close()

    dialog = QFileDialog(None, QCoreApplication.translate("Attachments", "Add photos or documents"), str(data_dir))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.resize(760, 460)
    dialog.show()
    _settle(app, ctx)
    edit = dialog.findChild(QLineEdit)
    menu = edit.createStandardContextMenu() if edit is not None else None
    if edit is not None and menu is not None:
        edit.setText("纪要.pdf")
        edit.selectAll()
        above = QPoint(20, -menu.sizeHint().height())  # above the field: the picture stays inside the dialog
        menu.popup(edit.mapToGlobal(above))
        _settle(app, ctx)
        written.append(out / f"file_dialog_{lang}.png")
        _with_popup(dialog.grab(), menu, edit.mapTo(dialog, above)).save(str(written[-1]))
        menu.close()
    dialog.close()
    ctx.runner.shutdown()
    remove_translator(app, translator)
    return written


def _first_id(data_dir: Path, sql: str) -> object:
    from specialist_app.services.uow import ReadUnitOfWork
    from specialist_app.store.db import open_store

    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with ReadUnitOfWork(store) as uow:
            return uow.conn.exec_driver_sql(sql).scalar_one()
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    time.tzset()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setFont(QFont("WenQuanYi Micro Hei", 10))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        load_demo(paths.store_path(data_dir, paths.current_profile(data_dir)))
        written = render_everyday(app, data_dir, "zh_CN", out)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
