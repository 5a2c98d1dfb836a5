"""Demand and achievement editors (the generic editor with a second tab, 对接: suggestions with reasons); the match
record's editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.match_panel import MatchPanel
from specialist_app.matching import terms
from sync.entities import ENTITIES
from sync.fields import Kind


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


def match_record_editor(ctx: AppContext, record_id: str | None = None, **kwargs: Any) -> EditorDialog:
    """A match record's form without its demand, achievement and expert (no picker of those yet: a match is made
    from a suggestion, which sets them, and they are kept as stored)."""
    kwargs.setdefault("fields", [f.name for f in ENTITIES["match_record"].editable_fields()
                                 if f.kind is not Kind.REF and f.name not in kwargs.get("fixed", {})])
    return EditorDialog(ctx, "match_record", record_id, **kwargs)
