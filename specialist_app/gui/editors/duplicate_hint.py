"""The likely-duplicate hint of a new record's editor: what is typed is looked up as it is typed.

Shown above the form while a record in the local store looks like the one being typed (same credit code,
registration or patent number, or a near-identical name or title, sync.duplicates). Each hit offers: open it,
it is a different one (not shown again in this editor), add to it instead (what was typed becomes a draft of
that record, offered when its editor opens; this editor closes without keeping a draft).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from specialist_app.gui.drafts import DraftFiles
from specialist_app.gui.duplicate_checker import checker_for
from sync.duplicates import CHECKED, Hit, probe_of
from sync.duplicates.records import CHILD_CODES, NAME_FIELD
from sync.entities import ENTITIES

if TYPE_CHECKING:
    from specialist_app.gui.editors.dialog import EditorDialog

HINT_STYLE = "QFrame#duplicate_hint { color: #5a3b00; background: #fff3e0; border: 1px solid #f0b860; }"
DELAY_MS = 250  # after the last keystroke: one lookup per pause, not per character


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def _reason(hit: Hit) -> str:
    if hit.reason == "name" and hit.score >= 1:
        return translate("DuplicateHint", "same name")
    if hit.reason == "name":
        return translate("DuplicateHint", "similar name, %1%").replace("%1", str(round(hit.score * 100)))
    if hit.reason == "patent":
        return translate("DuplicateHint", "same patent number")
    if hit.reason == "reg_no":
        return translate("DuplicateHint", "same registration number")
    if hit.reason == "credit_code":
        return translate("DuplicateHint", "same credit code")
    return translate("DuplicateHint", "same phone or e-mail")


class DuplicateHint(QFrame):
    """Watches `dialog`'s form (and its IP items) and shows the likely duplicates of what is typed."""

    def __init__(self, dialog: EditorDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.entity = dialog.entity.name
        self.setObjectName("duplicate_hint")
        self.setStyleSheet(HINT_STYLE)
        self.rows = QVBoxLayout(self)
        self.hits: list[Hit] = []
        self.dismissed: set[str] = set()
        self.checker = checker = checker_for(dialog.ctx)
        checker.retain()
        self.destroyed.connect(lambda: checker.release())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.check)
        dialog.form.changed.connect(self._timer.start)
        for table in dialog.child_tables.values():
            table.changed.connect(self._timer.start)
        self.hide()
        self.checker.check(probe_of(self.entity, {}), self._show, self, refresh=True)  # reads what changed

    def typed(self) -> dict[str, Any]:
        values = {**self.dialog.form.fixed, **self.dialog.form.values()}
        if not values.get("institution_id"):
            values["institution_id"] = self.dialog.institution_id()
        return values

    def _patents(self) -> list[str]:
        """The identifiers typed in the child tables (an achievement's IP items' numbers)."""
        found: list[str] = []
        for child, (_kind, name) in CHILD_CODES.items():
            table = self.dialog.child_tables.get(child)
            if table is not None:
                found.extend(str(r[name]) for r in table.contents().rows if r.get(name))
        return found

    def check(self) -> None:
        if self.dialog.state.is_closed:
            return
        probe = probe_of(self.entity, self.typed(), patents=self._patents(), exclude_id=self.dialog.record_id)
        self.checker.check(probe, self._show, self)

    def _show(self, hits: list[Hit]) -> None:
        self.hits = [h for h in hits if h.id not in self.dismissed]
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for hit in self.hits:
            self.rows.addWidget(self._row(hit))
        self.setVisible(bool(self.hits))

    def _row(self, hit: Hit) -> QWidget:
        row = QWidget()
        row.setObjectName(f"duplicate_{hit.id}")
        line = QHBoxLayout(row)
        line.setContentsMargins(4, 2, 4, 2)
        if hit.same_institution:
            where = translate("DuplicateHint", "in this institution")
        else:
            where = translate("DuplicateHint", "in the catalog")
        text = translate("DuplicateHint", "Possible duplicate: %1 (%2, %3)")
        label = QLabel(text.replace("%1", f"“{hit.name}”").replace("%2", where).replace("%3", _reason(hit)))
        label.setObjectName("duplicate_text")
        label.setProperty("data_text", True)
        label.setWordWrap(True)
        line.addWidget(label, 1)
        for name, text, action in (
            ("duplicate_open", translate("DuplicateHint", "Open it"), lambda: self.open_hit(hit)),
            ("duplicate_different", translate("DuplicateHint", "It is a different one"), lambda: self.dismiss(hit)),
            ("duplicate_add", translate("DuplicateHint", "Add to it instead"), lambda: self.add_to(hit)),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.setFlat(True)
            button.setStyleSheet("color: #0b57d0; text-decoration: underline;")
            button.clicked.connect(action)
            line.addWidget(button)
        return row

    def open_hit(self, hit: Hit) -> None:
        from specialist_app.gui.editors.dialog import open_editor  # the dialog module imports this one's user

        open_editor(self.dialog.ctx, hit.entity, hit.id, parent=self.dialog.parentWidget())

    def dismiss(self, hit: Hit) -> None:
        self.dismissed.add(hit.id)
        self._show(self.hits)

    def add_to(self, hit: Hit) -> None:
        """What was typed (but the name, which the record keeps) becomes a draft of the existing record."""
        name = NAME_FIELD[self.entity]
        values = {k: v for k, v in self.typed().items() if v not in (None, "", []) and k not in (name, "id")}
        content = {"id": hit.id, "values": values, "children": {}}
        files = DraftFiles.for_profile(self.dialog.ctx.data_dir, self.dialog.ctx.profile)
        key = f"{hit.entity}-{hit.id}"
        ctx = self.dialog.ctx
        self.dialog.drafts.discard()
        # On the data thread, before the record's editor reads its draft there (jobs run in order).
        ctx.runner.submit(lambda _store: _save_draft(files, key, content), owner=None)
        self.open_hit(hit)
        self.dialog.close()


def _save_draft(files: DraftFiles, key: str, content: dict[str, Any]) -> bool:
    files.save(key, content)
    return True  # not None through a queued signal (PySide6 6.12.0, see gui/drafts.py)


def attach(dialog: EditorDialog) -> DuplicateHint | None:
    """Add the hint to a new record's editor of a checked entity (None otherwise)."""
    if dialog.entity.name not in CHECKED or not dialog.state.creating or dialog.entity.name not in ENTITIES:
        return None
    hint = DuplicateHint(dialog)
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    # Above the form: before the scroll area, or before the tabs holding it (an achievement's or a demand's 详情 and
    # 对接); indexOf(scroll area) is -1 there, and the hint went below 保存/关闭, pushing them up as it appeared.
    holder: QWidget | None = dialog.scroll_area
    while holder is not None and layout.indexOf(holder) < 0:
        holder = holder.parentWidget()
    layout.insertWidget(layout.indexOf(holder) if holder is not None else 0, hint)
    dialog.duplicate_hint = hint  # type: ignore[attr-defined]
    return hint
