"""`specialist-app status` counts attachment files the server does not have yet, and says why one failed."""

from __future__ import annotations

from pathlib import Path

from specialist_app import paths
from specialist_app.services import sync_ops
from specialist_app.services.attachments import add_attachment
from specialist_app.services.records import create
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from tests.specialist_app.cli.test_cli_record import as_json, cli


def test_status_counts_pending_files_and_shows_a_failed_ones_reason(tmp_path: Path) -> None:
    assert cli(tmp_path, "status", "--json").returncode == 0  # creates the profile's store
    store = open_store(paths.store_path(tmp_path, paths.current_profile(tmp_path)))
    try:
        with UnitOfWork(store) as uow:
            inst = create(uow, "institution", {"name": "吉林大学", "org_type": "university"})
            uow.commit()
        photo = tmp_path / "photo.png"
        photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(5_452_587 - 8))  # 5.2 MB
        _row, info = add_attachment(store, "institution", inst, photo)
        small = tmp_path / "note.txt"
        small.write_text("纪要", encoding="utf-8")
        _row, other = add_attachment(store, "institution", inst, small)
        sync_ops.mark_blob(store, other.sha256, "failed", "network_unavailable")
        sync_ops.mark_blob(store, info.sha256, "partial", str(5_452_587 // 2))  # the server held half of it
    finally:
        store.close()
    status = as_json(cli(tmp_path, "status", "--json"))
    assert (status["pending_files"], status["pending_file_bytes"]) == (2, 5_452_587 + len("纪要".encode()))
    states = {f["name"]: (f["state"], f["reason"]) for f in status["files"]}
    assert states == {"photo.png": ("partial", None), "note.txt": ("failed", "network_unavailable")}
    assert [f["sent"] for f in status["files"] if f["name"] == "photo.png"] == [5_452_587 // 2]
    text = cli(tmp_path, "status").stdout
    assert "待上传附件 2 个，5.2 MB" in text
    assert "note.txt" in text and "上次上传失败（网络中断" in text
    assert "photo.png（5.2 MB）：已上传 49%，下次同步时从这里继续" in text
    assert info.sha256 not in text
