"""A pick of a record of the shared catalog (a match's demand, achievement or expert): type part of its title, and
the best hits of the local catalog search drop down with their owner beside them (RefPickers runs the search)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from specialist_app.gui.editors.inputs import FieldInput
from sync.fields import Field

ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # what the line shows once picked (the list shows title and owner)
SEARCH_DELAY_MS = 200  # typing pauses this long before the search runs
HITS = 20


class CatalogRefInput(FieldInput):
    """The picked record's id is the value; text typed and not picked from the list is no value."""

    wanted = Signal(str)  # search the catalog for this text (RefPickers answers with set_hits)
    label_wanted = Signal(str)  # the title of this id is needed (a stored value to show; answered by set_label)

    def __init__(self, field: Field, lang: str, parent: QObject | None = None) -> None:
        self.edit = QLineEdit()
        self.edit.setProperty("data_text", True)  # record titles
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(360)
        self.edit.setPlaceholderText(
            QCoreApplication.translate("CatalogRefInput", "Type part of its title or name to search"))
        super().__init__(field, lang, self.edit, parent)
        self.hits = QStandardItemModel(self)
        self.completer = QCompleter(self.hits, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(TITLE_ROLE)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.edit.textEdited.connect(self._typed)
        self._id: str | None = None
        self._label: str | None = None  # None while the title of a stored value is on its way
        self.searched = ""  # the text of the last search asked for
        self.hits_for = ""  # the text whose hits the list shows

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.EnabledChange:
            self.edit.setClearButtonEnabled(self.edit.isEnabled())  # a fixed pick offers no ⊗ it cannot use
        return super().eventFilter(watched, event)

    # The value ---------------------------------------------------------------------------------------------------

    def value(self) -> Any:
        text = self.edit.text().strip()
        if self._id is None or not text:
            return None
        return self._id if self._label is None or text == self._label else None

    def set_value(self, value: Any) -> None:
        self._id, self._label = (str(value), None) if value else (None, "")
        self.edit.setText("")
        if self._id is not None:
            self.label_wanted.emit(self._id)

    def set_label(self, record_id: str, label: str | None) -> None:
        """The title of a stored value (None: not in this store's catalog: said in words, not as an id)."""
        if record_id == self._id and self._label is None:
            self._label = label or QCoreApplication.translate("CatalogRefInput", "(not on this computer)")
            self.edit.setText(self._label)
            self.edit.setCursorPosition(0)

    # Searching ---------------------------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        self.changed.emit()  # the value is gone until a hit is picked
        self._timer.start()

    def _search(self) -> None:
        self.searched = self.edit.text().strip()
        if self.searched:
            self.wanted.emit(self.searched)
        else:
            self.hits.clear()

    def set_hits(self, text: str, hits: list[tuple[str, str, str, bool]] | list[tuple[str, str, str]]) -> None:
        """(id, title, owner[, yours]) found for `text`; shown when it is still what the line holds. A record of an
        institution assigned to the user says so (a match is theirs to make with it)."""
        if text != self.edit.text().strip():
            return
        self.hits_for = text
        self.hits.clear()
        yours = QCoreApplication.translate("CatalogRefInput", "(your institution)")
        for record_id, title, owner, *mine in hits[:HITS]:
            shown = f"{title}　{owner}" if owner else title
            item = QStandardItem(f"{shown}　{yours}" if mine and mine[0] else shown)
            item.setData(record_id, ID_ROLE)
            item.setData(title, TITLE_ROLE)
            item.setToolTip(f"{title}\n{owner}" if owner else title)
            self.hits.appendRow(item)
        if not hits:
            item = QStandardItem(QCoreApplication.translate("CatalogRefInput", "Nothing in the catalog matches"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.hits.appendRow(item)
        if self.edit.hasFocus() or self.edit.isVisible():
            self.completer.complete()

    def _picked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        record_id = index.data(ID_ROLE)
        if not record_id:
            return
        self._id, self._label = str(record_id), str(index.data(TITLE_ROLE))
        self.edit.setText(self._label)
        self.changed.emit()

    def pick_first(self) -> bool:
        """Pick the first hit shown (Enter in the line with the list open picks the highlighted one)."""
        first = self.completer.completionModel().index(0, 0)
        if not first.isValid() or not first.data(ID_ROLE):
            return False
        self._picked(first)
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        return True
