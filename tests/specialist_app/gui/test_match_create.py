"""A match record (对接记录) created from a suggestion in one click, opened in its editor, and synced through a
real server to a second specialist of the demand's institution."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from specialist_app.demo_keyring import use_file_keyring
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.match_editor import MatchableEditor, MatchRecordEditor
from specialist_app.services import records
from specialist_app.services.queries import market_today
from tests.e2e.conftest import Client, Market
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, read_store, signed_in_offline
from tests.specialist_app.gui.test_sync_session import sign_in


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    """Every editor these tests opened (the panel opens match editors itself) closed and deleted here, on the GUI
    thread, with the garbage they leave: not in a later test, nor by a collection on a worker thread."""
    yield
    for editor in _match_editors():
        editor.close()
    close_opened()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _match_editors() -> list[EditorDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, EditorDialog) and w.entity.name == "match_record" and w.isVisible()]


def create_from_first_suggestion(qtbot: QtBot, ctx: AppContext, demand: str) -> str:
    """Open the demand, go to its 对接 tab, select the first suggested achievement and click 创建对接记录."""
    dialog = open_loaded(qtbot, ctx, "demand", demand)
    assert isinstance(dialog, MatchableEditor)
    dialog.tabs.setCurrentWidget(dialog.match_panel)
    panel = dialog.match_panel
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=15_000)
    panel.list.setCurrentRow(0)
    assert panel.create_button.isEnabled()
    with qtbot.waitSignal(panel.created, timeout=10_000) as created:
        qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_match_editors()) == 1)
    return str(created.args[0])


def _seed(seed: Callable[..., list[str]], institution: str | None = None) -> tuple[str, str]:
    if institution is None:
        [institution] = seed("institution", [{"name": "吉林化纤集团有限责任公司", "org_type": "enterprise"}])
    [university] = seed("institution", [{"name": "北华大学", "org_type": "university"}])
    [demand] = seed("demand", [{
        "title": "玉米秸秆综合利用技术需求", "institution_id": institution, "demand_type": "adoption",
        "problem": "玉米秸秆酶解制备功能糖的能耗高", "keywords": ["秸秆综合利用", "酶解"]}])
    [ach] = seed("achievement", [{"title": "玉米秸秆酶解制备低聚木糖技术", "institution_id": university,
                                  "keywords": ["酶解"]}])
    return demand, ach


def test_a_suggestion_becomes_a_match_record_in_one_click(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path
) -> None:
    demand, ach = _seed(seed)
    match_id = create_from_first_suggestion(qtbot, ctx, demand)
    stored = read_store(data_dir, lambda uow: records.get(uow, "match_record", match_id))
    assert stored is not None
    assert (stored["demand_id"], stored["achievement_id"], stored["source"], stored["stage"]) == (
        demand, ach, "algorithm", "recommended")
    assert stored["recommended_on"] == market_today().isoformat()
    [editor] = _match_editors()
    assert isinstance(editor, MatchRecordEditor) and editor.record_id == match_id
    qtbot.waitUntil(lambda: editor.pair_label.text().count("玉米秸秆") == 2)  # the demand ↔ the achievement
    editor.close()
    qtbot.waitUntil(lambda: not _match_editors())

    # A second click on the same suggestion opens the same match: no second record of the pair.
    panel = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MatchableEditor)).match_panel
    with qtbot.waitSignal(panel.created) as again:
        qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    assert again.args[0] == match_id
    assert "already" in panel.status_label.text() or "已有" in panel.status_label.text()
    count = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT COUNT(*) FROM match_record").scalar())
    assert count == 1


def test_a_suggestion_of_two_institutions_not_theirs_is_refused_before_anything_is_stored(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path
) -> None:
    """One click on a suggestion for another specialist's demand used to store a match the market then sent back
    at the next sync (被退回): it is asked of sync.permissions first, as the match editor's save is."""
    demand, _ach = _seed(seed)
    [mine] = seed("institution", [{"name": "吉林农业科学院", "org_type": "institute"}])

    signed_in_offline(data_dir, ctx, "carol", mine)
    dialog = open_loaded(qtbot, ctx, "demand", demand)
    assert isinstance(dialog, MatchableEditor)
    dialog.tabs.setCurrentWidget(dialog.match_panel)
    panel = dialog.match_panel
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=15_000)
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "未能创建" in panel.status_label.text() or "not created" in panel.status_label.text())
    assert "该机构未分配给您" in panel.status_label.text()
    assert panel.create_button.isEnabled()
    assert not _match_editors()
    count = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT COUNT(*) FROM match_record").scalar())
    assert count == 0


def test_matches_are_shown_on_both_records_the_institution_the_dashboard_and_the_matching_page(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path
) -> None:
    from specialist_app.gui.institution_window import InstitutionWindow
    from specialist_app.gui.main_window import MainWindow
    from specialist_app.gui.pages.dashboard import DashboardPage
    from specialist_app.gui.pages.matches import MatchesPage

    demand, ach = _seed(seed)
    match_id = create_from_first_suggestion(qtbot, ctx, demand)
    for editor in _match_editors():
        editor.close()
    close_opened()
    for entity, record_id in (("demand", demand), ("achievement", ach)):
        dialog = open_loaded(qtbot, ctx, entity, record_id)
        assert isinstance(dialog, MatchableEditor)
        shown = dialog.match_panel.match_list.list
        qtbot.waitUntil(lambda shown=shown: shown.count() == 1)  # type: ignore[misc]
        assert shown.item(0).text().startswith("【推荐】 玉米秸秆综合利用技术需求 ↔ 玉米秸秆酶解制备低聚木糖技术")
    close_opened()

    institution = read_store(data_dir, lambda uow: records.get(uow, "demand", demand))["institution_id"]
    window = InstitutionWindow(ctx, institution)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.matching.match_list.list.count() == 1)
    window.close()

    main = MainWindow(ctx)
    qtbot.addWidget(main)
    dashboard = main.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.matches_card.value_label.text() == "1")
    assert dashboard.matches_card.caption_label.text().endswith("推荐 1")  # every match by stage (no translator here)
    page = main.show_page("matches")
    assert isinstance(page, MatchesPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, page.model.COL_STAGE)) == "推荐"
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("signed"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("recommended"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.doubleClicked.emit(page.model.index(0, 0))
    qtbot.waitUntil(lambda: len(_match_editors()) == 1)
    assert _match_editors()[0].record_id == match_id
    for editor in _match_editors():
        editor.close()


@pytest.fixture
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("match-server"))
    for name, role in (("admin", "admin"), ("alice", "specialist"), ("bob", "specialist")):
        server.add_user(name, role)
    yield server
    server.stop()


def test_a_match_created_in_the_gui_reaches_a_second_specialist_through_the_server(
    qtbot: QtBot, market: Market, data_dir: Path, tmp_path: Path, make_ctx: Callable[[str], AppContext],
    seed: Callable[..., list[str]],
) -> None:
    keyring_file = tmp_path / "keyring.json"
    previous = use_file_keyring(keyring_file)
    try:
        admin = Client(tmp_path / "admin-pc", tmp_path / "admin.keyring.json")
        admin.login(market.url, "admin")
        inst = admin.create("institution", {"name": "吉林化纤集团有限责任公司", "org_type": "enterprise"})
        assert admin.sync()["exit"] == 0
        market.admin("assign", "alice", inst)
        market.admin("assign", "bob", inst)

        sign_in(data_dir, market.url, "alice")  # alice's laptop is the GUI's data dir
        alice = Client(data_dir, keyring_file)
        assert alice.sync()["exit"] == 0
        demand, ach = _seed(seed, institution=inst)
        ctx = make_ctx("zh_CN")
        match_id = create_from_first_suggestion(qtbot, ctx, demand)
        close_opened()
        report = alice.sync()
        assert report["exit"] == 0, report

        bob = Client(tmp_path / "bob-pc", tmp_path / "bob.keyring.json")
        bob.login(market.url, "bob")
        assert bob.sync()["exit"] == 0
        pulled = bob.get("match_record", match_id)
        assert pulled is not None
        assert (pulled["demand_id"], pulled["achievement_id"], pulled["stage"]) == (demand, ach, "recommended")
    finally:
        import keyring

        keyring.set_keyring(previous)
