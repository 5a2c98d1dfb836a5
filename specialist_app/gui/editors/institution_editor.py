"""The institution editor: the generic form, and above it whether a proposed institution waits for review."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.review_note import proposal_state


class InstitutionEditor(EditorDialog):
    def __init__(self, ctx: AppContext, record_id: str | None = None, *, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(ctx, "institution", record_id, parent=parent, **kwargs)

    def review_lines(self, record: dict[str, Any]) -> list[str]:
        return proposal_state(record) + super().review_lines(record)
