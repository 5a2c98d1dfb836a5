"""A digest opened: a catalog record outside the home province, shown read-only from its digest at once, then in
full once its record is read from the server (kept in the store; offline it says the full text comes online)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import MARGIN, SPACING, AppContext
from specialist_app.gui.dialogs.values import entity_label, label_of, value_text
from specialist_app.services import digests
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.digests import DigestRow
from sync.entities import entity as entity_schema
from sync.fields import Kind
from sync.messages import choose
from sync.regions import PROVINCES

# Fields a reader does not need to see: references shown by name instead, bookkeeping and review fields.
_HIDDEN = {"institution_id", "source_visit_id", "confidential_fields", "collected_by", "review_status", "review_note",
           "duplicate_of", "duplicate_state", "status", "proposed_by"}


def load_digest(row_id: str) -> Callable[[Store], DigestRow | None]:
    def job(store: Store) -> DigestRow | None:
        with ReadUnitOfWork(store) as read:
            return digests.load(read, row_id)
    return job


class DigestView(QDialog):
    """One digest, read-only; asks `ctx.records` for the full record when the store does not hold it yet."""

    def __init__(self, ctx: AppContext, row_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digest_view")
        self.ctx, self.row_id = ctx, row_id
        self.row: DigestRow | None = None
        self.state = "loading"  # loading | fetching | full | digest_only | gone
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        self.heading = QLabel()
        self.heading.setObjectName("digest_heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.notice = QLabel()
        self.notice.setObjectName("digest_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e6c36a; padding: 6px; }")
        layout.addWidget(self.notice)
        self._body = QWidget()
        self.form = QFormLayout(self._body)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.notice.setText(self.tr("Loading…"))
        if ctx.records is not None:
            ctx.records.fetched.connect(self._on_fetched)
            ctx.records.failed.connect(self._on_failed)
        ctx.runner.submit(load_digest(row_id), self._on_loaded, owner=self)

    def _on_loaded(self, row: DigestRow | None) -> None:
        self.row = row
        if row is None:
            self.state = "gone"
            self.notice.setText(self.tr("This digest is no longer in the catalog."))
            return
        self._render(row)
        if row.full is not None:
            self._set_state("full")
        elif self.ctx.records is not None:
            self.ctx.records.fetch(row.entity, row.id)  # False: already on its way (opened twice)
            self._set_state("fetching")
        else:  # a local profile, or not signed in: nobody to ask
            self._set_state("digest_only")

    def _on_fetched(self, row_id: str) -> None:
        if row_id == self.row_id:
            self.ctx.runner.submit(load_digest(self.row_id), self._on_loaded, owner=self)

    def _on_failed(self, row_id: str, _exc: object) -> None:
        if row_id == self.row_id:
            self._set_state("digest_only")

    def _set_state(self, state: str) -> None:
        self.state = state
        province = self._province()
        if state == "full":
            text = self.tr("A record of %1, read in full from the server (kept on this computer).").replace(
                "%1", province)
        elif state == "fetching":
            text = self.tr("Digest of a record of %1: fetching the full text from the server…").replace("%1", province)
        else:
            text = self.tr("This is only a digest of a record of %1: the full text comes when you are online.") \
                .replace("%1", province)
        self.notice.setText(text)

    def _province(self) -> str:
        names = PROVINCES.get((self.row.province if self.row else None) or "")
        return choose(self.ctx.lang, *names) if names else self.tr("another province")

    def _render(self, row: DigestRow) -> None:
        lang = self.ctx.lang
        self.setWindowTitle(self.tr("%1 (digest)").replace("%1", entity_label(row.entity, lang)))
        while self.form.rowCount():
            self.form.removeRow(0)
        fields = digests.full_fields(row)
        schema = entity_schema(row.entity)
        self.heading.setText(str(fields.get(schema.title_field) or row.title))
        if row.institution_name and not schema.is_scope_root:
            self._add(self.tr("Institution"), row.institution_name)
        for f in schema.fields:
            if f.name in _HIDDEN or f.name == schema.title_field or fields.get(f.name) in (None, "", []):
                continue
            self._add(label_of(row.entity, f.name, lang), value_text(row.entity, f.name, fields[f.name], lang),
                      long=f.kind is Kind.LONGTEXT)
        children = (row.full or {}).get("children") or []
        if children:
            self._add(self.tr("IP items"), "\n".join(_child_line(c) for c in children))

    def _add(self, label: str, value: str, long: bool = False) -> None:
        text = QLabel(value)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if long:
            text.setMinimumWidth(360)
        self.form.addRow(label, text)


def _child_line(change: dict[str, Any]) -> str:
    fields = change.get("fields") or {}
    return " · ".join(str(fields[n]) for n in ("title", "number") if fields.get(n))


def open_digest(ctx: AppContext, row_id: str, parent: QWidget | None = None) -> DigestView:
    view = DigestView(ctx, row_id, parent)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    return view
