"""Date and date-time inputs: typed as people write dates, or picked on a calendar that opens on a sensible month."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from specialist_app.gui.editors import date_text
from specialist_app.gui.editors.inputs import FieldInput
from sync.fields import Field

# An empty picker proposes a date this many days after today (market time); other fields propose today.
PROPOSAL_DAYS = {"due_date": 7, "next_visit_at": 30}


class _CalendarPopup(QFrame):
    """The calendar under an input; closes on a pick, on Escape or on a click elsewhere (a Qt popup)."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("date_calendar")
        self.calendar.setGridVisible(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)


class _DateLikeInput(FieldInput):
    """A line edit that reads typed dates, a calendar button and a clear button; empty means no value."""

    with_time = False

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self._placeholder())
        self.edit.setToolTip(QCoreApplication.translate(
            "DateInput", "Type 2026-12-02, 2026/12/2, 2026年12月2日 or 12/2 (this year); F4 opens a calendar"))
        self.edit.setProperty("data_text", True)  # the typed date is data
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        self.zone_label: QLabel | None = None
        if self.with_time and not date_text.laptop_in_market_time():
            # This computer keeps another zone's time: say whose time the field shows.
            self.zone_label = QLabel(QCoreApplication.translate("DateInput", "Beijing time"))
            self.zone_label.setObjectName(f"zone_{field.name}")
            self.zone_label.setToolTip(
                QCoreApplication.translate("DateInput", "Market time (UTC+8), whatever this computer's time zone")
            )
            row.addWidget(self.zone_label)
        self.pick_button = QToolButton()
        self.pick_button.setObjectName(f"pick_{field.name}")
        self.pick_button.setArrowType(Qt.ArrowType.DownArrow)
        self.pick_button.setToolTip(QCoreApplication.translate("DateInput", "Choose on a calendar (F4)"))
        self.pick_button.setAccessibleName(QCoreApplication.translate("DateInput", "Choose on a calendar"))
        self.pick_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick_button.clicked.connect(self.open_calendar)
        row.addWidget(self.pick_button)
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setProperty("data_text", True)
        self.clear_button.setToolTip(QCoreApplication.translate("DateInput", "Clear"))
        self.clear_button.setAccessibleName(QCoreApplication.translate("DateInput", "Clear"))
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        row.addWidget(self.clear_button)
        self.popup: _CalendarPopup | None = None
        self.proposal_days = PROPOSAL_DAYS.get(field.name, 0)
        box.setFocusProxy(self.edit)  # focus given to the field (a table cell's widget, a label's buddy) is the edit's
        super().__init__(field, lang, box, parent)
        self.edit.setAccessibleName(self.widget.accessibleName())
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._tidy)

    def _placeholder(self) -> str:
        return QCoreApplication.translate("DateInput", "e.g. 2026-12-02")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
            if event.key() == Qt.Key.Key_F4 or alt_down:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)

    # -- the typed text ------------------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self.edit.text().strip()

    def typed_date(self) -> date | None:
        raise NotImplementedError

    def _show_text(self, value: Any) -> str:
        raise NotImplementedError

    def _tidy(self) -> None:
        """A readable date typed in any accepted form is shown in the field's own form once the user is done."""
        value = self.value()
        if value is not None and not self.is_empty() and value != self.edit.text().strip():
            shown = self._show_text(value)
            if shown and shown != self.edit.text():
                self.edit.setText(shown)

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else self._show_text(value))

    def focus_widget(self) -> QWidget:
        return self.edit

    # -- the calendar --------------------------------------------------------------------------------------------

    def proposed_date(self) -> date:
        """The date the calendar starts on: the value's, else today plus the field's proposal."""
        return self.typed_date() or date_text.proposal(self.proposal_days)

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = _CalendarPopup(self.widget)
            self.popup.calendar.clicked.connect(self._picked)
            self.popup.calendar.activated.connect(self._picked)
        start = self.proposed_date()
        calendar = self.popup.calendar
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        calendar.setCurrentPage(start.year, start.month)
        self.popup.adjustSize()
        place = self.widget.mapToGlobal(QPoint(0, self.widget.height()))
        screen = self.widget.screen().availableGeometry()
        place.setX(max(screen.left(), min(place.x(), screen.right() - self.popup.width())))  # a narrow cell's
        self.popup.move(place)
        self.popup.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, picked: QDate) -> None:
        if self.popup is not None:
            self.popup.hide()
        self._set_picked(date(picked.year(), picked.month(), picked.day()))
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def _set_picked(self, day: date) -> None:
        raise NotImplementedError


class DateInput(_DateLikeInput):
    """A date: the value is 'YYYY-MM-DD'; unreadable text goes to validation as typed (it reports a bad date)."""

    def typed_date(self) -> date | None:
        return date_text.parse_date(self.edit.text())

    def value(self) -> Any:
        if self.is_empty():
            return None
        return date_text.canonical_date(self.edit.text()) or self.edit.text().strip()

    def _show_text(self, value: Any) -> str:
        return str(value)[:10]

    def _set_picked(self, day: date) -> None:
        self.edit.setText(day.strftime(date_text.DATE_FORMAT))


class DateTimeInput(_DateLikeInput):
    """A date-time shown and typed in market time (UTC+8, whatever this computer's zone); the value is canonical UTC."""

    with_time = True

    def _placeholder(self) -> str:
        return QCoreApplication.translate("DateInput", "e.g. 2026-12-02 14:30")

    def typed_date(self) -> date | None:
        moment = date_text.parse_date_time(self.edit.text())
        return None if moment is None else moment.date()

    def value(self) -> Any:
        if self.is_empty():
            return None
        return date_text.canonical_date_time(self.edit.text()) or self.edit.text().strip()

    def _show_text(self, value: Any) -> str:
        try:
            return date_text.show_date_time(str(value))
        except ValueError:
            return str(value)

    def _set_picked(self, day: date) -> None:
        current = date_text.parse_date_time(self.edit.text())
        moment = datetime.combine(day, current.time() if current else date_text.DEFAULT_TIME)
        self.edit.setText(moment.strftime(date_text.DATETIME_FORMAT))
        self.edit.setSelection(len("YYYY-MM-DD "), len("HH:MM"))  # the time, selected to type over
