"""The Sync page's run log: runs come from list_sync_runs; errors read in the UI language."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.sync_page import run_message
from specialist_app.gui.sync_data import SyncOverview, sync_overview
from specialist_app.store.db import Store
from tests.transport_fake import FakeTransportBase


def _log_offline_run(store: Store) -> None:
    from specialist_app.services.uow import UnitOfWork

    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql(
            "INSERT INTO sync_run (started_at, outcome, error_code, error_message) VALUES (?, ?, ?, ?)",
            ("2026-01-01T00:00:00Z", "offline", "network_unavailable", "无法连接服务器（timeout），数据已保存在本机"))
        uow.commit()


def test_the_run_log_reads_runs_and_tells_errors_in_each_language(qtbot: QtBot, ctx: AppContext) -> None:
    done: list[SyncOverview] = []
    ctx.runner.submit(_log_offline_run)
    ctx.runner.submit(sync_overview(5), done.append)
    qtbot.waitUntil(lambda: bool(done))
    [run] = done[0].runs
    assert run["outcome"] == "offline"
    assert run_message(run, "zh_CN").startswith("无法连接服务器（timeout）")
    english = run_message(run, "en")
    assert english.startswith("Cannot reach the server;") and "()" not in english


def test_a_failed_run_keeps_its_message_in_both_languages(qtbot: QtBot, ctx: AppContext) -> None:
    from specialist_app.sync_engine.engine import SyncEngine
    from specialist_app.sync_engine.errors import NetworkUnavailable

    class Unreachable(FakeTransportBase):
        def post_json(self, path: str, body: object) -> object:
            raise NetworkUnavailable("timeout")

    def sync_offline(store: Store) -> None:
        from specialist_app.services import records
        from specialist_app.services.uow import UnitOfWork

        with UnitOfWork(store) as uow:  # something to push, so the run reaches the network
            records.create(uow, "institution", {"name": "吉林大学", "org_type": "university"})
            uow.commit()
        SyncEngine(store, Unreachable()).run()  # type: ignore[arg-type]

    done: list[SyncOverview] = []
    ctx.runner.submit(sync_offline)
    ctx.runner.submit(sync_overview(5), done.append)
    qtbot.waitUntil(lambda: bool(done))
    run = done[0].runs[0]
    assert run["outcome"] == "offline"
    assert "timeout" in run_message(run, "zh_CN")
    english = run_message(run, "en")
    assert english.startswith("Cannot reach the server") and "timeout" in english
