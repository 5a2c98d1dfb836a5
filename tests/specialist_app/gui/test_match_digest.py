"""A Jilin enterprise's demand matched to an achievement of another province that the laptop holds only as a digest,
against a real market-server with a home province: the 对接 tab lists it marked [摘要 · 北京市], says what it was
compared on, opens the digest on a double-click, and a match record made from it is accepted by the server (the
achievement is in the market's catalog) and names the digest's title in the match form and the match list."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from market_server.db import make_engine
from market_server.seed import load_records
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES
from specialist_app.credentials import Account, Credentials
from specialist_app.gui.context import AppContext
from specialist_app.gui.digest_view import DigestView
from specialist_app.gui.editors.catalog_ref_input import CatalogRefInput
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.match_editor import MatchableEditor
from specialist_app.gui.match_panel import DIGEST_ROLE, MatchPanel
from specialist_app.gui.session import Session
from specialist_app.gui.sync_controller import SyncController
from specialist_app.sync_engine.transport import Transport
from sync.ids import uuid7
from tests.e2e.conftest import Market
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded
from tests.specialist_app.gui.test_sync_session import sign_in, wait_report

JILIN, DEMAND, BEIJING, FAR, OWN, FAR_DEMAND = uuid7(), uuid7(), uuid7(), uuid7(), uuid7(), uuid7()
FAR_TITLE = "玉米秸秆酶解制备功能糖技术"


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("jilin-match"), env={"MARKET_HOME_PROVINCE": "22"})
    server.add_user("wang")
    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(server.root)}))
    rows: list[tuple[str, dict[str, Any]]] = [
        ("institution", {"id": JILIN, "name": "吉林化纤集团有限责任公司", "org_type": "enterprise",
                         "region_code": "220204", "status": "active"}),
        ("demand", {"id": DEMAND, "title": "玉米秸秆综合利用技术需求", "institution_id": JILIN,
                    "demand_type": "adoption", "keywords": ["秸秆综合利用", "酶解"], "industry": "农产品加工",
                    "problem": "玉米秸秆综合利用率低，希望引进秸秆酶解制备功能糖的成熟技术。", "budget": 200.0,
                    "coop_modes": ["license"]}),
        ("institution", {"id": BEIJING, "name": "北京生物质研究院", "org_type": "institute",
                         "region_code": "110108", "status": "active"}),
        ("achievement", {"id": FAR, "title": FAR_TITLE, "institution_id": BEIJING, "trl": 7,
                         "keywords": ["秸秆综合利用", "酶解", "功能糖"], "domain": "农产品加工",
                         "transfer_modes": ["license"], "price_mode": "fixed", "price": 120.0,
                         "summary": "以玉米秸秆为原料，酶解制备功能糖，能耗降低百分之三十。"}),
        ("achievement", {"id": OWN, "title": "高强度碳纤维原丝制备技术", "institution_id": JILIN, "trl": 7,
                         "keywords": ["碳纤维", "原丝"], "domain": "新材料", "transfer_modes": ["license"],
                         "summary": "湿法纺丝制备高强度碳纤维原丝。"}),
        ("demand", {"id": FAR_DEMAND, "title": "碳纤维原丝国产化技术需求", "institution_id": BEIJING,
                    "demand_type": "adoption", "keywords": ["碳纤维", "原丝"], "industry": "新材料",
                    "coop_modes": ["license"], "problem": "需要稳定的碳纤维原丝制备工艺。"}),
    ]
    try:
        with engine.begin() as conn:
            load_records(conn, rows, "admin")
    finally:
        engine.dispose()
    server.admin("assign", "wang", JILIN)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def test_keyring(keyring_file: Path) -> Iterator[None]:
    yield
    for w in QApplication.topLevelWidgets():
        if isinstance(w, EditorDialog | DigestView) and w.isVisible():
            w.close()
    close_opened()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _visible(kind: type) -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _signed_in_session(market: Market, data_dir: Path) -> Session:
    """wang signed in to the real server, his session not yet started."""
    sign_in(data_dir, market.url, "wang")

    def transport(account: Account, auth: Credentials) -> Transport:
        return Transport(market.url, auth=auth, max_attempts=1)

    return Session(data_dir, "zh_CN", make_transport=transport)


def _suggestion(qtbot: QtBot, ctx: AppContext, entity: str, record_id: str, suggested: str) -> tuple[MatchPanel, int]:
    """The record's editor opened on its 对接 tab, and the row of the suggestion for `suggested` in it."""
    dialog = open_loaded(qtbot, ctx, entity, record_id)
    assert isinstance(dialog, MatchableEditor)
    dialog.tabs.setCurrentWidget(dialog.match_panel)
    panel = dialog.match_panel
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=15_000)
    row = next(r for r in range(panel.list.count())
               if panel.list.item(r).data(Qt.ItemDataRole.UserRole) == suggested)
    return panel, row


def _create_match(qtbot: QtBot, panel: MatchPanel) -> str:
    """One click on 创建对接记录 for the current suggestion: the new match's id."""
    with qtbot.waitSignal(panel.created, timeout=10_000, raising=False) as created:
        qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    assert created.signal_triggered, panel.status_label.text()
    return str(created.args[0])


def _push(qtbot: QtBot, controller: SyncController) -> None:
    assert controller.sync_now()
    report = wait_report(qtbot, controller)
    assert report.ok and report.pushed >= 1 and report.rejected == 0, report.as_dict("en")


def _stored_match(market: Market, match_id: str) -> Any:
    """The match as the server stored it: its scope, demand and achievement."""
    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(market.root)}))
    try:
        table = ENTITY_TABLES["match_record"]
        with engine.connect() as conn:
            return conn.execute(select(table.c.scope_id, table.c.demand_id, table.c.achievement_id)
                                .where(table.c.id == match_id)).one()
    finally:
        engine.dispose()


def test_a_digest_is_suggested_opened_and_matched_through_the_server(
    qtbot: QtBot, market: Market, data_dir: Path, zh_translator: None
) -> None:
    session = _signed_in_session(market, data_dir)
    try:
        assert session.start() is True
        assert session.controller is not None and session.ctx is not None
        report = wait_report(qtbot, session.controller)
        assert report.ok and report.digests == 3, report.as_dict("en")  # Beijing's institution, achievement, demand
        ctx = session.ctx

        panel, row = _suggestion(qtbot, ctx, "demand", DEMAND, FAR)
        item = panel.list.item(row)
        assert item.data(DIGEST_ROLE) == "11"
        assert f"[摘要 · 北京市] {FAR_TITLE}" in item.text()
        panel.list.setCurrentRow(row)
        reasons = panel.reasons.toPlainText()
        assert "领域相同" in reasons and "技术就绪水平 7 级" in reasons and "同一" not in reasons
        assert "仅有此记录的摘要" in reasons and "简介未参与比较" in reasons

        panel.list.itemDoubleClicked.emit(item)  # as a double-click does: the digest's own window
        qtbot.waitUntil(lambda: len(_visible(DigestView)) == 1)
        view = _visible(DigestView)[0]
        assert view.row_id == FAR
        qtbot.waitUntil(lambda: view.state == "full", timeout=30_000)
        view.close()

        match_id = _create_match(qtbot, panel)
        qtbot.waitUntil(lambda: any(e.entity.name == "match_record" for e in _visible(EditorDialog)))
        editor = next(e for e in _visible(EditorDialog) if e.entity.name == "match_record")
        picker = editor.form.inputs["achievement_id"]
        assert isinstance(picker, CatalogRefInput)
        qtbot.waitUntil(lambda: picker.edit.text() == FAR_TITLE)  # the digest's title, not （本机没有此记录）
        assert picker.value() == FAR
        matches = panel.match_list.list  # the demand's matches above its suggestions name the digest's title
        qtbot.waitUntil(lambda: any(FAR_TITLE in matches.item(r).text() for r in range(matches.count())))
        editor.close()

        _push(qtbot, session.controller)
    finally:
        session.shutdown()

    stored = _stored_match(market, match_id)
    assert stored.scope_id == JILIN
    assert (stored.demand_id, stored.achievement_id) == (DEMAND, FAR)


def test_an_achievement_is_matched_to_a_demand_of_another_province_through_the_server(
    qtbot: QtBot, market: Market, data_dir: Path, zh_translator: None
) -> None:
    """The other way round: the specialist holds the achievement's institution; the demand, and so the match's
    first governing institution, is Beijing's, held only as a digest. The server takes it through the second."""
    session = _signed_in_session(market, data_dir)
    try:
        assert session.start() is True
        assert session.controller is not None and session.ctx is not None
        assert wait_report(qtbot, session.controller).ok
        panel, row = _suggestion(qtbot, session.ctx, "achievement", OWN, FAR_DEMAND)
        assert panel.list.item(row).text().split("   ", 1)[1].startswith("[摘要 · 北京市] 碳纤维原丝国产化技术需求")
        panel.list.setCurrentRow(row)
        match_id = _create_match(qtbot, panel)
        _push(qtbot, session.controller)
    finally:
        session.shutdown()
    stored = _stored_match(market, match_id)
    assert (stored.scope_id, stored.demand_id, stored.achievement_id) == (BEIJING, FAR_DEMAND, OWN)
