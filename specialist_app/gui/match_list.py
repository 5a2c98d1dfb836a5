"""A short list of match records (对接记录) of one record or institution; double-click opens a match's editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.i18n import code_label
from specialist_app.services import matches
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from sync import codes as C
from sync.entities import MATCH
from sync.messages import choose

SHOWN_ROWS = 4
Finder = Callable[[ReadUnitOfWork], list[matches.MatchRow]]


def not_here() -> str:
    """What a match shows for its demand, achievement or expert when this computer does not hold it (a match
    pulled through its other side: another institution's demand, say), instead of a blank or an id."""
    return QCoreApplication.translate("MatchList", "(not on this computer)")


def party(title: str) -> str:
    """A match's demand or partner title as shown: the title, else `not_here()`."""
    return title or not_here()


def match_text(row: matches.MatchRow, lang: str) -> str:
    """One line: stage, demand ↔ achievement/expert, date recommended."""
    stage = choose(lang, "【{}】", "[{}]").format(code_label(C.MATCH_STAGE, row.stage, lang))  # 【】 is Chinese type
    return (f"{stage} {party(row.demand)} ↔ {party(row.partner)}"
            + (f"   {row.recommended_on}" if row.recommended_on else ""))


def open_match(ctx: AppContext, match_id: str, parent: QWidget | None = None) -> None:
    from specialist_app.gui.editors.dialog import open_editor

    open_editor(ctx, "match_record", match_id, parent=parent)


class MatchList(QWidget):
    """The matches found by a query (reloaded on `reload` and whenever match records change)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("match_records")
        self.ctx = ctx
        self.finder: Finder | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("match_records_title")
        layout.addWidget(self.title)
        self.list = QListWidget()
        self.list.setObjectName("match_records_list")
        self.list.setProperty("data_text", True)
        self.list.setAccessibleName(self.tr("Match records"))
        self.list.itemDoubleClicked.connect(self._open)
        layout.addWidget(self.list)
        ctx.events.changed.connect(self._on_changed)
        self._show([])

    def set_finder(self, finder: Finder | None) -> None:
        self.finder = finder
        self.reload()

    def reload(self) -> None:
        finder = self.finder
        if finder is None:
            self._show([])
            return

        def run(store: Store) -> list[matches.MatchRow]:
            with ReadUnitOfWork(store) as uow:
                return finder(uow)

        self.ctx.runner.submit(run, self._show, key=f"match-list:{id(self)}", owner=self)

    def _on_changed(self, entity: str) -> None:
        if entity in ("", MATCH.name):
            self.reload()

    def _show(self, rows: Sequence[matches.MatchRow]) -> None:
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(match_text(row, self.ctx.lang))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.list.setVisible(bool(rows))
        if rows:  # as tall as its rows, up to SHOWN_ROWS: the suggestions below keep the room
            row_height = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height())
            self.list.setFixedHeight(min(len(rows), SHOWN_ROWS) * row_height + 2 * self.list.frameWidth() + 4)
        self.title.setText(self.tr("Match records: %1 (double-click to open)").replace("%1", str(len(rows)))
                           if rows else self.tr("No match records yet."))

    def _open(self, item: QListWidgetItem) -> None:
        open_match(self.ctx, str(item.data(Qt.ItemDataRole.UserRole)), parent=self.window())
