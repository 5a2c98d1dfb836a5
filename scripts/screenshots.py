"""Render the main pages offscreen with the small demo data into docs/screenshots/*.png (Chinese, one English).

Usage: .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
Needs a CJK font (Debian: apt-get install -y fonts-wqy-microhei) or Chinese text renders as boxes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Times as a specialist in China sees them, whatever the machine's zone (main() calls time.tzset() before Qt starts).
os.environ["TZ"] = "Asia/Shanghai"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea

from specialist_app import paths
from specialist_app.gui.app import make_context
from specialist_app.gui.context import AppContext
from specialist_app.gui.demo_store import load_demo
from specialist_app.gui.gc_guard import MainThreadGarbageCollector
from specialist_app.gui.i18n import install_translator, remove_translator
from specialist_app.gui.main_window import MainWindow
from specialist_app.store.db import open_store

PAGES_ZH = ("dashboard", "institutions", "visits", "achievements", "demands", "experts")
PAGES_EN = ("dashboard",)


def _settle(app: QApplication, ctx: AppContext, timeout_ms: int = 10_000) -> None:
    """Process events until the worker has answered every query the page made."""
    clock = QElapsedTimer()
    clock.start()
    while (ctx.runner.pending() or clock.elapsed() < 150) and clock.elapsed() < timeout_ms:
        app.processEvents()
        ctx.runner.thread().msleep(10)
    app.processEvents()


@contextmanager
def _main_window(app: QApplication, data_dir: Path, lang: str) -> Iterator[tuple[AppContext, MainWindow]]:
    """The main window of the demo profile in `lang`, 1280 x 800, shown; closed, its worker and translator gone
    afterwards."""
    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    try:
        yield ctx, window
    finally:
        window.close()
        ctx.runner.shutdown()
        remove_translator(app, translator)


def render(app: QApplication, data_dir: Path, lang: str, pages: tuple[str, ...], out: Path) -> list[Path]:
    with _main_window(app, data_dir, lang) as (ctx, window):
        written = []
        for key in pages:
            window.show_page(key)
            _settle(app, ctx)
            target = out / f"{key}_{lang}.png"
            window.grab().save(str(target))
            written.append(target)
    return written


def render_search(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """The achievements page after a search found records only partly in their own text, and after a typo."""
    from specialist_app.gui.pages.catalog import CatalogPage

    with _main_window(app, data_dir, lang) as (ctx, window):
        page = window.show_page("achievements")
        assert isinstance(page, CatalogPage)
        written = []
        for name, query in (("search_by_where", "东北师范大学"), ("search_empty", "余热回收技木")):
            page.search_edit.setText(query)
            _settle(app, ctx)
            target = out / f"{name}_{lang}.png"
            window.grab().save(str(target))
            written.append(target)
    return written


def render_editors(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """The visit editor, the achievement editor (with an IP row) and an institution's page, filled from the demo."""
    from specialist_app.gui.editors import jobs
    from specialist_app.gui.editors.dialog import EditorDialog
    from specialist_app.gui.editors.visit_editor import LOG, VisitEditor
    from specialist_app.gui.institution_window import InstitutionWindow

    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    found: list[tuple[str, str]] = []
    ctx.runner.submit(jobs.choices("institution"), found.extend)
    _settle(app, ctx)
    institution = found[0][0]
    visit = VisitEditor(ctx, mode=LOG, institution_id=institution)
    achievement = EditorDialog(ctx, "achievement", children=("ip_item",),
                               prefill={"institution_id": institution, "trl": 6, "transfer_modes": ["license"]})
    page = InstitutionWindow(ctx, institution)
    written = []
    for name, widget in (("visit_editor", visit), ("achievement_editor", achievement), ("institution_page", page)):
        widget.show()
        _settle(app, ctx)
        if isinstance(widget, VisitEditor):
            widget.child_tables["follow_up"].add_row({"action": "寄送合作协议草案", "owner": "李明"})
        if isinstance(widget, EditorDialog) and not isinstance(widget, VisitEditor):
            widget.child_tables["ip_item"].add_row({"kind": "invention", "number": "ZL202210000001.2"})
            widget.save_button.click()  # shows the validation messages next to the fields
            scroll = widget.findChild(QScrollArea)
            if scroll is not None:  # the IP rows are at the bottom of the form
                scroll.ensureWidgetVisible(widget.child_tables["ip_item"])
        _settle(app, ctx)
        target = out / f"{name}_{lang}.png"
        widget.grab().save(str(target))
        written.append(target)
        if isinstance(widget, InstitutionWindow):  # the visit history: follow-ups under their visit, overdue red
            widget.tabs.setCurrentWidget(widget.visits)
            _settle(app, ctx)
            written.append(out / f"institution_history_{lang}.png")
            widget.grab().save(str(written[-1]))
        widget.close()
    ctx.runner.shutdown()
    remove_translator(app, translator)
    return written


def render_help_and_first_sync(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """A new profile's first sync (正在同步, rows done / total, time left; the empty chart's axis), and Help → User
    guide."""
    from specialist_app.credentials import Account
    from specialist_app.gui.help import open_guide
    from specialist_app.gui.sync_controller import SyncController, SyncProgress
    from specialist_app.sync_engine.rate import RateMeter

    with _main_window(app, data_dir, lang) as (ctx, window):
        controller = SyncController(data_dir / "unused.sqlite3", Account(ctx.profile, "https://market.example.cn",
                                                                         "demo"), 15, parent=window)
        progress = SyncProgress(controller, lang)
        window.status.addWidget(progress)
        window.status.set_syncing(True)
        controller.started.emit()
        clock = iter([0.0, 12.0])
        progress._meter = RateMeter(lambda: next(clock))  # 250 rows a second, as a first pull on a good link
        progress._meter.update("pull", 0, 12_480)
        controller.progress.emit("pull", 3_000, 12_480)
        _settle(app, ctx)
        written = [out / f"first_sync_{lang}.png"]
        window.grab().save(str(written[-1]))
        guide = open_guide(window, lang)
        guide.resize(900, 700)
        _settle(app, ctx)
        written.append(out / f"user_guide_{lang}.png")
        guide.grab().save(str(written[-1]))
        guide.close()
    return written


def render_read_only(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """Another institution's achievement as a specialist sees it: read-only, why, and the way forward."""
    from specialist_app.gui.editors.dialog import EditorDialog
    from specialist_app.services import account
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store.db import open_store
    from sync.protocol import UserInfo

    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with UnitOfWork(store) as uow:
            conn = uow.conn
            for name in ("institution", "achievement", "ip_item"):  # as pulled from the market
                conn.exec_driver_sql(f"UPDATE {name} SET server_version = 1")
            mine = [str(r[0]) for r in conn.exec_driver_sql("SELECT institution_id FROM assigned_institution")]
            achievement = str(conn.exec_driver_sql(
                "SELECT id FROM achievement WHERE institution_id NOT IN (SELECT institution_id FROM"
                " assigned_institution) ORDER BY title LIMIT 1").scalar_one())
            account.record(conn, UserInfo(username="demo", role="specialist", institutions=mine))
            uow.commit()
    finally:
        store.close()
    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    ctx.username = "demo"
    editor = EditorDialog(ctx, "achievement", achievement, children=("ip_item",))
    editor.show()
    _settle(app, ctx)
    target = out / f"achievement_read_only_{lang}.png"
    editor.grab().save(str(target))
    editor.close()
    ctx.runner.shutdown()
    remove_translator(app, translator)
    return [target]


def render_duplicate_hint(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """A new institution's editor while its name, typed in traditional characters, matches a stored one."""
    from specialist_app.gui.editors import jobs
    from specialist_app.gui.editors.registry import make_editor

    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    found: list[tuple[str, str]] = []
    ctx.runner.submit(jobs.choices("institution"), found.extend)
    _settle(app, ctx)
    name = next(label for _, label in found if label.startswith("长春") and label.endswith("有限公司"))
    editor = make_editor(ctx, "institution")
    editor.show()
    _settle(app, ctx)
    # Traditional characters and another legal form.
    typed = name.replace("有限责任公司", "有限公司").replace("有限公司", "股份有限公司").replace("长春", "長春")
    editor.form.inputs["name"].set_value(typed)
    hint = editor.findChild(QFrame, "duplicate_hint")
    clock = QElapsedTimer()
    clock.start()
    while hint is not None and not hint.isVisible() and clock.elapsed() < 20_000:
        app.processEvents()
        ctx.runner.thread().msleep(10)
    _settle(app, ctx)
    target = out / f"duplicate_hint_{lang}.png"
    editor.grab().save(str(target))
    editor.drafts.discard()
    editor.close()
    ctx.runner.shutdown()
    remove_translator(app, translator)
    return [target]


def _add_sync_history(store_file: Path) -> None:
    """A few sync runs, one open conflict and one refused change, so the Sync page and dialogs show content."""
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store.db import open_store

    store = open_store(store_file)
    try:
        with UnitOfWork(store) as uow:
            conn = uow.conn
            inst = str(conn.exec_driver_sql("SELECT id FROM institution ORDER BY id LIMIT 1").scalar_one())
            conn.exec_driver_sql(
                "INSERT INTO sync_run (started_at, finished_at, outcome, pushed, pulled, conflicts, rejected,"
                " error_code, error_message) VALUES"
                " ('2026-03-16T01:02:00Z', '2026-03-16T01:02:41Z', 'ok', 0, 638, 0, 0, NULL, NULL),"
                " ('2026-03-17T06:30:00Z', '2026-03-17T06:30:05Z', 'offline', 0, 0, 0, 0, 'network_unavailable',"
                " '无法连接服务器（ConnectionError），数据已保存在本机，联网后请再次同步'),"
                " ('2026-03-18T02:15:00Z', '2026-03-18T02:15:09Z', 'partial', 12, 30, 1, 1, NULL, NULL)")
            conn.exec_driver_sql(
                "INSERT INTO conflict (id, entity, row_id, field, base, theirs, mine, theirs_by, theirs_at, created_at)"
                " VALUES ('shot-1', 'institution', ?, 'address', '\"杭州市西湖区\"', '\"杭州市西湖区余杭塘路866号\"',"
                " '\"杭州市西湖区浙大路38号\"', 'wangfang', '2026-03-18T01:40:00Z', '2026-03-18T02:15:05Z'),"
                " ('shot-2', 'institution', ?, 'org_type', '\"university\"', '\"institute\"', '\"university\"',"
                " 'wangfang', '2026-03-18T01:40:00Z', '2026-03-18T02:15:05Z')", (inst, inst))
            conn.exec_driver_sql(
                "INSERT INTO rejection (seq, entity, row_id, op, fields, reason, problems, message, created_at)"
                " VALUES (9001, 'institution', ?, 'update', '{\"credit_code\": \"12345\"}', 'invalid',"
                " '[{\"field\": \"credit_code\", \"code\": \"bad_credit_code\", \"params\": {}}]', NULL,"
                " '2026-03-18T02:15:07Z')", (inst,))
            uow.commit()
    finally:
        store.close()


def render_refused(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """A refused change (from _add_sync_history): the dashboard's red line, the status bar's red count, the notice."""
    from specialist_app.gui.refused import notify_refused

    with _main_window(app, data_dir, lang) as (ctx, window):
        window.show_page("dashboard")
        window.status.refresh()
        _settle(app, ctx)
        written = [out / f"dashboard_refused_{lang}.png"]
        window.grab().save(str(written[-1]))
        notice = notify_refused(ctx, window, 1)
        assert notice is not None
        _settle(app, ctx)
        written.append(out / f"refused_notice_{lang}.png")
        notice.grab().save(str(written[-1]))
        notice.close()
    return written


def render_sync(app: QApplication, data_dir: Path, lang: str, out: Path) -> list[Path]:
    """The Sync page (log, conflicts), the conflicts dialog, the sign-in and the settings dialogs."""
    from specialist_app.credentials import Account
    from specialist_app.gui.dialogs.conflicts import ConflictsDialog
    from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
    from specialist_app.gui.pages.sync_page import SyncPage
    from specialist_app.gui.signin import SignInDialog
    from specialist_app.gui.sync_controller import SyncController

    with _main_window(app, data_dir, lang) as (ctx, window):
        account = Account(ctx.profile, "https://market.example.cn", "demo")
        page = window.show_page("sync")
        assert isinstance(page, SyncPage)
        page.attach(SyncController(data_dir / "unused.sqlite3", account, 15, parent=window))
        page.refresh()
        _settle(app, ctx)
        written = [out / f"sync_{lang}.png"]
        window.grab().save(str(written[-1]))
        page.tabs.setCurrentIndex(1)
        _settle(app, ctx)
        written.append(out / f"sync_conflicts_{lang}.png")
        window.grab().save(str(written[-1]))
        signin = SignInDialog(data_dir, lang, server_url="https://market.example.cn", username="demo")
        for name, dialog in (("conflicts_dialog", ConflictsDialog(ctx, parent=window)), ("signin_dialog", signin),
                             ("settings_dialog", SettingsDialog(ctx, account, window))):
            dialog.show()
            _settle(app, ctx)
            if isinstance(dialog, ConflictsDialog) and dialog.table.rowCount():
                dialog.set_choice(0, "merged", "杭州市西湖区浙大路38号（玉泉校区）")
            written.append(out / f"{name}_{lang}.png")
            dialog.grab().save(str(written[-1]))
            dialog.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    parser.add_argument("--only", choices=("match", "match_editor", "search"), default=None,
                        help="render only these screens")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    time.tzset()  # the C library (and so Qt) reads TZ now
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # As in the app: no collection on the render steps' worker threads (a closed widget deleted there crashes).
    MainThreadGarbageCollector(app)
    font = QFont("WenQuanYi Micro Hei", 10)
    app.setFont(font)
    # Imported here, not at the top: screenshots_match imports _settle from this module.
    from screenshots_match import render_match, render_match_editor

    if args.only is not None:
        only = {"match": render_match, "match_editor": render_match_editor, "search": render_search}[args.only]
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            load_demo(paths.store_path(data_dir, paths.current_profile(data_dir)))
            for lang in ("zh_CN", "en"):
                print(*only(app, data_dir, lang, out), sep="\n")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        load_demo(paths.store_path(data_dir, paths.current_profile(data_dir)))
        written = render(app, data_dir, "zh_CN", PAGES_ZH, out)
        written += render(app, data_dir, "en", PAGES_EN, out)
        written += render_editors(app, data_dir, "zh_CN", out)
        written += render_match(app, data_dir, "zh_CN", out) + render_match(app, data_dir, "en", out)
        written += render_match_editor(app, data_dir, "zh_CN", out) + render_match_editor(app, data_dir, "en", out)
        written += render_search(app, data_dir, "zh_CN", out)
        _add_sync_history(paths.store_path(data_dir, paths.current_profile(data_dir)))
        written += render_sync(app, data_dir, "zh_CN", out)
        written += render_duplicate_hint(app, data_dir, "zh_CN", out)
        written += render_duplicate_hint(app, data_dir, "en", out)
    with tempfile.TemporaryDirectory() as tmp:  # fresh: no drafts left by the Chinese editors
        data_dir = Path(tmp)
        load_demo(paths.store_path(data_dir, paths.current_profile(data_dir)))
        written += render_editors(app, data_dir, "en", out)  # long English labels in child tables
        written += render_read_only(app, data_dir, "zh_CN", out)
        written += render_read_only(app, data_dir, "en", out)
    with tempfile.TemporaryDirectory() as tmp:  # a new profile: its first sync, an empty store's chart
        data_dir = Path(tmp)
        open_store(paths.store_path(data_dir, paths.current_profile(data_dir))).close()
        written += render_help_and_first_sync(app, data_dir, "zh_CN", out)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
