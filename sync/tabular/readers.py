"""Read .xlsx, .csv and .json files into sheets of raw cells, with clear errors for unreadable files."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from sync.tabular.formulas import unsaved_formulas
from sync.tabular.messages import TransferError

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other old Office files)
_CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})


@dataclass
class Sheet:
    """One table of a file: its header row and its data rows numbered as the user sees them."""

    name: str
    headers: list[str]
    rows: list[tuple[int, Sequence[Any]]] = field(default_factory=list)  # (row number, cells)
    from_excel: bool = False  # cells may be Excel serial dates
    row_label: str = "row"  # "row" (a spreadsheet row) or "item" (a JSON list entry)


def read_file(path: Path) -> list[Sheet]:
    """The sheets of `path` (.xlsx, .csv or a .json export); raises TransferError when unreadable."""
    shown = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise TransferError("file_missing", path=shown) from None
    except OSError as err:
        raise TransferError("file_unreadable", path=shown, detail=err.strerror or str(err)) from None
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        sheets = _read_xlsx(path)
    elif head.startswith(_OLE_MAGIC):
        raise TransferError("file_xls", path=shown)
    elif suffix in (".xlsx", ".xlsm"):
        raise TransferError("file_not_xlsx", path=shown)
    elif suffix == ".json":
        sheets = _read_json(path)
    elif suffix in _CSV_SUFFIXES:
        sheets = [_read_csv(path)]
    else:
        raise TransferError("file_format", path=shown)
    sheets = [s for s in sheets if s.headers or s.rows]
    if not sheets or not any(s.rows for s in sheets):
        raise TransferError("file_empty", path=shown)
    return sheets


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        # data_only: formulas give their saved results and are never evaluated; one with no saved result is
        # reported (FormulaCell), not read as an empty cell.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise TransferError("file_not_xlsx", path=str(path)) from None
    try:
        return [
            _table(str(ws.title), _with_unsaved_formulas(ws, workbook), from_excel=True)
            for ws in workbook.worksheets
        ]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise TransferError("file_not_xlsx", path=str(path)) from None
    finally:
        workbook.close()


def _with_unsaved_formulas(ws: Any, workbook: Any) -> Iterator[Sequence[Any]]:
    """The sheet's rows of values, each formula cell without a saved value as a FormulaCell."""
    rows = ws.iter_rows(values_only=True)
    path = getattr(ws, "_worksheet_path", None)
    formulas = unsaved_formulas(workbook._archive, path) if path else {}
    if not formulas:
        yield from rows
        return
    first_row, first_col = ws.min_row or 1, ws.min_column or 1
    for offset, cells in enumerate(rows):
        found = formulas.get(first_row + offset)
        if not found:
            yield cells
            continue
        merged = list(cells)
        for column, cell in found.items():
            index = column - first_col
            if index >= 0:
                merged.extend([None] * (index + 1 - len(merged)))
                merged[index] = cell
        yield merged


def _table(name: str, rows: Iterable[Sequence[Any]], *, from_excel: bool) -> Sheet:
    """Header = first row with any value; later blank rows are dropped; numbers count every row from 1."""
    sheet = Sheet(name, [], from_excel=from_excel)
    have_header = False
    for number, cells in enumerate(rows, start=1):
        if not any(_filled(c) for c in cells):
            continue
        if not have_header:
            sheet.headers = ["" if c is None else str(c).strip() for c in cells]
            have_header = True
        else:
            sheet.rows.append((number, cells))
    return sheet


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def decode_text(data: bytes, shown: str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (which covers GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise TransferError("file_binary", path=shown)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TransferError("file_encoding", path=shown)


def _read_csv(path: Path) -> Sheet:
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise TransferError("file_unreadable", path=shown, detail=err.strerror or str(err)) from None
    try:
        text = decode_text(data, shown)
    except UnicodeDecodeError:
        raise TransferError("file_encoding", path=shown) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise TransferError("file_unreadable", path=shown, detail=str(err)) from None
    return _table(path.stem, rows, from_excel=False)


def _read_json(path: Path) -> list[Sheet]:
    """A JSON export: {"entities": {name: [record, ...]}}; each list becomes a sheet keyed by field names."""
    shown = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise TransferError("file_json", path=shown, detail=str(err)) from None
    entities = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entities, dict):
        raise TransferError("file_json", path=shown, detail='no "entities" object')
    sheets: list[Sheet] = []
    for name, records in entities.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TransferError("file_json", path=shown, detail=f'"{name}" is not a list of records')
        headers: list[str] = []
        for record in records:
            headers.extend(k for k in record if k not in headers)
        rows: list[tuple[int, Sequence[Any]]] = [
            (n, [record.get(h) for h in headers]) for n, record in enumerate(records, start=1)
        ]
        sheets.append(Sheet(str(name), headers, rows, row_label="item"))
    return sheets
