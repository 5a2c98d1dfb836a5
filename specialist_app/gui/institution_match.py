"""The 对接 tab of an institution's window: pick one of its demands or achievements, see its suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.match_list import MatchList
from specialist_app.gui.match_panel import MatchPanel
from specialist_app.matching import terms
from specialist_app.services import matches


class InstitutionMatchTab(QWidget):
    """The institution's matches, then a chooser of its demands and achievements above the chosen record's
    `MatchPanel`."""

    def __init__(self, ctx: AppContext, institution_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("institution_match")
        self.ctx = ctx
        self.layout_ = QVBoxLayout(self)
        self.match_list = MatchList(ctx)  # every match of the institution's demands and achievements
        self.layout_.addWidget(self.match_list)
        if institution_id is not None:
            self.match_list.set_finder(lambda uow: matches.matches_of_institution(uow, institution_id))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Suggestions for:")))
        self.record_combo = QComboBox()
        self.record_combo.setObjectName("match_record")
        self.record_combo.setAccessibleName(self.tr("Record to find suggestions for"))
        self.record_combo.currentIndexChanged.connect(self._choose)
        row.addWidget(self.record_combo, 1)
        self.layout_.addLayout(row)
        self.empty_label = QLabel(self.tr("This institution has no demands or achievements yet."))
        self.empty_label.setObjectName("match_none")
        self.layout_.addWidget(self.empty_label)
        self.panel: MatchPanel | None = None
        self._chosen: tuple[str, str] | None = None

    def set_records(self, demands: Sequence[Mapping[str, Any]], achievements: Sequence[Mapping[str, Any]]) -> None:
        """The institution's records (demands first: an enterprise's needs lead), but confirmed duplicates; keeps the
        current choice."""
        current = self._chosen
        self.record_combo.blockSignals(True)
        self.record_combo.clear()
        for entity, rows, label in (("demand", demands, self.tr("Demand: %1")),
                                    ("achievement", achievements, self.tr("Achievement: %1"))):
            for r in rows:
                if r.get("duplicate_state") == "confirmed":  # matched through the record it duplicates
                    continue
                self.record_combo.addItem(label.replace("%1", str(r.get("title") or "")), (entity, str(r["id"])))
        index = self.record_combo.findData(current) if current else -1
        self.record_combo.setCurrentIndex(max(index, 0) if self.record_combo.count() else -1)
        self.record_combo.blockSignals(False)
        self.empty_label.setVisible(self.record_combo.count() == 0)
        self.record_combo.setVisible(self.record_combo.count() > 0)
        if self.record_combo.count():
            terms.prepare_in_background()
        self._choose()

    def _choose(self, _index: int = 0) -> None:
        data = self.record_combo.currentData()
        chosen = (str(data[0]), str(data[1])) if data else None
        if chosen == self._chosen:
            return
        self._chosen = chosen
        if self.panel is not None:
            self.layout_.removeWidget(self.panel)
            self.panel.deleteLater()
            self.panel = None
        if chosen is not None:
            self.panel = MatchPanel(self.ctx, chosen[0], chosen[1], self)
            # The institution's list above holds the record's matches: a second list under it said 尚无对接记录
            # beside 对接记录：2 条 (the record's none, the institution's two).
            self.panel.match_list.hide()
            self.layout_.addWidget(self.panel, 1)
