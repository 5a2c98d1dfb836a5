"""Logging a visit through real widgets: people met, follow-ups, a dropped attachment; the Visits page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from pytestqt.qtbot import QtBot

from specialist_app.gui.attachments import blob_folder
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.date_inputs import DateInput
from specialist_app.gui.editors.ref_inputs import RefsInput
from specialist_app.gui.editors.visit_editor import LOG, PLAN, VisitEditor
from specialist_app.gui.pages.visits import VisitsPage
from specialist_app.services import records
from specialist_app.services.queries import institution_history
from sync.entities import ATTACHMENT_MAX_BYTES
from tests.specialist_app.gui.editor_helpers import (
    close_opened,
    outbox_rows,
    read_store,
    type_chinese,
    wait_loaded,
)


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


@pytest.fixture
def institution(seed: Callable[..., list[str]]) -> tuple[str, str]:
    [inst] = seed("institution", [{"name": "吉林农业大学", "org_type": "university"}])
    [contact] = seed("contact", [{"institution_id": inst, "name": "王老师", "position": "处长"}])
    return inst, contact


def photo(tmp_path: Path) -> Path:
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    path = tmp_path / "meeting.png"
    assert image.save(str(path))
    return path


def drop_files(editor: VisitEditor, files: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    editor.dropEvent(event)


def test_log_a_visit_with_follow_up_and_dropped_photo(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                                      tmp_path: Path, institution: tuple[str, str]) -> None:
    inst, contact = institution
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=inst))
    form = editor.form
    assert form.values()["status"] == "done" and form.values()["visited_at"]
    met = form.inputs["contacts_met"]
    assert isinstance(met, RefsInput)
    qtbot.waitUntil(lambda: contact in met.boxes)
    met.boxes[contact].click()
    qtbot.keyClicks(form.inputs["people_met"].widget, "Chief engineer Zhao")
    type_chinese(form.inputs["purpose"].widget, "了解中试需求")
    qtbot.keyClicks(form.inputs["notes"].widget, "Discussed a pilot line.")
    follow_ups = editor.child_tables["follow_up"]
    qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(follow_ups.cell(0, "action").widget, "Send the contract draft")
    qtbot.keyClicks(follow_ups.cell(0, "owner").widget, "Li")
    due = follow_ups.cell(0, "due_date")
    assert isinstance(due, DateInput)
    due.set_value((date.today() + timedelta(days=10)).isoformat())
    image = photo(tmp_path)
    assert editor.acceptDrops()
    drop_files(editor, [image])
    assert editor.attachments is not None
    panel = editor.attachments
    qtbot.waitUntil(lambda: len(panel.added) == 1 and bool(panel.thumbnailed))

    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    visit_id = saved.args[0]
    stored = read_store(data_dir, lambda uow: records.get(uow, "visit", visit_id))
    assert stored["status"] == "done" and stored["institution_id"] == inst
    assert stored["contacts_met"] == [contact] and stored["people_met"] == ["Chief engineer Zhao"]
    history = read_store(data_dir, lambda uow: institution_history(uow, inst))
    [visit] = history["visits"]
    assert [f["action"] for f in visit["follow_ups"]] == ["Send the contract draft"]
    sha = hashlib.sha256(image.read_bytes()).hexdigest()
    blob = blob_folder(data_dir, ctx.profile) / sha
    assert blob.read_bytes() == image.read_bytes()
    attachment = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT owner_entity, owner_id, filename, mime_type, size, sha256 FROM attachment").one())
    assert tuple(attachment) == ("visit", visit_id, "meeting.png", "image/png", image.stat().st_size, sha)
    pending = {entity for entity, _id, op in outbox_rows(data_dir) if op == "create"}
    assert {"visit", "follow_up", "attachment"} <= pending


def test_refused_files_say_why(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                               institution: tuple[str, str]) -> None:
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=institution[0]))
    big = tmp_path / "scan.pdf"
    with open(big, "wb") as out:
        out.truncate(ATTACHMENT_MAX_BYTES + 1)
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ")
    assert editor.attachments is not None
    panel = editor.attachments
    panel.add_files([big, program])
    qtbot.waitUntil(lambda: panel.error_label.isVisible())
    text = panel.error_label.text()
    assert "scan.pdf" in text and "25 MB" in text
    assert "setup.exe" in text and "不能作为附件" in text
    assert panel.added == []


def test_follow_up_due_before_the_visit_is_refused_at_save(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                                           institution: tuple[str, str]) -> None:
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=institution[0]))
    qtbot.waitUntil(lambda: editor.institution_id() == institution[0])
    follow_ups = editor.child_tables["follow_up"]
    follow_ups.add_row({"action": "Call back", "due_date": "2001-01-01"})
    editor.save()
    qtbot.waitUntil(lambda: follow_ups.error_label.isVisible())
    assert "1" in follow_ups.error_label.text()
    before = outbox_rows(data_dir)
    assert not [row for row in before if row[0] in ("visit", "follow_up")]  # all or nothing: no visit either
    follow_ups.cell(0, "due_date").set_value(None)
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert {e for e, _i, _o in outbox_rows(data_dir)[len(before):]} == {"visit", "follow_up"}


def test_plan_then_log_from_the_visits_page(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                            institution: tuple[str, str]) -> None:
    inst = institution[0]
    planner = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=PLAN, institution_id=inst))
    assert planner.form.values()["status"] == "planned" and planner.form.values()["planned_at"]
    qtbot.keyClicks(planner.form.inputs["purpose"].widget, "Pilot line tour")
    with qtbot.waitSignal(planner.saved) as saved:
        planner.save()
    visit_id = saved.args[0]

    page = VisitsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.upcoming_model.rowCount() == 1)
    assert page.recent_model.rowCount() == 0
    page.upcoming.setCurrentIndex(page.upcoming_model.index(0, 0))
    qtbot.mouseClick(page.log_planned_button, Qt.MouseButton.LeftButton)
    logger = next(w for w in page.findChildren(VisitEditor) if w.record_id == visit_id)
    wait_loaded(qtbot, ctx, logger)
    assert logger.form.values()["status"] == "done" and logger.form.values()["visited_at"]
    with qtbot.waitSignal(logger.saved):
        qtbot.mouseClick(logger.save_button, Qt.MouseButton.LeftButton)
    page.refresh()
    qtbot.waitUntil(lambda: page.recent_model.rowCount() == 1 and page.upcoming_model.rowCount() == 0)
    assert read_store(data_dir, lambda uow: records.get(uow, "visit", visit_id))["status"] == "done"


def test_an_untouched_editor_leaves_no_draft(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                             institution: tuple[str, str]) -> None:
    from specialist_app.gui.drafts import DraftFiles

    files = DraftFiles.for_profile(data_dir, ctx.profile)
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=institution[0]))
    # The institution's contacts and visits fill the pickers after loading: that is not typing.
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
    assert files.keys() == []
    again = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=institution[0]))
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
    assert not again.draft_banner.isVisible()


def test_a_new_visit_names_the_signed_in_specialist(qtbot: QtBot, ctx: AppContext, data_dir: Path,
                                                    institution: tuple[str, str]) -> None:
    """走访专员 starts with the account that logs the visit (the market's visits name specialists by account);
    it can still be changed, and a local profile without an account leaves it empty."""
    ctx.username = "zhangwei"
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=institution[0]))
    assert editor.form.values()["specialists"] == "zhangwei"  # as typed; a list once saved
    planned = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=PLAN, institution_id=institution[0]))
    assert planned.form.values()["specialists"] == "zhangwei"
    type_chinese(editor.form.inputs["purpose"].widget, "了解镁合金成果")
    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    stored = read_store(data_dir, lambda uow: records.get(uow, "visit", saved.args[0]))
    assert stored["specialists"] == ["zhangwei"]
    ctx.username = None
    local = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=institution[0]))
    assert not local.form.values()["specialists"]
