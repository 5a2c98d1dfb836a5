"""A sync run reports before its thread closes the store; a sync asked for meanwhile starts at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from specialist_app.credentials import Account, Credentials
from specialist_app.gui.sync_controller import SyncController
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.usefixtures("keyring_file")


def _one_attempt(account: Account, auth: Credentials) -> Transport:
    return Transport(account.server_url, auth=auth, max_attempts=1)


def test_the_report_comes_before_the_store_closes_and_a_new_run_may_start_meanwhile(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_file = tmp_path / "store.sqlite3"
    open_store(store_file).close()
    release = threading.Event()
    closes: list[str] = []
    close = Store.close

    def held_close(store: Store) -> None:
        """Closing takes until the test lets it go (the index merge and checkpoint, made long)."""
        closes.append("started")
        release.wait(timeout=20)
        close(store)
        closes.append("done")

    monkeypatch.setattr(Store, "close", held_close)
    account = Account("test", f"https://127.0.0.1:{free_port()}", "ivan")  # nothing listens: a quick run
    controller = SyncController(store_file, account, 60, make_transport=_one_attempt)
    try:
        with qtbot.waitSignal(controller.finished, timeout=10_000) as first:
            assert controller.sync_now()
        assert isinstance(first.args[0], SyncReport)
        assert "done" not in closes  # the user has the report while the run's store is still open
        assert not controller.is_running()
        with qtbot.waitSignal(controller.finished, timeout=10_000) as second:
            assert controller.sync_now()  # not refused: the first run only closes its store
            assert controller.is_running()
            assert not controller.sync_now()  # still one run at a time
        assert isinstance(second.args[0], SyncReport)
        assert closes.count("done") == 0
        release.set()
        controller.stop()  # waits for both stores to close
        assert closes == ["started", "started", "done", "done"]
    finally:
        release.set()
        controller.stop()
