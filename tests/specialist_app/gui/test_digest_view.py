"""A digest in the app, against a real market-server with a home province: the first sync holds it as a digest, the
search lists it marked 摘要 with its province, opening it reads the full record once (kept), and offline a digest
not read before says in Chinese that the full text comes when online."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from market_server.db import make_engine
from market_server.seed import load_records
from market_server.settings import Settings
from specialist_app.credentials import Account, Credentials
from specialist_app.gui.digest_view import DigestView
from specialist_app.gui.pages.catalog import CatalogPage
from specialist_app.gui.search_model import COL_SUBTITLE, DIGEST_ROLE
from specialist_app.gui.session import Session
from specialist_app.sync_engine.transport import Transport
from sync.ids import uuid7
from tests.e2e.conftest import Market, free_port
from tests.specialist_app.gui.test_sync_session import sign_in, wait_report

INST, NEAR, FAR, OTHER = uuid7(), uuid7(), uuid7(), uuid7()
SHOTS = Path(__file__).parent / "screenshots"  # not kept: the test writes its render to tmp_path


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("jilin"), env={"MARKET_HOME_PROVINCE": "22"})
    server.add_user("wang")
    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(server.root)}))
    rows: list[tuple[str, dict[str, Any]]] = [
        ("institution", {"id": INST, "name": "北京催化研究院", "org_type": "institute", "region_code": "110108",
                         "status": "active"}),
        ("achievement", {"id": FAR, "title": "高效纳米催化材料制备技术", "institution_id": INST, "trl": 6,
                         "keywords": ["纳米催化", "材料"], "domain": "新材料", "transfer_modes": ["license"],
                         "summary": "本成果提出一种高效纳米催化材料的制备方法，催化效率提高百分之三十。"}),
        ("achievement", {"id": OTHER, "title": "催化裂化尾气处理装置", "institution_id": INST,
                         "summary": "尾气处理的全文"}),
        ("achievement", {"id": NEAR, "title": "玉米秸秆催化转化技术", "summary": "吉林的成果"}),
    ]
    try:
        with engine.begin() as conn:
            load_records(conn, rows, "admin")
    finally:
        engine.dispose()
    yield server
    server.stop()


pytestmark = pytest.mark.usefixtures("keyring_file")


def _open_view(qtbot: QtBot, page: CatalogPage, row_id: str) -> DigestView:
    model = page.model
    row = next(r for r in range(model.rowCount()) if model.hit(r).id == row_id)
    index = model.index(row, COL_SUBTITLE)
    assert model.data(index, DIGEST_ROLE) is True
    page._open_index(index)
    views = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, DigestView) and w.row_id == row_id and w.isVisible()]
    assert len(views) == 1
    return views[0]


def _texts(view: DigestView) -> str:
    return "\n".join(label.text() for label in view.findChildren(QLabel))


def test_a_digest_is_listed_opened_in_full_and_says_when_offline(
    qtbot: QtBot, market: Market, data_dir: Path, tmp_path: Path, zh_translator: None
) -> None:
    sign_in(data_dir, market.url, "wang")
    server = {"url": market.url}

    def switchable(account: Account, auth: Credentials) -> Transport:
        return Transport(server["url"], auth=auth, max_attempts=1)

    session = Session(data_dir, "zh_CN", make_transport=switchable)
    try:
        assert session.start() is True
        assert session.controller is not None and session.ctx is not None
        report = wait_report(qtbot, session.controller)
        assert report.ok and report.digests == 3, report.as_dict("en")
        page = CatalogPage(session.ctx, "achievement")
        qtbot.addWidget(page)
        page.search_edit.setText("催化")
        page.run_search()
        qtbot.waitUntil(lambda: page.model.rowCount() == 3)
        subtitles = {page.model.hit(r).id: page.model.data(page.model.index(r, COL_SUBTITLE))
                     for r in range(3)}
        assert subtitles[FAR].startswith("[摘要 · 北京市]") and not subtitles[NEAR].startswith("[摘要")

        view = _open_view(qtbot, page, FAR)
        qtbot.waitUntil(lambda: view.state == "full", timeout=30_000)
        assert "催化效率提高百分之三十" in _texts(view) and "北京市" in view.notice.text()
        view.resize(720, 600)
        shot = tmp_path / "digest_view.png"
        assert view.grab().save(str(shot)) and shot.stat().st_size > 10_000
        view.close()

        server["url"] = f"http://127.0.0.1:{free_port()}"  # offline now
        again = _open_view(qtbot, page, FAR)  # read before: opens in full from the store
        qtbot.waitUntil(lambda: again.state == "full")
        again.close()
        other = _open_view(qtbot, page, OTHER)
        qtbot.waitUntil(lambda: other.state == "digest_only", timeout=30_000)
        assert "全文需联网后获取" in other.notice.text() and "尾气处理的全文" not in _texts(other)
        assert "催化裂化尾气处理装置" in other.heading.text()
        other.close()
    finally:
        session.shutdown()
