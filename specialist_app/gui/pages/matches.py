"""对接: my match records by stage (a stage filter), most recently recommended first; double-click opens one, "New
match record" types one by hand."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.i18n import code_label
from specialist_app.gui.match_list import open_match, party
from specialist_app.gui.pages.base import Page, data_label
from specialist_app.gui.row_model import ID_ROLE, RowsModel, list_view
from specialist_app.services import matches
from specialist_app.services.queries import market_today
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from sync import codes as C
from sync.entities import MATCH


class MatchesModel(RowsModel):
    """Match records (rows of services.matches.all_matches as dicts)."""

    COL_STAGE = 0
    COL_RECOMMENDED = 1
    COL_DEMAND = 2
    COL_PARTNER = 3
    COL_SOURCE = 4
    STRETCH_COLUMN = COL_PARTNER

    def headers(self) -> list[str]:
        return [self.tr("Stage"), self.tr("Recommended on"), self.tr("Demand"), self.tr("Achievement or expert"),
                self.tr("Suggested by")]

    def display(self, item: dict[str, Any], column: int) -> str:
        if column == self.COL_STAGE:
            return code_label(C.MATCH_STAGE, item.get("stage"), self.lang)
        if column == self.COL_RECOMMENDED:
            return str(item.get("recommended_on") or "")
        if column == self.COL_DEMAND:
            return party(str(item.get("demand") or ""))
        if column == self.COL_PARTNER:
            return party(str(item.get("partner") or ""))
        return code_label(C.MATCH_SOURCE, item.get("source"), self.lang)

    def tooltip(self, item: dict[str, Any], column: int) -> str | None:
        return self.display(item, column) if column in (self.COL_DEMAND, self.COL_PARTNER) else None


def match_rows(stage: str | None) -> Any:
    """A job: the match records in the local store (one stage, or all) as dicts for the model."""

    def run(store: Store) -> list[dict[str, Any]]:
        with ReadUnitOfWork(store) as uow:
            return [asdict(row) for row in matches.all_matches(uow, stage)]

    return run


class MatchesPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Matching"), parent)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Stage:")))
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("match_stage_filter")
        self.stage_combo.setAccessibleName(self.tr("Stage"))
        self.stage_combo.addItem(self.tr("Every stage"), None)
        for stage in matches.STAGES:
            self.stage_combo.addItem(code_label(C.MATCH_STAGE, stage, ctx.lang), stage)
        self.stage_combo.currentIndexChanged.connect(lambda _: self.refresh())
        filters.addWidget(self.stage_combo)
        self.count_label = data_label()
        self.count_label.setObjectName("match_count")
        filters.addWidget(self.count_label, 1)
        self.new_button = QPushButton(self.tr("New match record…"))
        self.new_button.setObjectName("new_match")
        self.new_button.setToolTip(self.tr("A match arranged by you or at an event: pick its demand and achievement"
                                           " or expert from the catalog"))
        self.new_button.clicked.connect(self.new_match)
        filters.addWidget(self.new_button)
        self.body.addLayout(filters)
        self.body.addWidget(QLabel(self.tr(
            "Match records are made from a suggestion on a demand's or an achievement's Matching tab, or by hand with"
            " New match record; double-click one to move it on.")))
        self.model = MatchesModel(ctx.lang, self)
        self.table = list_view(self.model, "matches", self.tr("Match records"),
                               stretch=(MatchesModel.COL_DEMAND, MatchesModel.COL_PARTNER))  # two titles share
        self.table.doubleClicked.connect(self._open_index)
        self.body.addWidget(self.table, 1)

    def stage(self) -> str | None:
        data = self.stage_combo.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        self.ctx.runner.submit(match_rows(self.stage()), self.show_rows, key="match-page")

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(self.tr("%1 match records").replace("%1", str(len(rows))))

    def new_match(self) -> None:
        """The match record editor for a new one: suggested by the specialist, stage 推荐, recommended today."""
        prefill = {"source": "specialist", "stage": "recommended", "recommended_on": market_today().isoformat()}
        open_editor(self.ctx, MATCH.name, parent=self, prefill=prefill)

    def _open_index(self, index: QModelIndex) -> None:
        open_match(self.ctx, str(index.data(ID_ROLE)), parent=self)
