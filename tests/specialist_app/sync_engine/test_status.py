"""Sync facts for the GUI: the run log read through list_sync_runs."""

from __future__ import annotations

from pathlib import Path

from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from specialist_app.sync_engine.status import list_sync_runs


def test_list_sync_runs_newest_first_and_limited(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.sqlite3")
    try:
        with UnitOfWork(store) as uow:
            assert list_sync_runs(uow.conn, 10) == []
            for day, outcome in ((1, "ok"), (2, "offline"), (3, "partial")):
                code = "network_unavailable" if outcome == "offline" else None
                uow.conn.exec_driver_sql(
                    "INSERT INTO sync_run (started_at, outcome, pushed, error_code) VALUES (?, ?, ?, ?)",
                    (f"2026-01-0{day}T00:00:00Z", outcome, day, code))
            uow.commit()
        with UnitOfWork(store) as uow:
            runs = list_sync_runs(uow.conn, 2)
    finally:
        store.close()
    assert [r["outcome"] for r in runs] == ["partial", "offline"]
    assert runs[1]["error_code"] == "network_unavailable" and runs[1]["pushed"] == 2
    assert set(runs[0]) >= {"id", "started_at", "finished_at", "conflicts", "rejected", "error_message"}
