"""The 对接 screens for scripts/screenshots.py: a demand's and an institution's 对接 tabs, the page, the editor."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication
from screenshots import _settle

from specialist_app.gui.app import make_context
from specialist_app.gui.i18n import install_translator, remove_translator
from specialist_app.gui.main_window import MainWindow
from specialist_app.store.db import Store


def render_match(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """A demo demand's 对接 tab (its match records, suggested achievements, the first one's reasons with shared
    terms marked), the 对接 tab of its enterprise's window, and the 对接 page."""
    from specialist_app.gui.editors.match_editor import MatchableEditor
    from specialist_app.gui.institution_window import InstitutionWindow
    from specialist_app.services.uow import ReadUnitOfWork

    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    found: list[tuple[str, str]] = []

    def first_demand(store: Store) -> list[tuple[str, str]]:
        with ReadUnitOfWork(store) as read:
            return [(str(r[0]), str(r[1])) for r in read.conn.exec_driver_sql(
                "SELECT id, institution_id FROM demand d WHERE NOT deleted AND problem IS NOT NULL ORDER BY"
                " EXISTS (SELECT 1 FROM match_record m WHERE m.demand_id = d.id AND NOT m.deleted) DESC, title"
                " LIMIT 1")]

    ctx.runner.submit(first_demand, found.extend)
    _settle(app, ctx)
    editor = MatchableEditor(ctx, "demand", found[0][0])
    editor.resize(900, 760)
    window = InstitutionWindow(ctx, found[0][1])
    window.resize(1000, 760)
    written = []
    for name, widget in (("match_tab", editor), ("institution_match", window)):
        widget.show()
        _settle(app, ctx)
        if isinstance(widget, MatchableEditor):
            widget.tabs.setCurrentWidget(widget.match_panel)
        else:
            widget.tabs.setCurrentWidget(widget.matching)
        _settle(app, ctx, timeout_ms=30_000)
        target = out / f"{name}_{lang}.png"
        widget.grab().save(str(target))
        written.append(target)
        # Deleted by Qt on this thread now: left to the garbage collector, the widget's cycle could be collected
        # on the next context's worker thread, and deleting widgets there crashes.
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        widget.close()
        _settle(app, ctx)
    main = MainWindow(ctx)  # the 对接 page: my match records by stage
    main.resize(1280, 800)
    main.show()
    main.show_page("matches")
    _settle(app, ctx)
    target = out / f"matches_{lang}.png"
    main.grab().save(str(target))
    written.append(target)
    main.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    main.close()
    _settle(app, ctx)
    gc.collect()
    ctx.runner.shutdown()
    remove_translator(app, translator)
    return written


def render_match_editor(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """A new match record's editor while its demand picker shows the catalog's hits for a word typed (the list, a
    window of its own, drawn over the editor), and a stored match's editor (its demand and achievement fixed)."""
    from specialist_app.gui.editors.catalog_ref_input import CatalogRefInput
    from specialist_app.gui.editors.match_editor import MatchRecordEditor
    from specialist_app.services.uow import ReadUnitOfWork

    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    found: list[str] = []

    def a_match(store: Store) -> list[str]:
        with ReadUnitOfWork(store) as read:
            return [str(r[0]) for r in read.conn.exec_driver_sql(
                "SELECT id FROM match_record WHERE NOT deleted AND achievement_id IS NOT NULL ORDER BY id LIMIT 1")]

    ctx.runner.submit(a_match, found.extend)
    _settle(app, ctx)
    written = []
    for name, record_id in (("match_editor_pick", None), ("match_editor", found[0])):
        editor = MatchRecordEditor(ctx, record_id, draft_context=f"screenshot-{lang}")  # no draft of the other run
        editor.resize(820, 700)
        editor.move(0, 0)
        editor.show()
        _settle(app, ctx)
        picker = editor.form.inputs["demand_id"]
        shot = editor.grab()
        if record_id is None and isinstance(picker, CatalogRefInput):
            picker.edit.setFocus()
            picker.edit.setText("玉米")
            picker.edit.textEdited.emit(picker.edit.text())
            clock = QElapsedTimer()
            clock.start()
            while picker.hits_for != "玉米" and clock.elapsed() < 30_000:  # after a pause in typing, the search
                app.processEvents()
            _settle(app, ctx, timeout_ms=30_000)
            shot = editor.grab()
            popup = picker.completer.popup()
            if popup is not None and popup.isVisible():  # a window of its own: drawn over the editor's picture
                painter = QPainter(shot)
                painter.drawPixmap(editor.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
                painter.end()
        target = out / f"{name}_{lang}.png"
        shot.save(str(target))
        written.append(target)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.close()
        _settle(app, ctx)
    gc.collect()
    ctx.runner.shutdown()
    remove_translator(app, translator)
    return written
