"""Attachment files waiting for upload are shown: the status bar counts them, the Sync page says why one failed."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.gui.status_bar import SyncStatusBar
from specialist_app.store.db import Store

PHOTO_BYTES = 5_452_587  # 5.2 MB


def _two_files_one_failed(folder: Path) -> object:
    def run(store: Store) -> None:
        from specialist_app.services import sync_ops
        from specialist_app.services.attachments import add_attachment
        from specialist_app.services.records import create
        from specialist_app.services.uow import UnitOfWork

        with UnitOfWork(store) as uow:
            inst = create(uow, "institution", {"name": "吉林大学", "org_type": "university"})
            uow.commit()
        photo = folder / "photo.png"
        photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(PHOTO_BYTES - 8))
        _row, half_sent = add_attachment(store, "institution", inst, photo)
        note = folder / "纪要.txt"
        note.write_text("纪要", encoding="utf-8")
        _row, info = add_attachment(store, "institution", inst, note)
        sync_ops.mark_blob(store, info.sha256, "failed", "network_unavailable")
        sync_ops.mark_blob(store, half_sent.sha256, "partial", str(PHOTO_BYTES // 2))

    return run


def test_pending_files_show_in_the_status_bar_and_on_the_sync_page(
    qtbot: QtBot, ctx: AppContext, zh_translator: None, tmp_path: Path
) -> None:
    bar = SyncStatusBar(ctx)
    page = SyncPage(ctx)
    qtbot.addWidget(bar)
    qtbot.addWidget(page)
    bar.refresh()
    qtbot.waitUntil(lambda: bar.summary is not None)
    assert bar.files_label.isHidden()  # nothing to upload: nothing said

    done: list[object] = []
    ctx.runner.submit(_two_files_one_failed(tmp_path), done.append)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(done))
    bar.refresh()
    page.refresh()
    qtbot.waitUntil(lambda: bar.summary is not None and bar.summary.pending_files == 2)
    qtbot.waitUntil(lambda: not page.files_note.isHidden())
    assert bar.files_label.text() == "待上传附件 2 个，5.2 MB"
    lines = page.files_note.text().split("\n")
    assert lines[0] == "待上传附件 2 个，5.2 MB"
    assert sorted(lines[1:]) == ["photo.png（5.2 MB）：已上传 49%，下次同步时从这里继续",
                                 "纪要.txt（0.0 MB）：上次上传失败（网络中断），下次同步时重试"]
    bar.resize(900, 30)
    page.resize(900, 500)
    bar.grab().save(str(tmp_path / "status_bar.png"))
    page.grab().save(str(tmp_path / "sync_page.png"))
    assert (tmp_path / "sync_page.png").stat().st_size > 0


def test_a_run_that_left_files_says_so(qtbot: QtBot, zh_translator: None) -> None:
    from specialist_app.gui.sync_controller import report_text
    from specialist_app.sync_engine.report import SyncReport

    text = report_text(SyncReport(pushed=3, pulled=2, blobs_failed=1, outcome="partial"), "zh_CN")
    assert text.endswith("1 个附件尚未上传，下次同步时重试。")
    assert "附件" not in report_text(SyncReport(pushed=3), "zh_CN")
