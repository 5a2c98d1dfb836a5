"""Which editor edits which entity: a subclass where the entity has its own (visit, institution), the generic
editor with the entity's child tables (Entity.children) otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors import duplicate_hint
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.institution_editor import InstitutionEditor
from specialist_app.gui.editors.match_editor import achievement_editor, demand_editor, match_record_editor
from specialist_app.gui.editors.visit_editor import VisitEditor
from sync.entities import ENTITIES

EditorFactory = Callable[..., EditorDialog]

EDITORS: dict[str, EditorFactory] = {
    "visit": VisitEditor,
    "institution": InstitutionEditor,
    "demand": demand_editor,  # with the 对接 tab
    "achievement": achievement_editor,
    "match_record": match_record_editor,  # its demand, achievement and expert searched in the catalog
}


def make_editor(ctx: AppContext, entity: str, record_id: str | None = None, *, parent: QWidget | None = None,
                **kwargs: Any) -> EditorDialog:
    special = EDITORS.get(entity)
    if special is not None:
        dialog = special(ctx, record_id, parent=parent, **kwargs)
    else:
        dialog = EditorDialog(ctx, entity, record_id, children=ENTITIES[entity].children, parent=parent, **kwargs)
    duplicate_hint.attach(dialog)  # a new institution, achievement, demand or expert: likely duplicates shown
    return dialog
