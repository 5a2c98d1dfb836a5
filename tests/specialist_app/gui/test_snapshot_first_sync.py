"""The desktop app's first sync installs the market's catalog snapshot, published by an administrator's CLI."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from market_server.db import make_engine
from market_server.seed import load_records
from market_server.settings import Settings
from specialist_app import paths
from specialist_app.gui.session import Session
from specialist_app.gui.sync_controller import SyncController, phase_text, report_text
from specialist_app.services import search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from sync.demo import achievements_only
from tests.e2e.conftest import Client, Market
from tests.specialist_app.gui.test_sync_session import quick_transport, sign_in, wait_report

ROWS = 120


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    """A server with a catalog of ROWS achievements and a snapshot of it, published with the admin's CLI."""
    server = Market(tmp_path_factory.mktemp("server"))
    server.add_user("ada", "admin")
    server.add_user("jane")
    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(server.root)}))
    try:
        with engine.begin() as conn:
            load_records(conn, [("achievement", r) for r in itertools.islice(achievements_only(ROWS, seed=5), ROWS)],
                         "ada")
    finally:
        engine.dispose()
    home = tmp_path_factory.mktemp("admin")
    admin = Client(home / "data", home / "keyring.json")
    admin.login(server.url, "ada")
    published = admin.cli("catalog-snapshot", "publish", "--json")
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout)["cursor"] >= ROWS
    yield server
    server.stop()


def test_the_first_sync_in_the_window_installs_the_catalog_and_says_so(
    qtbot: QtBot, market: Market, data_dir: Path, keyring_file: Path
) -> None:
    account = sign_in(data_dir, market.url, "jane")
    session = Session(data_dir, "en", make_transport=quick_transport)
    try:
        assert session.start() is True
        controller = session.controller
        assert isinstance(controller, SyncController) and session.window is not None
        qtbot.addWidget(session.window)
        seen: list[str] = []
        controller.progress.connect(lambda phase, done, total: seen.append(phase_text(phase, done, total)))
        report = wait_report(qtbot, controller)
        assert report.ok, report.errors
        assert report.snapshot_cursor is not None and report.pulled == 0  # nothing changed since the snapshot
        assert any(text.startswith("Downloading the market catalog") for text in seen), seen
        assert any(text.startswith("Installing the market catalog") for text in seen), seen
        assert report_text(report, "en").startswith("Market catalog installed.")
        store = open_store(paths.store_path(data_dir, account.profile))
        try:
            with UnitOfWork(store) as uow:
                assert search.search(uow, "", entities=["achievement"]).total == ROWS
        finally:
            store.close()
    finally:
        session.shutdown()
