"""The record editor dialog: a generated form, child tables, draft autosave, and saving through the task runner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from specialist_app.gui.context import MARGIN, SPACING, AppContext
from specialist_app.gui.drafts import DraftKeeper
from specialist_app.gui.editors import jobs
from specialist_app.gui.editors.child_table import ChildTable
from specialist_app.gui.editors.draft_banner import DraftBanner
from specialist_app.gui.editors.form import ERROR_STYLE, EntityForm
from specialist_app.gui.editors.lifecycle import EditorState
from specialist_app.gui.editors.read_only import ReadOnlyBanner, copied_values
from specialist_app.gui.editors.ref_pickers import RefPickers
from specialist_app.gui.editors.review_note import review_text
from specialist_app.gui.screen_fit import resize_within_screen
from specialist_app.services.records import RecordInvalid
from sync.entities import CORRECTION, ENTITIES
from sync.ids import uuid7
from sync.messages import in_language
from sync.permissions import Refusal

REVIEW_STYLE = "color: #7a5a00; background: #fff6d6; border: 1px solid #e8d08a; padding: 6px;"


def _entity_label(name: str, lang: str) -> str:
    return in_language(ENTITIES[name], lang)


class EditorDialog(QDialog):
    """Edit one record (`record_id`) or create one (None), with `children` entities as tables.

    `prefill` sets initial values of a new record; `fixed` values are saved without being shown (a parent id,
    the source visit); `focus_row` is a child row's id to select once loaded (the follow-up a list opened).
    Closing keeps what was typed as a draft; opening again offers it back; saving clears it.
    """

    saved = Signal(str)  # the record's id, after it is stored

    def __init__(
        self,
        ctx: AppContext,
        entity: str,
        record_id: str | None = None,
        *,
        prefill: Mapping[str, Any] | None = None,
        fixed: Mapping[str, Any] | None = None,
        children: tuple[str, ...] = (),
        fields: list[str] | None = None,
        draft_context: str = "",
        focus_row: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entity = ENTITIES[entity]
        self.state = EditorState(new=record_id is None)
        self.record_id = record_id or uuid7()
        self.setObjectName(f"editor_{entity}")
        label = _entity_label(entity, ctx.lang)
        self.setWindowTitle(
            (
                QCoreApplication.translate("EditorDialog", "New %1")
                if self.state.creating
                else QCoreApplication.translate("EditorDialog", "Edit %1")
            ).replace("%1", label)
        )
        resize_within_screen(self, 820, 760)  # a 1366x768 laptop: the buttons stay on the screen

        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.setSpacing(SPACING)
        self.draft_banner = DraftBanner()
        self.restore_button, self.discard_button = self.draft_banner.restore_button, self.draft_banner.discard_button
        self.restore_button.clicked.connect(self.restore_draft)
        self.discard_button.clicked.connect(self.discard_draft)
        outer.addWidget(self.draft_banner)
        self.review_label = QLabel()  # the market's word on the record: not reviewed yet, rejected, its note
        self.review_label.setObjectName("review_status")
        self.review_label.setWordWrap(True)
        self.review_label.setStyleSheet(REVIEW_STYLE)
        self.review_label.hide()
        outer.addWidget(self.review_label)
        self.read_only: Refusal | None = None  # why the server would refuse a change of this record (None: editable)
        self.read_only_banner = ReadOnlyBanner()
        self.read_only_banner.copy_requested.connect(self.copy_as_new)
        self.read_only_banner.correction_requested.connect(self.propose_correction)
        outer.addWidget(self.read_only_banner)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.content = QVBoxLayout(body)
        self.content.setContentsMargins(0, 0, SPACING, 0)
        self.content.setSpacing(SPACING * 2)
        hidden = set(fixed or {})
        names = (
            fields if fields is not None else [f.name for f in self.entity.editable_fields() if f.name not in hidden]
        )
        self.form = EntityForm(self.entity, ctx.lang, names)
        self.form.fixed = dict(fixed or {})
        self.content.addWidget(self.form)
        self.child_tables: dict[str, ChildTable] = {}
        for child in children:
            table = ChildTable(ENTITIES[child], ctx.lang, _entity_label(child, ctx.lang))
            table.title_label.setProperty("data_text", True)
            self.child_tables[child] = table
            self.content.addWidget(table)
            table.changed.connect(self._on_changed)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.error_label = QLabel()
        self.error_label.setObjectName("save_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("data_text", True)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            QCoreApplication.translate("EditorDialog", "Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)  # Enter saves
        self.save_button.setToolTip(QCoreApplication.translate("EditorDialog", "Save (Ctrl+S)"))
        cancel = self.buttons.addButton(
            QCoreApplication.translate("EditorDialog", "Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setObjectName("cancel")
        cancel.setToolTip(QCoreApplication.translate("EditorDialog", "Close (Esc); what you typed is kept as a draft"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(self.save)

        key = f"{entity}-{record_id}" if record_id else f"{entity}-new-{draft_context or 'any'}"
        self.drafts = DraftKeeper(ctx, key, self.snapshot, self)
        self.form.changed.connect(self._on_changed)
        self._prefill = dict(prefill or {})
        self._loaded_record: dict[str, Any] = {}
        self._focus_row = focus_row
        self.pickers = RefPickers(ctx, self.form, self, self.state.quiet, lambda: self.state.is_closed,
                                  writable_only=self.state.creating,
                                  record=None if self.state.creating or not record_id else (entity, record_id))
        self._load()

    # Loading -------------------------------------------------------------------------------------------------

    def child_entities(self) -> tuple[str, ...]:
        return tuple(self.child_tables)

    def _load(self) -> None:
        job = jobs.load_record(
            self.entity.name,
            None if self.state.creating else self.record_id,
            self.child_entities(),
            with_attachments=self.wants_attachments(),
            with_collected=self.wants_collected(),
            username=self.ctx.username,
        )
        self.ctx.runner.submit(job, self._on_loaded)
        self.pickers.load_scope()

    def wants_attachments(self) -> bool:
        return False

    def wants_collected(self) -> bool:
        return False

    def _on_loaded(self, loaded: jobs.LoadedRecord) -> None:
        if self.state.is_closed:
            return
        self.form.set_values(loaded.record if loaded.record is not None else self._prefill)
        self._show_review(loaded.record or {})
        for name, table in self.child_tables.items():
            table.set_rows(loaded.children.get(name, []))
        self.show_loaded(loaded)
        self.form.offer_admin_values(admin=loaded.admin)
        if loaded.needs_institution:
            self.form.require_institution()
            self.pickers.writable_only = True  # also a stored one the market never took: theirs to choose from
            self.pickers.load_scope()
        self.state.loaded()
        self.pickers.follow_scope()
        self._loaded_record = loaded.record or {}
        if loaded.refusal is not None:
            self.show_read_only(loaded.refusal)
            return  # nothing to type, so no draft to offer
        self.drafts.load(self.draft_banner.offer)
        at = next((t for t in self.child_tables.values() if t.select_row_id(self._focus_row)), None)
        if at is not None:
            self.scroll_area.ensureWidgetVisible(at.table)
        else:
            first = self.form.first_input()
            if first is not None:
                first.setFocus()

    def review_lines(self, record: dict[str, Any]) -> list[str]:
        """What the market said of the record; subclasses add their own state first (a proposal's review)."""
        return review_text(self.entity, record, self.ctx.lang)

    def _show_review(self, record: dict[str, Any]) -> None:
        text = "\n".join(self.review_lines(record))
        if text:
            self.review_label.setText(text)
            self.review_label.show()

    def show_loaded(self, loaded: jobs.LoadedRecord) -> None:
        """Subclasses show what else they loaded (attachments, records collected on a visit)."""

    def institution_id(self) -> str | None:
        return self.pickers.scope_id()

    # Read-only: what the server would refuse is not offered ---------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.read_only is None

    def show_read_only(self, refusal: Refusal) -> None:
        """Open the record to read: the why and the way forward instead of a Save the server would refuse."""
        lang = self.ctx.lang
        self.read_only = refusal
        self.read_only_banner.show_refusal(self.entity, refusal, lang, stored=not self.state.creating)
        self.form.setEnabled(False)
        for table in self.child_tables.values():
            table.setEnabled(False)
        self.save_button.hide()
        self.setWindowTitle(QCoreApplication.translate("EditorDialog", "View %1").replace(
            "%1", _entity_label(self.entity.name, lang)))

    def propose_correction(self) -> EditorDialog:
        """A note to the market about this record (a correction entity), written in its own small editor."""
        return open_editor(self.ctx, CORRECTION.name, parent=self, fields=["note"],
                           fixed={"target_entity": self.entity.name, "target_id": self.record_id},
                           draft_context=f"{self.entity.name}-{self.record_id}")

    def copy_as_new(self) -> None:
        """A new record of the same kind with this one's values, its institution left for the user to choose."""
        open_editor(self.ctx, self.entity.name, parent=self.parentWidget(),
                    prefill=copied_values(self.entity, self._loaded_record),
                    draft_context=f"copy-{self.record_id}")
        self.close()

    # Drafts --------------------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything typed, JSON-ready (the draft)."""
        return {
            "id": self.record_id,
            "values": self.form.values(),
            "children": {
                name: {"rows": t.contents().rows, "removed_ids": t.removed_ids} for name, t in self.child_tables.items()
            },
        }

    def restore(self, content: Mapping[str, Any]) -> None:
        if self.state.creating and content.get("id"):
            self.record_id = str(content["id"])
        self.form.set_values(dict(content.get("values") or {}))
        for name, table in self.child_tables.items():
            saved = (content.get("children") or {}).get(name)
            if saved is not None:
                table.set_rows(saved.get("rows", []), saved.get("removed_ids", []))
        self.pickers.follow_scope()

    def restore_draft(self) -> None:
        found = self.draft_banner.take()
        if found is not None:
            self.restore(found["content"])
        self.drafts.touch()  # keep the restored text safe again under this editor's key, now
        self.drafts.flush()

    def discard_draft(self) -> None:
        self.draft_banner.take()
        self.drafts.discard()
        self.drafts.resume()

    def _on_changed(self) -> None:
        # Widgets being destroyed can still report a change (a date edit fixes up its text on focus out), after
        # this dialog's own C++ part is gone: nothing may be touched then.
        if self.state.takes_typing:
            self.drafts.touch()

    # Saving --------------------------------------------------------------------------------------------------

    def plan(self) -> jobs.SavePlan:
        values = {k: v for k, v in self.form.values().items() if k != "id"}
        return jobs.SavePlan(
            self.entity.name,
            self.record_id,
            self.state.creating,
            values,
            [t.contents() for t in self.child_tables.values()],
        )

    def local_problems(self) -> bool:
        """Validate everything shown; True when something is wrong (and shown)."""
        bad = bool(self.form.check_all())
        for table in self.child_tables.values():
            found = table.problems()
            table.show_problems(found)
            bad = bad or bool(found)
        return bad

    def save(self, *, close: bool = True) -> None:
        if not self.state.may_save or not self.editable:
            return  # still loading, a save already running (Ctrl+S twice), or a record this user may not change
        self.error_label.hide()
        if self.local_problems():
            self.error_label.setText(
                QCoreApplication.translate("EditorDialog", "Please correct the fields marked in red.")
            )
            self.error_label.show()
            self.focus_first_error()
            return
        self.save_button.setEnabled(False)
        self.state.saving()
        self.ctx.runner.submit(
            jobs.save(self.plan()), lambda id: self._on_saved(id, close), self._on_save_failed, owner=self
        )

    def _on_saved(self, id: str, close: bool) -> None:
        self.save_button.setEnabled(True)
        closed = self.state.is_closed  # closed while saving: the record is stored all the same
        if not closed:
            self.state.saved()
        self.drafts.discard()
        self.after_save()
        self.ctx.events.changed.emit(self.entity.name)
        self.ctx.events.saved.emit(self.entity.name, str(self.form.values().get(self.entity.title_field) or ""))
        self.saved.emit(id)
        if closed:
            return
        if close:
            self.accept()
        else:
            self.drafts.resume(f"{self.entity.name}-{id}")

    def after_save(self) -> None:
        """Subclasses reset what the save consumed (new attachments now stored)."""

    def _on_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if self.state.is_closed:
            return
        self.state.save_failed()
        if isinstance(exc, jobs.ChildInvalid) and exc.entity in self.child_tables:
            self.child_tables[exc.entity].show_problems(exc.problems)
            text = QCoreApplication.translate("EditorDialog", "Please correct the rows marked in red.")
        elif isinstance(exc, RecordInvalid | jobs.ChildInvalid):
            rest = self.form.show_problems(exc.problems) if isinstance(exc, RecordInvalid) else exc.problems
            text = "；".join(p.message(self.ctx.lang) for p in rest) or QCoreApplication.translate(
                "EditorDialog", "Please correct the fields marked in red."
            )
        else:
            text = QCoreApplication.translate("EditorDialog", "Could not save: %1").replace("%1", str(exc))
        self.error_label.setText(text)
        self.error_label.show()
        self.focus_first_error()

    def focus_first_error(self) -> None:
        """Scroll to and focus the first field marked in red: the form's, else a child table's."""
        if not self.form.focus_first_error():
            any(table.focus_first_error() for table in self.child_tables.values())

    # Closing keeps a draft -----------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self.drafts.flush()
        if self.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
            self.state.closed()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.drafts.flush()
        super().closeEvent(event)


def open_editor(
    ctx: AppContext, entity: str, record_id: str | None = None, *, parent: QWidget | None = None, **kwargs: Any
) -> EditorDialog:
    """Show the editor of `entity` (non-modal, deleted on close) and return it."""
    from specialist_app.gui.editors.registry import make_editor  # the registry imports the subclasses of this

    dialog = make_editor(ctx, entity, record_id, parent=parent, **kwargs)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
