"""Spin boxes whose lowest value shows words or a dash instead of a number (“—”, 不限就绪水平): a digit typed
while they show it replaces it. A click puts the cursor after the words, and “不限就绪水平3” is no number, so every
key was refused and the field kept its words (a price stayed empty, a TRL filter stayed off)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox


def select_special_text_on_digit(spin: QSpinBox | QDoubleSpinBox, event: QEvent) -> None:
    """Call from an event filter on `spin` (or its line edit) before the key is handled."""
    if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and spin.specialValueText()
            and spin.value() == spin.minimum() and event.text() and event.text() in "0123456789."):
        spin.lineEdit().selectAll()


class DigitsReplaceSpecialText(QObject):
    """Installs itself on `spin` and its line edit (child of the spin box: it goes with it)."""

    def __init__(self, spin: QSpinBox | QDoubleSpinBox) -> None:
        super().__init__(spin)
        self._spin = spin
        spin.installEventFilter(self)
        spin.lineEdit().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        select_special_text_on_digit(self._spin, event)
        return False
