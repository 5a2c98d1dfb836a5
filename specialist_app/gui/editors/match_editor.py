"""Demand and achievement editors (the generic editor with a second tab, 对接: suggestions with reasons); the match
record's editor."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors import jobs
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.inputs import CodeInput
from specialist_app.gui.match_list import party
from specialist_app.gui.match_panel import MatchPanel
from specialist_app.gui.pages.base import data_label
from specialist_app.matching import terms
from specialist_app.services import matches
from specialist_app.services.queries import market_today
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES, MATCH
from sync.permissions import Refusal, refusal_text

# Each stage's date (终止 has none of its own).
STAGE_DATES = {"recommended": "recommended_on", "negotiating": "negotiated_on", "signed": "signed_on",
               "registered": "registered_on"}


class MatchableEditor(EditorDialog):
    """The record's form in a "Details" tab, its suggestions in a "Matching" tab (loaded when first shown)."""

    def __init__(self, ctx: AppContext, entity: str, record_id: str | None = None, *,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(ctx, entity, record_id, parent=parent, **kwargs)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("record_tabs")
        layout = self.layout()
        assert layout is not None
        layout.replaceWidget(self.scroll_area, self.tabs)
        self.tabs.addTab(self.scroll_area, self.tr("Details"))
        self.match_panel = MatchPanel(ctx, entity, None if self.state.creating else self.record_id)
        self.tabs.addTab(self.match_panel, self.tr("Matching"))
        self.saved.connect(self.match_panel.set_record)
        terms.prepare_in_background()  # jieba's dictionary, ready by the time the tab is opened


def demand_editor(ctx: AppContext, record_id: str | None = None, **kwargs: Any) -> EditorDialog:
    return MatchableEditor(ctx, "demand", record_id, **kwargs)


def achievement_editor(ctx: AppContext, record_id: str | None = None, **kwargs: Any) -> EditorDialog:
    return MatchableEditor(ctx, "achievement", record_id, children=ENTITIES["achievement"].children, **kwargs)


class MatchRecordEditor(EditorDialog):
    """A match record's form: its demand, achievement and expert picked by searching the local catalog (a match made
    from a suggestion has them set), a line above the form naming the pair. Once saved, the demand is fixed, and so
    is the achievement once set (the contract: another one is another match)."""

    def __init__(self, ctx: AppContext, record_id: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("fields", [f.name for f in MATCH.editable_fields() if f.name not in kwargs.get("fixed", {})])
        super().__init__(ctx, MATCH.name, record_id, **kwargs)
        self.pair_label = data_label()
        self.pair_label.setObjectName("match_pair")
        self.pair_label.setWordWrap(True)
        self.content.insertWidget(0, self.pair_label)
        self.content.addStretch(1)  # a short form: the room left goes below it, not between its date rows
        if record_id is not None:
            ctx.runner.submit(_pair(record_id), self._show_pair, owner=self)
        stage = self.form.inputs.get("stage")
        if isinstance(stage, CodeInput):
            stage.combo.activated.connect(self._stage_picked)  # the user's pick only, not a load

    def _stage_picked(self) -> None:
        """A stage picked by the user dates itself today when its date is empty (洽谈 → 洽谈日期, ...): the page's
        and the dashboard's dates follow the stage without a second step; a date already there is kept."""
        date_input = self.form.inputs.get(STAGE_DATES.get(str(self.form.inputs["stage"].value()), ""))
        if date_input is not None and date_input.widget.isEnabled() and date_input.value() is None:
            date_input.set_value(market_today().isoformat())

    def save(self, *, close: bool = True) -> None:
        """A new match of a signed-in specialist is first asked of sync.permissions (the pair picked decides: the
        demand's or the achievement's institution must be theirs), so the market's refusal shows before saving."""
        if not self.state.creating or self.ctx.username is None or not self.state.may_save or not self.editable:
            super().save(close=close)
            return
        values = {name: value for name, value in self.form.values().items() if name != "id"}
        self.ctx.runner.submit(jobs.create_refusal(MATCH.name, values, self.ctx.username),
                               partial(self._save_if_taken, close), owner=self)

    def _save_if_taken(self, close: bool, refusal: Refusal | None) -> None:
        if refusal is None or not self.state.may_save:
            super().save(close=close)
            return
        self.error_label.setText(refusal_text(refusal, self.ctx.lang) + "\n" + self.tr(
            "Pick a demand or an achievement of an institution assigned to you."))
        self.error_label.show()

    def show_loaded(self, loaded: jobs.LoadedRecord) -> None:
        stored = loaded.record or {}
        for name in (MATCH.parent_field, *(MATCH.second_institution_path or ())[:1]):
            field_input = self.form.inputs.get(name or "")
            if field_input is not None and stored.get(name or ""):
                field_input.widget.setEnabled(False)
                field_input.widget.setToolTip(self.tr(
                    "Fixed once saved: for another demand or achievement, make another match record"))

    def _show_pair(self, row: matches.MatchRow | None) -> None:
        if row is not None:
            demand, partner = html.escape(party(row.demand)), html.escape(party(row.partner))
            self.pair_label.setText(f"<b>{demand}</b> ↔ <b>{partner}</b>")


def _pair(match_id: str) -> Callable[[Store], matches.MatchRow | None]:
    def run(store: Store) -> matches.MatchRow | None:
        with ReadUnitOfWork(store) as uow:
            return matches.match_of(uow, match_id)

    return run


def match_record_editor(ctx: AppContext, record_id: str | None = None, **kwargs: Any) -> EditorDialog:
    return MatchRecordEditor(ctx, record_id, **kwargs)
