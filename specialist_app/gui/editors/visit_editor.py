"""The visit editor: plan a visit or log it, with follow-ups, attachments (dialog or drop) and what was collected."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QWidget

from specialist_app.gui.attachments import AttachmentsPanel
from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.editors import jobs
from specialist_app.gui.editors.date_text import market_today
from specialist_app.gui.editors.dialog import EditorDialog, open_editor
from specialist_app.gui.i18n import code_label
from sync import codes as C
from sync.entities import VISIT
from sync.fields import format_datetime
from sync.permissions import Refusal

PLAN = "plan"  # a new planned visit
LOG = "log"  # a visit done (a planned one opened with LOG becomes done)
EDIT = "edit"  # an existing visit as it is


def _next_morning() -> str:
    """Tomorrow 09:00 on the market's clock, whatever this computer's zone."""
    return format_datetime(datetime.combine(market_today() + timedelta(days=1), time(9, 0)))  # naive: market time


def _now() -> str:
    return format_datetime(datetime.now(UTC).replace(second=0))


class VisitEditor(EditorDialog):
    """`mode` PLAN (status planned, a planned time) or LOG (status done, visited now); an existing planned
    visit opened with LOG becomes done."""

    def __init__(
        self,
        ctx: AppContext,
        record_id: str | None = None,
        *,
        mode: str = LOG,
        institution_id: str | None = None,
        parent: QWidget | None = None,
        **kwargs: Any,
    ) -> None:
        self.mode = mode
        prefill: dict[str, Any] = {"institution_id": institution_id, "status": "planned" if mode == PLAN else "done"}
        prefill["planned_at" if mode == PLAN else "visited_at"] = _next_morning() if mode == PLAN else _now()
        if ctx.username:  # who visits: the signed-in specialist, as the market's visits name them (by account)
            prefill["specialists"] = [ctx.username]
        self.attachments: AttachmentsPanel | None = None
        super().__init__(
            ctx,
            "visit",
            record_id,
            prefill=prefill,
            children=VISIT.children,
            draft_context=f"{mode}-{institution_id or 'any'}",
            parent=parent,
            **kwargs,
        )
        if mode == PLAN and record_id is None:
            self.setWindowTitle(self.tr("Plan a visit"))
        elif mode == LOG:
            self.setWindowTitle(self.tr("Log a visit"))
        self.attachments = AttachmentsPanel(ctx)
        self.attachments.changed.connect(self._on_changed)
        self.content.addWidget(self.attachments)
        self.content.addWidget(self._collected_box())
        self.setAcceptDrops(True)

    def _collected_box(self) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        column = QWidget()
        inner = QHBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        self.collected_label = QLabel(self.tr("Collected on this visit"))
        self.collected = QListWidget()
        self.collected.setObjectName("collected")
        self.collected.setAccessibleName(self.tr("Achievements and demands collected on this visit"))
        self.collected.setProperty("data_text", True)
        self.collected.setMaximumHeight(110)
        self.collected.setToolTip(self.tr("Double-click one to open it"))
        self.collected.itemActivated.connect(self._open_collected_item)
        self.new_achievement_button = QPushButton(icon("achievement"), self.tr("New achievement…"))
        self.new_achievement_button.setObjectName("collect_achievement")
        self.new_achievement_button.setToolTip(self.tr("Saves the visit, then opens an achievement linked to it"))
        self.new_demand_button = QPushButton(icon("demand"), self.tr("New demand…"))
        self.new_demand_button.setObjectName("collect_demand")
        self.new_demand_button.setToolTip(self.tr("Saves the visit, then opens a demand linked to it"))
        for button in (self.new_achievement_button, self.new_demand_button):
            button.setAutoDefault(False)
        self.new_achievement_button.clicked.connect(lambda: self.collect("achievement"))
        self.new_demand_button.clicked.connect(lambda: self.collect("demand"))
        layout.addWidget(self.collected_label)
        layout.addWidget(self.collected, 1)
        buttons = QWidget()
        stack = QHBoxLayout(buttons)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.new_achievement_button)
        stack.addWidget(self.new_demand_button)
        layout.addWidget(buttons)
        return box

    def wants_attachments(self) -> bool:
        return True

    def show_read_only(self, refusal: Refusal) -> None:
        super().show_read_only(refusal)
        self.setAcceptDrops(False)
        for button in (self.new_achievement_button, self.new_demand_button):
            button.setEnabled(False)
        if self.attachments is not None:  # files still open to read; none added or removed
            self.attachments.add_button.setEnabled(False)
            self.attachments.remove_button.hide()

    def wants_collected(self) -> bool:
        return True

    def show_loaded(self, loaded: jobs.LoadedRecord) -> None:
        if loaded.record is not None and self.mode == LOG and loaded.record.get("status") != "done":
            self.form.set_values({"status": "done", "visited_at": loaded.record.get("visited_at") or _now()})
        if self.attachments is not None:
            self.attachments.set_stored(loaded.attachments)
        self.show_collected(loaded.collected)

    def show_collected(self, rows: list[dict[str, Any]]) -> None:
        self.collected.clear()
        for row in rows:
            kind = code_label(C.ATTACHMENT_OWNER, row["entity"], self.ctx.lang)
            item = QListWidgetItem(f"{kind} · {row.get('title') or ''}")
            item.setData(Qt.ItemDataRole.UserRole, (row["entity"], str(row["id"])))
            self.collected.addItem(item)

    # Drafts carry the attachments added but not saved yet.

    def snapshot(self) -> dict[str, Any]:
        content = super().snapshot()
        content["attachments"] = self.attachments.new_records() if self.attachments is not None else []
        content["removed_attachments"] = list(self.attachments.removed_ids) if self.attachments is not None else []
        return content

    def restore(self, content: Mapping[str, Any]) -> None:
        super().restore(content)
        if self.attachments is not None:
            self.attachments.set_added(list(content.get("attachments") or []))
            self.attachments.remove_stored([str(i) for i in content.get("removed_attachments") or []])

    def plan(self) -> jobs.SavePlan:
        plan = super().plan()
        if self.attachments is not None:
            plan.new_attachments = self.attachments.new_records()
            plan.removed_attachments = list(self.attachments.removed_ids)
        return plan

    def after_save(self) -> None:
        if self.attachments is not None:
            self.attachments.removed_ids = []
            self.attachments.set_added([])
            # Reload: the stored list needs the new records' ids (to open or remove them later).
            job = jobs.load_record("visit", self.record_id, with_attachments=True)
            self.ctx.runner.submit(job, lambda loaded: self._show_stored(loaded.attachments), owner=self)

    def _show_stored(self, stored: list[dict[str, Any]]) -> None:
        if self.attachments is not None:
            self.attachments.set_stored(stored)

    # Achievements and demands collected on this visit.

    def collect(self, entity: str) -> None:
        """Save the visit (it must exist to be the source), then open a new record linked to it."""
        self._collect_next = entity
        self.saved.connect(self._open_collected)
        self.save(close=False)

    def _open_collected(self, visit_id: str) -> None:
        self.saved.disconnect(self._open_collected)
        entity = self._collect_next
        institution = self.institution_id()
        editor = open_editor(
            self.ctx,
            entity,
            parent=self,
            prefill={"institution_id": institution},
            fixed={"source_visit_id": visit_id},
            draft_context=f"visit-{visit_id}",
        )
        editor.saved.connect(self._reload_collected)

    def _open_collected_item(self, item: QListWidgetItem) -> None:
        """A collected achievement or demand opens in its editor (saving it updates this list)."""
        entity, record_id = item.data(Qt.ItemDataRole.UserRole)
        editor = open_editor(self.ctx, entity, record_id, parent=self)
        editor.saved.connect(self._reload_collected)

    def _reload_collected(self, _id: str) -> None:
        job = jobs.load_record("visit", self.record_id, with_collected=True)
        self.ctx.runner.submit(job, lambda loaded: self.show_collected(loaded.collected), owner=self)

    # Drag and drop of files onto the editor.

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if files and self.attachments is not None:
            self.attachments.add_files(files)
            event.acceptProposedAction()
