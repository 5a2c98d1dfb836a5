"""Render the user guide's screenshots (docs/user-guide/*.png) by driving the real app against a local market-server.

Usage: .venv/bin/python scripts/guide_screenshots.py [--out docs/user-guide]
Starts `market-server` (seeded with the small demo data) on loopback in a temp folder, signs in through the real
sign-in dialog with a file keyring, then plans and logs a visit, collects an achievement and a demand while the
server is stopped, syncs, makes and resolves a real conflict, and grabs each widget (Chinese, some in English).
Needs a CJK font (Debian: apt-get install -y fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _guide_steps import (
    GUIDE_ADMIN,
    GUIDE_ADMIN_PASSWORD,
    AdminDesk,
    Shots,
    assigned_institution,
    fill_achievement,
    in_two_weeks,
    loaded,
    make_photo,
    open_window,
    save,
    scroll_to,
    sign_in,
    status_bar,
    sync_and_wait,
)
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from specialist_app.demo import DemoServer, free_port
from specialist_app.demo_keyring import use_file_keyring
from specialist_app.gui import i18n
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.editors.visit_editor import LOG, PLAN, VisitEditor


def specialist_tour(shots: Shots, root: Path, server: DemoServer) -> None:
    """The Chinese walk-through: every step of the specialist's part of the guide."""
    from specialist_app.gui.dialogs.conflicts import ConflictsDialog
    from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
    from specialist_app.gui.institution_window import open_institution
    from specialist_app.gui.pages.sync_page import SyncPage

    lang = "zh_CN"
    base = root / "app-zh"
    account = sign_in(shots, base, server.url, lang)
    session, window, reports = open_window(shots, base, lang, account)
    ctx = window.ctx
    institution_id, _name = assigned_institution(shots, window)
    shots.grab(window, "institutions_zh_CN")
    status_bar(shots, window, "statusbar_synced_zh_CN")

    page = open_institution(ctx, institution_id, window)
    page.resize(1000, 560)
    shots.wait(lambda: page.history is not None, "institution page")
    shots.grab(page, "institution_zh_CN")

    server.stop()  # from here on the laptop is offline, as in a meeting room
    plan = loaded(shots, VisitEditor(ctx, mode=PLAN, institution_id=institution_id, parent=window))
    plan.show()
    plan.form.inputs["purpose"].set_value("了解新近成果，洽谈秸秆利用技术许可")
    plan.form.inputs["visit_type"].set_value("return")
    shots.grab(plan, "visit_plan_zh_CN", QRect(0, 0, plan.width(), 420))
    save(shots, plan)

    visit = VisitEditor(ctx, mode=LOG, institution_id=institution_id, parent=window)
    loaded(shots, visit)
    visit.resize(820, 900)
    visit.show()
    visit.form.inputs["visit_type"].set_value("return")
    visit.form.inputs["people_met"].set_value(["王老师", "赵处长"])
    visit.form.inputs["purpose"].set_value("了解新近成果，洽谈秸秆利用技术许可")
    visit.form.inputs["notes"].set_value("介绍了三项农业成果；企业对秸秆饲料化技术感兴趣，约定4月带企业回访。")
    follow_up = {"action": "寄送技术许可合同草案", "owner": "李明", "due_date": in_two_weeks()}
    visit.child_tables["follow_up"].add_row(follow_up)
    assert visit.attachments is not None
    visit.attachments.add_files([make_photo(root / "会谈照片.png")])
    shots.settle(500)
    scroll_to(visit, visit.child_tables["follow_up"])
    shots.grab(visit, "visit_log_zh_CN")
    save(shots, visit)

    achievement = loaded(shots, open_editor(ctx, "achievement", parent=window,
                                            prefill={"institution_id": institution_id}))
    achievement_id = achievement.record_id
    achievement.resize(860, 900)
    fill_achievement(achievement, "玉米秸秆饲料化利用技术", "秸秆、饲料、生物质")
    shots.grab(achievement, "achievement_top_zh_CN")
    achievement.form.inputs["price_mode"].set_value("fixed")  # without a price: the editor says what is missing
    achievement.save_button.click()
    shots.settle(400)
    scroll_to(achievement, achievement.form.inputs["price"].widget)
    shots.grab(achievement, "achievement_invalid_zh_CN")
    achievement.form.inputs["price"].set_value(120)
    achievement.form.confidential["price"].setChecked(True)
    achievement.form.confidential["indicators"].setChecked(True)
    achievement.child_tables["ip_item"].add_row(
        {"kind": "invention", "number": "ZL202210000001.2", "title": "一种秸秆发酵饲料的制备方法", "status": "granted"})
    shots.settle(300)
    scroll_to(achievement, achievement.child_tables["ip_item"])
    shots.grab(achievement, "achievement_bottom_zh_CN")
    save(shots, achievement)

    demand = loaded(shots, open_editor(ctx, "demand", parent=window, prefill={"institution_id": institution_id}))
    demand.resize(860, 900)
    demand.form.inputs["title"].set_value("秸秆青贮饲料保鲜技术")
    demand.form.inputs["demand_type"].set_value("tackling")
    demand.form.inputs["problem"].set_value("青贮饲料开窖后二次发酵，损耗约15%。")
    demand.form.inputs["goal"].set_value("开窖后30天内损耗低于5%。")
    demand.form.inputs["budget"].set_value(80)
    demand.form.inputs["coop_modes"].set_value(["joint_dev"])
    demand.form.inputs["confidentiality"].set_value("partial")
    demand.form.confidential["budget"].setChecked(True)
    shots.grab(demand, "demand_zh_CN")
    save(shots, demand)

    report = sync_and_wait(shots, window, reports)  # no server: the run is logged as "no network"
    if report.outcome != "offline":
        raise RuntimeError(f"expected an offline sync, got {report.outcome}")
    window.status.refresh()
    status_bar(shots, window, "statusbar_offline_zh_CN")

    server.start()
    report = sync_and_wait(shots, window, reports)
    if not report.ok:
        raise RuntimeError(f"sync failed: {report.message(lang)}")
    window.status.refresh()
    sync_page = window.show_page("sync")
    assert isinstance(sync_page, SyncPage)
    shots.grab(window, "sync_page_zh_CN")

    # A specialist may not edit an institution's profile: the market refuses the change at sync.
    edit = loaded(shots, open_editor(ctx, "institution", institution_id, parent=window))
    if edit.editable:
        edit.form.inputs["address"].set_value("吉林省长春市前进大街2699号 科技园A座")
        save(shots, edit)
        report = sync_and_wait(shots, window, reports)
        if report.rejected < 1:
            raise RuntimeError("expected a refused change")
        sync_page.refresh()
        shots.settle(300)
        sync_page.tabs.setCurrentIndex(2)
        shots.grab(window, "sync_refused_zh_CN")
    else:  # the app no longer offers a change the market refuses (#14.2): the guide keeps its earlier picture
        edit.close()

    # A real conflict: the administrator and the specialist change the same achievement before syncing.
    admin = AdminDesk(root / "admin", server.url)
    admin.sync()
    admin.update("achievement", achievement_id, {"summary": "以玉米秸秆为原料，经复合菌剂厌氧发酵制成肉牛饲料。"})
    admin.sync()
    again = loaded(shots, open_editor(ctx, "achievement", achievement_id, parent=window))
    again.form.inputs["summary"].set_value("以玉米秸秆为原料，经复合菌剂发酵制成反刍动物饲料，已在3家牧场中试。")
    save(shots, again)
    report = sync_and_wait(shots, window, reports)
    if report.conflicts < 1:
        raise RuntimeError(f"expected a conflict: {report.as_dict(lang)}")
    window.status.refresh()
    shots.settle(300)
    status_bar(shots, window, "statusbar_conflict_zh_CN")
    sync_page.refresh()
    shots.settle(300)
    sync_page.tabs.setCurrentIndex(1)
    shots.grab(window, "sync_conflicts_zh_CN")
    dialog = ConflictsDialog(ctx, parent=window)
    dialog.resize(1500, 260)
    dialog.show()
    shots.wait(lambda: dialog.table.rowCount() > 0, "conflicts dialog")
    dialog.set_choice(0, "merged", "以玉米秸秆为原料，经复合菌剂厌氧发酵制成肉牛饲料，已在3家牧场中试。")
    shots.grab(dialog, "conflicts_dialog_zh_CN")
    dialog.apply_button.click()
    shots.wait(lambda: ctx.runner.pending() == 0, "resolve")
    dialog.close()
    report = sync_and_wait(shots, window, reports)
    window.status.refresh()

    settings = SettingsDialog(ctx, account, window)
    settings.show()
    shots.grab(settings, "settings_zh_CN")
    settings.close()
    session.shutdown()


def english_tour(shots: Shots, root: Path, server: DemoServer) -> None:
    """Sign-in, the achievement editor and the Sync page in English."""
    lang = "en"
    base = root / "app-en"
    account = sign_in(shots, base, server.url, lang)
    session, window, reports = open_window(shots, base, lang, account)
    institution_id, _name = assigned_institution(shots, window)
    achievement = loaded(shots, open_editor(window.ctx, "achievement", parent=window,
                                            prefill={"institution_id": institution_id}))
    achievement.resize(860, 900)
    fill_achievement(achievement, "Corn straw feed technology", "straw, feed")
    achievement.form.inputs["price_mode"].set_value("negotiable")
    achievement.form.confidential["indicators"].setChecked(True)
    achievement.child_tables["ip_item"].add_row({"kind": "invention", "number": "ZL202210000001.2",
                                                 "status": "granted"})
    shots.grab(achievement, "achievement_top_en")
    shots.settle(300)
    scroll_to(achievement, achievement.child_tables["ip_item"])
    shots.grab(achievement, "achievement_bottom_en")
    save(shots, achievement)
    sync_and_wait(shots, window, reports)
    window.status.refresh()
    window.show_page("sync")
    shots.grab(window, "sync_page_en")
    session.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "user-guide"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    i18n.compile_qm()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setFont(QFont("WenQuanYi Micro Hei", 10))
    app.setQuitOnLastWindowClosed(False)
    shots = Shots(app, out)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        use_file_keyring(root / "keyring.json")
        server = DemoServer(root / "server", "small", free_port())
        server.prepare()
        subprocess.run([server.command, "user", "add", GUIDE_ADMIN, "--role", "admin", "--password-stdin"],
                       input=GUIDE_ADMIN_PASSWORD + "\n", text=True, env=server.env, check=True,
                       stdout=subprocess.DEVNULL)
        server.start()
        try:
            for lang, tour in (("zh_CN", specialist_tour), ("en", english_tour)):
                translator = i18n.install_translator(app, lang)
                tour(shots, root, server)
                i18n.remove_translator(app, translator)
        finally:
            server.stop()
    for path in shots.written:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
