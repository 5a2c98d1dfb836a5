"""A form built from an entity's fields: labels, inputs, a red message under each input, "confidential" boxes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QScrollArea, QWidget

from specialist_app.gui.context import SPACING
from specialist_app.gui.editors.input_factory import make_input
from specialist_app.gui.editors.inputs import CodeInput, FieldInput
from specialist_app.gui.editors.ref_inputs import RefInput
from specialist_app.gui.i18n import field_label
from sync.entities import Entity
from sync.entities import entity as entity_schema
from sync.fields import Kind
from sync.messages import Problem
from sync.permissions import Refusal
from sync.regions import region_name
from sync.validation import validate

ERROR_STYLE = "color: #c0392b;"
VALIDATE_DELAY_MS = 250
CONFIDENTIAL_FIELD = "confidential_fields"


def reveal(widget: QWidget, focus: QWidget) -> None:
    """Scroll every scroll area holding `widget` so it shows, then give `focus` the keyboard."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()
    focus.setFocus(Qt.FocusReason.OtherFocusReason)


class UnlistedChoice(Problem):
    """A name typed in a picker that names none of its choices: nothing is picked, whatever the contract says.

    The contract saw an empty field and said “需求企业”为必填项 under a field showing a company's name."""

    __slots__ = ()

    def message(self, lang: str = "zh_CN") -> str:
        if self.params.get("institution"):
            text = QCoreApplication.translate(
                "EntityForm", "“%1” is not in the list: type part of a name and pick one of the names offered. A unit"
                " that is not listed can be proposed on My institutions (Propose a new institution).")
        else:
            text = QCoreApplication.translate(
                "EntityForm", "“%1” is not in the list: type part of a name and pick one of the names offered.")
        return text.replace("%1", str(self.params["text"]))


class EntityForm(QWidget):
    """Inputs for `fields` of `entity` (default: every client-editable field), in the contract's order.

    Problems of a field show in red under its input: while typing for fields the user has left once, and
    for every field after `check_all()` or `show_problems()` (the save-time answer of the record service).
    """

    changed = Signal()

    def __init__(
        self, entity: Entity, lang: str, fields: Iterable[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.entity = entity
        self.lang = lang
        names = list(fields) if fields is not None else [f.name for f in entity.editable_fields()]
        self.inputs: dict[str, FieldInput] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.confidential: dict[str, QCheckBox] = {}
        self.fixed: dict[str, Any] = {}  # values not shown but saved (a parent's id, the source visit)
        self._touched: set[str] = set()
        self._show_all = False
        self._institution_needed = False

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING * 2)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        previous: QWidget | None = None
        row = 0
        for name in names:
            f = entity.field(name)
            if f.kind is Kind.FIELDNAMES:
                continue
            field_input = make_input(f, lang, self)
            if f.default is not None:
                field_input.set_value(f.default)  # what a new record gets (a new demand is open)
            self.inputs[name] = field_input
            label = QLabel(field_label(f, lang) + ("＊" if f.required else ""))
            label.setBuddy(field_input.focus_widget())
            label.setProperty("data_text", True)
            if f.required:
                label.setToolTip(QCoreApplication.translate("EntityForm", "Required"))
            self.labels[name] = label
            top = (
                Qt.AlignmentFlag.AlignTop
                if f.kind in (Kind.LONGTEXT, Kind.CODES, Kind.REFS)
                else Qt.AlignmentFlag.AlignVCenter
            )
            grid.addWidget(label, row, 0, top)
            grid.addWidget(field_input.widget, row, 1)
            error = QLabel()
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.setProperty("data_text", True)  # messages come translated from sync.messages
            error.hide()
            self.errors[name] = error
            grid.addWidget(error, row + 1, 1)
            for focus in field_input.tab_widgets():
                if previous is not None:
                    QWidget.setTabOrder(previous, focus)
                previous = focus
            if f.can_be_confidential and entity.has(CONFIDENTIAL_FIELD):
                box = QCheckBox(QCoreApplication.translate("EntityForm", "Confidential"))
                box.setObjectName(f"confidential_{name}")
                box.setToolTip(
                    QCoreApplication.translate(
                        "EntityForm", "Shown only to the specialists assigned to the institution"
                    )
                )
                box.setAccessibleName(
                    QCoreApplication.translate("EntityForm", "Confidential: %1").replace("%1", field_label(f, lang))
                )
                box.toggled.connect(self.changed)
                self.confidential[name] = box
                grid.addWidget(box, row, 2, top)
                if previous is not None:
                    QWidget.setTabOrder(previous, box)
                previous = box
            # Signal-to-signal connections: no Python emit() per keystroke (PySide6 6.12.0's emit() leaks a
            # reference to True on every call).
            field_input.changed.connect(self.changed)
            field_input.left.connect(lambda n=name: self._on_left(n))
            if f.check == "region_code":  # the code typed; the place it names on hover (吉林省长春市朝阳区)
                field_input.changed.connect(lambda i=field_input: i.widget.setToolTip(
                    region_name(i.value(), self.lang) or ""))
            row += 2

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.changed.connect(self._timer.start)

    def offer_admin_values(self, *, admin: bool) -> None:
        """Choices only the market's administrators make (审核状态 已通过 / 已退回) are greyed out for everyone
        else; the record's own value still shows. A specialist still submits for review (草稿 -> 待审核)."""
        for field_input in self.inputs.values():
            values = field_input.field.admin_values
            if values and isinstance(field_input, CodeInput):
                field_input.offer(values, admin)
                field_input.widget.setToolTip("" if admin else QCoreApplication.translate(
                    "EntityForm", "Approved and Returned are the market's review decisions; only administrators "
                    "choose them"))

    def require_institution(self) -> None:
        """A new record this user may save only with an institution assigned to them (a specialist's achievement or
        demand): its institution picker is required here, though the contract lets administrators leave it empty."""
        self._institution_needed = True
        for name in self._institution_pickers():
            if not self.labels[name].text().endswith("＊"):
                self.labels[name].setText(self.labels[name].text() + "＊")

    def _institution_pickers(self) -> list[str]:
        return [name for name, field_input in self.inputs.items() if isinstance(field_input, RefInput)
                and field_input.field.ref and entity_schema(field_input.field.ref).is_scope_root]

    def first_input(self) -> QWidget | None:
        return next(iter(self.inputs.values())).focus_widget() if self.inputs else None

    def values(self) -> dict[str, Any]:
        """The form's values (loose: normalize() reads them) plus the fixed ones and the confidential list."""
        out = {name: field_input.value() for name, field_input in self.inputs.items()}
        if self.confidential:
            out[CONFIDENTIAL_FIELD] = [name for name, box in self.confidential.items() if box.isChecked()]
        return {**out, **self.fixed}

    def set_values(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            if name in self.inputs:
                self.inputs[name].set_value(value)
            elif name == CONFIDENTIAL_FIELD:
                chosen = set(value or [])
                for field_name, box in self.confidential.items():
                    box.setChecked(field_name in chosen)
        self._timer.stop()
        self.check()  # messages shown before (a field left empty) must not outlive the values now set

    def problems(self) -> list[Problem]:
        """Problems of the current values found by the contract's validation (no store needed), and the form's own:
        a name typed in a picker that is none of its choices, an institution this user must choose."""
        _values, found = validate(self.entity, {k: v for k, v in self.values().items() if k != "id"})
        own: list[Problem] = [
            UnlistedChoice(name, "unlisted", {
                "text": text, "institution": entity_schema(field_input.field.ref).is_scope_root})
            for name, field_input in self.inputs.items()
            if isinstance(field_input, RefInput) and field_input.field.ref and (text := field_input.unlisted_text())
        ]
        if self._institution_needed:  # saved without one, the market refused it at the next sync
            own += [Problem(name, Refusal.NO_INSTITUTION.value) for name in self._institution_pickers()
                    if self.inputs[name].value() is None and name not in {p.field for p in own}]
        return [p for p in found if p.field not in {o.field for o in own}] + own

    def check(self) -> list[Problem]:
        """Validate now and show the problems of the fields the user has been through."""
        found = self.problems()
        self._show(found, only=None if self._show_all else self._touched)
        return found

    def check_all(self) -> list[Problem]:
        """Validate and show every problem (before saving)."""
        self._show_all = True
        return self.check()

    def show_problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """Show problems (the record service's answer); returns those of fields this form does not show."""
        self._show_all = True
        found = list(problems)
        self._show(found, only=None)
        return [p for p in found if p.field not in self.errors]

    def _show(self, problems: list[Problem], only: set[str] | None) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message(self.lang))
        for name, label in self.errors.items():
            messages = by_field.get(name, []) if only is None or name in only else []
            label.setText("\n".join(messages))
            label.setVisible(bool(messages))
            self.inputs[name].widget.setProperty("invalid", bool(messages))

    def focus_first_error(self) -> bool:
        """Scroll to the first field marked in red, in the form's order, and focus it; False when none is."""
        for name, label in self.errors.items():
            if not label.isHidden():
                reveal(self.inputs[name].widget, self.inputs[name].focus_widget())
                return True
        return False

    def error_text(self, name: str) -> str:
        label = self.errors[name]
        return label.text() if not label.isHidden() else ""

    def _on_left(self, name: str) -> None:
        self._touched.add(name)
        self.check()
