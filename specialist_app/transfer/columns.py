"""Header matching and entity detection, shared with the server: see `sync.tabular.columns`."""

from __future__ import annotations

from sync.tabular.columns import (
    ID,
    ID_HEADER,
    IMPORT_ENTITIES,
    INSTRUCTION_SHEETS,
    Column,
    SheetPlan,
    detect_entity,
    entity_by_name,
    entity_choices,
    field_lookup,
    fold,
    header_keys,
    header_text,
    plan_sheet,
)

__all__ = [
    "ID", "ID_HEADER", "IMPORT_ENTITIES", "INSTRUCTION_SHEETS", "Column", "SheetPlan", "detect_entity",
    "entity_by_name", "entity_choices", "field_lookup", "fold", "header_keys", "header_text", "plan_sheet",
]
