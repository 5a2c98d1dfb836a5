"""Number inputs whose empty value shows "—": a click into the field and the digits typed give the number
(the walk in the real window: 价格（万元） clicked, 120 typed, the field stayed "—" and the save was refused)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QVBoxLayout
from pytestqt.qtbot import QtBot

from specialist_app.gui.editors.input_factory import make_input
from specialist_app.gui.editors.inputs import IntInput, MoneyInput
from sync.entities import ENTITIES
from tests.specialist_app.gui.editor_helpers import held_window


def _shown(qtbot: QtBot, entity: str, name: str) -> IntInput | MoneyInput:
    holder = held_window(qtbot)
    field_input = make_input(ENTITIES[entity].field(name), "zh_CN", holder)
    assert isinstance(field_input, IntInput | MoneyInput)
    field_input.set_value(None)  # as the form does for a new record
    QVBoxLayout(holder).addWidget(field_input.widget)
    holder.show()
    qtbot.waitExposed(holder)
    return field_input


def _click_after_the_dash(qtbot: QtBot, number: IntInput | MoneyInput) -> None:
    edit = number.spin.lineEdit()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 4, edit.height() // 2))
    qtbot.waitUntil(edit.hasFocus)
    assert edit.text().startswith("—") and not edit.hasSelectedText()  # the cursor stands after the dash


@pytest.mark.parametrize(("entity", "name", "typed", "value"), [
    ("achievement", "price", "120", 120.0),
    ("demand", "budget", "500.5", 500.5),
    ("attachment", "size", "2048", 2048),
])
def test_digits_typed_into_an_empty_number_replace_the_dash(
        qtbot: QtBot, entity: str, name: str, typed: str, value: float) -> None:
    number = _shown(qtbot, entity, name)
    assert number.value() is None
    _click_after_the_dash(qtbot, number)
    qtbot.keyClicks(number.spin.lineEdit(), typed)
    assert number.value() == value


def test_a_number_already_typed_is_edited_not_replaced(qtbot: QtBot) -> None:
    number = _shown(qtbot, "achievement", "price")
    number.set_value(12)
    edit = number.spin.lineEdit()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setCursorPosition(2)  # after "12"
    qtbot.keyClicks(edit, "5")
    assert number.value() == 125.0
