"""Write records to .xlsx (labels in one language, formula-safe text) and to .json (canonical values)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sync.entities import ENTITIES, Entity
from sync.fields import Field, Kind
from sync.messages import in_language
from sync.tabular.cells import is_formula_like, to_cell
from sync.tabular.columns import ID, MASKED, MASKED_HEADER, has_maskable, header_text

EXPORT_FORMAT = "specialist-app-export"
EXPORT_VERSION = 1
_HEADER_FONT = Font(bold=True)
# The masked-fields column: field names, written as their labels like the confidential-fields column.
_MASKED_FIELD = Field(MASKED, Kind.FIELDNAMES, MASKED_HEADER.zh, MASKED_HEADER.en)


def export_targets(entity: Entity) -> list[str]:
    """Columns an export writes: the id, then every field a client may set (server-managed ones are not)."""
    return [ID, *(f.name for f in entity.editable_fields())]


def sheet_title(entity: Entity, lang: str) -> str:
    return in_language(entity, lang)


def safe_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A cell value that Excel shows as written: text that looks like a formula stays text."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def header_row(ws: WriteOnlyWorksheet, headers: Sequence[str]) -> list[Any]:
    cells: list[Any] = []
    for text in headers:
        cell = WriteOnlyCell(ws, text)
        cell.font = _HEADER_FONT
        cells.append(cell)
    return cells


def add_table(
    workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int]
) -> None:
    ws = workbook.create_sheet(title=title)
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append(header_row(ws, headers))
    for row in rows:
        ws.append([safe_cell(ws, v) for v in row])


def column_width(entity: Entity, target: str) -> int:
    if target == ID:
        return 38
    if target == MASKED:
        return 18
    f = entity.field(target)
    return 40 if f.kind.value == "longtext" else 18


def write_xlsx(data: dict[str, list[dict[str, Any]]], path: Path, lang: str) -> None:
    """One sheet per entity, headers and code labels in `lang`, lists joined with 、."""
    workbook = Workbook(write_only=True)
    for name, records in data.items():
        entity = ENTITIES[name]
        targets = export_targets(entity) + ([MASKED] if has_maskable(entity) else [])
        fields = [None if t == ID else _MASKED_FIELD if t == MASKED else entity.field(t) for t in targets]
        rows = (
            [r["id"] if f is None else to_cell(entity, f, r.get(f.name), lang) for f in fields] for r in records
        )
        add_table(
            workbook,
            sheet_title(entity, lang),
            [header_text(entity, t, lang) for t in targets],
            rows,
            [column_width(entity, t) for t in targets],
        )
    _save_atomically(path, workbook.save)


def write_json(data: dict[str, list[dict[str, Any]]], path: Path) -> None:
    """{"format", "version", "entities": {name: [record, ...]}} with canonical values."""
    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "entities": data}

    def save(target: str) -> None:
        with open(target, "w", encoding="utf-8") as fh:
            json.dump(document, fh, ensure_ascii=False, indent=1)

    _save_atomically(path, save)


def _save_atomically(path: Path, save: Any) -> None:
    """Write next to `path` then rename, so a failed export never leaves half a file under the real name."""
    tmp = path.with_name(path.name + ".part")
    try:
        save(str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
