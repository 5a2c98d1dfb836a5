"""Date pickers: an empty one opens on a sensible month (never January 1900), typed dates are kept, clearing is
one click; date-times are market time (UTC+8) even on a laptop that keeps UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors import date_text
from specialist_app.gui.editors.date_inputs import DateInput, DateTimeInput
from specialist_app.gui.editors.input_factory import make_input
from sync.entities import ENTITIES
from sync.fields import Kind
from tests.specialist_app.gui.editor_helpers import held_window, type_chinese

DATE_FIELDS = [(e.name, f.name) for e in ENTITIES.values() for f in e.fields if f.kind in (Kind.DATE, Kind.DATETIME)]
PROPOSED = {"due_date": 7, "next_visit_at": 30}
# The calendar is a Qt popup: the offscreen platform has no window manager to raise it or grab the keyboard for it.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def _shown(qtbot: QtBot, entity: str, name: str, lang: str = "zh_CN") -> DateInput | DateTimeInput:
    holder = held_window(qtbot)
    field_input = make_input(ENTITIES[entity].field(name), lang, holder)
    assert isinstance(field_input, DateInput | DateTimeInput)
    column = QVBoxLayout(holder)
    column.addWidget(field_input.widget)
    column.addWidget(QLineEdit())  # somewhere for Tab to go
    holder.show()
    qtbot.waitExposed(holder)
    return field_input


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Keys for ASCII, the input method for the rest (as a Chinese user types)."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        type_chinese(edit, text)


@pytest.mark.parametrize(("entity", "name"), DATE_FIELDS)
def test_an_empty_picker_opens_on_the_proposed_month(qtbot: QtBot, entity: str, name: str) -> None:
    field_input = _shown(qtbot, entity, name)
    assert field_input.value() is None
    field_input.edit.setFocus()
    qtbot.waitUntil(field_input.edit.hasFocus)
    qtbot.keyClick(field_input.edit, Qt.Key.Key_F4)
    popup = field_input.popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    proposed = date_text.market_today() + timedelta(days=PROPOSED.get(name, 0))
    calendar = popup.calendar
    assert (calendar.yearShown(), calendar.monthShown()) == (proposed.year, proposed.month)
    assert calendar.selectedDate().toPython() == proposed
    assert field_input.value() is None  # opening the calendar chose nothing
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert field_input.value() is None
    # Picking a day fills the field; the picker then opens on the chosen month.
    with qtbot.waitSignal(field_input.changed):
        calendar.clicked.emit(calendar.selectedDate())
    assert field_input.value() is not None and field_input.typed_date() == proposed


@pytest.mark.parametrize("typed", ["2026-12-02", "2026/12/2", "2026年12月2日", "2026.12.2", "２０２６／１２／２"])
def test_typed_dates_are_kept(qtbot: QtBot, typed: str) -> None:
    due = _shown(qtbot, "follow_up", "due_date")
    due.edit.setFocus()
    qtbot.waitUntil(due.edit.hasFocus)
    _type(qtbot, due.edit, typed)
    assert due.value() == "2026-12-02"
    qtbot.keyClick(due.edit, Qt.Key.Key_Tab)  # leaving the field shows the date in one form
    qtbot.waitUntil(lambda: due.edit.text() == "2026-12-02")
    qtbot.mouseClick(due.clear_button, Qt.MouseButton.LeftButton)  # one click clears it
    assert due.value() is None and due.edit.text() == ""


def test_month_and_day_alone_mean_this_year_and_nonsense_is_reported(qtbot: QtBot) -> None:
    due = _shown(qtbot, "follow_up", "due_date")
    qtbot.keyClicks(due.edit, "12/2")
    assert due.value() == f"{date_text.market_today().year}-12-02"
    due.set_value(None)
    _type(qtbot, due.edit, "12月2日")
    assert due.value() == f"{date_text.market_today().year}-12-02"
    due.set_value(None)
    qtbot.keyClicks(due.edit, "2026-13-45")
    assert due.value() == "2026-13-45"  # kept as typed: validation says it is not a date
    assert date_text.parse_date("2026-02-30") is None


def test_date_times_are_market_time_on_a_utc_laptop(qtbot: QtBot, utc_laptop: None) -> None:
    planned = _shown(qtbot, "visit", "planned_at")
    assert planned.zone_label is not None and planned.zone_label.isVisible()  # labelled: not the laptop's time
    planned.set_value("2026-12-02T06:30:00Z")
    assert planned.edit.text() == "2026-12-02 14:30"  # 06:30 UTC is 14:30 in the market
    planned.set_value(None)
    _type(qtbot, planned.edit, "2026年12月2日 9:05")
    assert planned.value() == "2026-12-02T01:05:00Z"
    planned.set_value(None)
    qtbot.keyClicks(planned.edit, "2026/12/2")
    assert planned.value() == "2026-12-02T01:00:00Z"  # a date alone: 09:00 market time


def test_picking_a_day_keeps_the_typed_time(qtbot: QtBot) -> None:
    next_visit = _shown(qtbot, "visit", "next_visit_at")
    qtbot.keyClicks(next_visit.edit, "2026-12-02 15:45")
    next_visit.open_calendar()
    assert next_visit.popup is not None
    calendar = next_visit.popup.calendar
    assert calendar.selectedDate().toPython() == date(2026, 12, 2)
    calendar.clicked.emit(calendar.selectedDate().addDays(3))
    assert next_visit.edit.text() == "2026-12-05 15:45"
    assert next_visit.edit.selectedText() == "15:45"  # ready to type another time over it


def test_tab_from_the_cell_before_lands_in_a_tables_date_and_typing_keeps_it(
        qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    from specialist_app.gui.editors.visit_editor import LOG, VisitEditor
    from tests.specialist_app.gui.editor_helpers import close_opened, wait_loaded

    [inst] = seed("institution", [{"name": "长春某企业", "org_type": "enterprise"}])
    editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, mode=LOG, institution_id=inst))
    try:
        follow_ups = editor.child_tables["follow_up"]
        qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
        owner = follow_ups.cell(0, "owner").focus_widget()
        owner.setFocus()
        qtbot.waitUntil(owner.hasFocus)
        qtbot.keyClick(owner, Qt.Key.Key_Tab)
        due = follow_ups.cell(0, "due_date")
        assert isinstance(due, DateInput)
        qtbot.waitUntil(due.edit.hasFocus)
        qtbot.keyClicks(due.edit, "12/9")
        assert due.value() == f"{date_text.market_today().year}-12-09"
    finally:
        close_opened()
