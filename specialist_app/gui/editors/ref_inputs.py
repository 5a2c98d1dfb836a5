"""Inputs that pick other records (an institution, the contacts met): their choices arrive from the store."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QCompleter, QGridLayout, QWidget

from specialist_app.gui.editors.inputs import FieldInput, as_written
from sync.fields import Field


class RefInput(FieldInput):
    """A searchable pick of another record (institution, visit): type part of its name."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem("", None)
        self.combo.setMinimumContentsLength(20)
        self.combo.setProperty("data_text", True)  # record names
        completer = self.combo.completer()
        line = self.combo.lineEdit()
        assert completer is not None and line is not None  # an editable combo has both
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        line.setPlaceholderText(QCoreApplication.translate("FieldInput", "Type to search"))
        line.setProperty("data_text", True)
        super().__init__(field, lang, self.combo, parent)
        self.combo.currentIndexChanged.connect(self.changed)
        self._pending: Any = None

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """(id, label) pairs; keeps the current (or a waiting) value."""
        keep = self.value() or self._pending
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for id, label in choices:
            self.combo.addItem(label, id)
        self.combo.blockSignals(False)
        self.set_value(keep)

    def value(self) -> Any:
        text = self.combo.currentText()
        if not text:
            return None
        if self.combo.currentIndex() > 0 and self.combo.itemText(self.combo.currentIndex()) == text:
            return self.combo.currentData()
        index = self.combo.findText(text)
        return self.combo.itemData(index) if index > 0 else None

    def unlisted_text(self) -> str:
        """The name typed when it is none of the choices ("" when nothing is typed or a choice is picked)."""
        text = self.combo.currentText().strip()
        return text if text and self.value() is None else ""

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value else 0
        self._pending = value if index < 0 else None  # choices not loaded yet: apply when they arrive
        self.combo.setCurrentIndex(max(index, 0))


class RefsInput(FieldInput):
    """Several records (the contacts met): one check box each, filled in by set_choices."""

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        box = QWidget()
        self.grid = QGridLayout(box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        super().__init__(field, lang, box, parent)
        self._wanted: set[str] = set()

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        wanted = set(self.value() or []) | self._wanted
        for check in self.boxes.values():
            check.deleteLater()
        self.boxes = {}
        for i, (id, label) in enumerate(choices):
            check = QCheckBox(as_written(label))
            check.setProperty("data_text", True)
            check.setAccessibleName(label)
            check.setChecked(id in wanted)
            check.toggled.connect(self.changed)
            check.installEventFilter(self)
            self.boxes[id] = check
            self.grid.addWidget(check, i // 3, i % 3)
        self._wanted = wanted - set(self.boxes)

    def value(self) -> Any:
        return [id for id, check in self.boxes.items() if check.isChecked()] + sorted(self._wanted)

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for id, check in self.boxes.items():
            check.setChecked(id in chosen)
        self._wanted = chosen - set(self.boxes)
