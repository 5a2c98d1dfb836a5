"""One input widget per field kind: reads and shows the contract's canonical values (sync.fields)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from specialist_app.gui.i18n import field_label
from specialist_app.gui.spin_typing import select_special_text_on_digit
from sync.fields import Field, Kind

MONEY_MAX = 1e9
INT_MAX = 2_000_000_000
LIST_JOINER = "、"


def as_written(text: str) -> str:
    """A data text for a check box's label, shown as written: an "&" (Joint R&D) is not a keyboard mnemonic."""
    return text.replace("&", "&&")


class FieldInput(QObject):
    """An input for one field: `widget` to lay out, `value()` in canonical form, `set_value()`, and signals."""

    changed = Signal()  # the value changed (typing, picking)
    left = Signal()  # the user left the input (focus out): time to show what is wrong with it

    def __init__(self, field: Field, lang: str, widget: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.lang = lang
        self.widget = widget
        widget.setObjectName(f"input_{field.name}")
        widget.setAccessibleName(field_label(field, lang))
        widget.installEventFilter(self)
        for child in widget.findChildren(QWidget):
            child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return False

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes keyboard focus (tab order)."""
        return self.widget

    def tab_widgets(self) -> list[QWidget]:
        """The widgets Tab visits in this input, in order (first: focus_widget())."""
        return [self.focus_widget()]


class TextInput(FieldInput):
    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.edit = QLineEdit()
        if field.max_len:
            self.edit.setMaxLength(field.max_len)
        super().__init__(field, lang, self.edit, parent)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class StringsInput(TextInput):
    """A list of free texts typed on one line, split by 、 or commas."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        super().__init__(field, lang, parent)
        self.edit.setMaxLength(32767)  # the joined length is checked by validation, not cut off while typing
        self.edit.setPlaceholderText(QCoreApplication.translate("FieldInput", "Separate with 、 or commas"))

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        if isinstance(value, list):
            value = LIST_JOINER.join(str(v) for v in value)
        super().set_value(value)


class _TextBox(QPlainTextEdit):
    """A multi-line box whose preferred height is its least (4 lines): it grows only into room the form has.

    A form showing a word-wrapped red message is laid out by preferred heights: every box jumped to its 8-line
    maximum the moment a message appeared, and the field the user aimed at moved away under the pointer."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # (a layout's preferred height is never below this one)
        return QSize(super().minimumSizeHint().width(), self.minimumHeight())


class LongTextInput(FieldInput):
    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.edit = _TextBox()
        self.edit.setTabChangesFocus(True)  # Tab moves on, as in every other input
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        self.edit.setMaximumHeight(self.edit.fontMetrics().lineSpacing() * 8 + 12)
        super().__init__(field, lang, self.edit, parent)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class _EmptySpinInput(FieldInput):
    """A number in a spin box (the input's widget) whose lowest value shows "—" and means empty; a digit typed
    while it shows "—" replaces it (gui/spin_typing.py)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(self.widget, QSpinBox | QDoubleSpinBox):
            select_special_text_on_digit(self.widget, event)
        return super().eventFilter(watched, event)


class IntInput(_EmptySpinInput):
    """A whole number; one below the minimum shows "—" and means empty."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.spin = QSpinBox()
        low = field.min if field.min is not None else 0
        self._empty = low - 1
        self.spin.setRange(self._empty, field.max if field.max is not None else INT_MAX)
        self.spin.setSpecialValueText("—")
        self.spin.setProperty("data_text", True)  # "—" (empty) is a symbol, not a sentence to translate
        super().__init__(field, lang, self.spin, parent)
        self.spin.valueChanged.connect(self.changed)

    def value(self) -> Any:
        return None if self.spin.value() == self._empty else self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(self._empty if value is None else int(value))


class MoneyInput(_EmptySpinInput):
    """万元, never negative; -1 shows "—" and means empty."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(2)
        self.spin.setRange(-1, MONEY_MAX)
        self.spin.setSpecialValueText("—")
        self.spin.setSuffix(QCoreApplication.translate("FieldInput", " ×10k CNY"))
        self.spin.setValue(-1)
        super().__init__(field, lang, self.spin, parent)
        self.spin.valueChanged.connect(self.changed)

    def value(self) -> Any:
        return None if self.spin.value() < 0 else self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(-1 if value is None else float(value))


class CodeInput(FieldInput):
    """One choice of a code table (an INT with codes, like the TRL, shows each level's description)."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        assert field.codes is not None
        self.combo = QComboBox()
        self.combo.addItem("—", None)
        for code in field.codes:
            self.combo.addItem(code.label(lang), int(code.value) if field.kind is Kind.INT else code.value)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        self.combo.setProperty("data_text", True)  # code labels come in both languages from sync.codes
        super().__init__(field, lang, self.combo, parent)
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def offer(self, values: Collection[str], offered: bool) -> None:
        """Grey out (or offer again) these choices; one already set still shows."""
        model = self.combo.model()
        if not isinstance(model, QStandardItemModel):
            return
        for index in range(self.combo.count()):
            item = model.item(index)
            if item is not None and self.combo.itemData(index) in values:
                item.setEnabled(offered)


class CodesInput(FieldInput):
    """Several choices of a code table: one check box each."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        assert field.codes is not None
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, code in enumerate(field.codes):
            check = QCheckBox(as_written(code.label(lang)))
            check.setAccessibleName(code.label(lang))
            check.setProperty("data_text", True)
            self.boxes[code.value] = check
            grid.addWidget(check, i // 3, i % 3)
        super().__init__(field, lang, box, parent)
        for check in self.boxes.values():
            check.toggled.connect(self.changed)

    def value(self) -> Any:
        return [code for code, check in self.boxes.items() if check.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for code, check in self.boxes.items():
            check.setChecked(code in chosen)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))

    def tab_widgets(self) -> list[QWidget]:
        return list(self.boxes.values())


class BoolInput(FieldInput):
    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.check = QCheckBox()
        super().__init__(field, lang, self.check, parent)
        self.check.toggled.connect(self.changed)

    def value(self) -> Any:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.setChecked(bool(value))
