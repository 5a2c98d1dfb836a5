"""Formula cells of an .xlsx sheet that carry no saved result: found in the sheet's XML, never evaluated."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CHUNK = 1 << 20
MAX_SHOWN = 60  # characters of a formula quoted in a message


@dataclass(frozen=True, slots=True)
class FormulaCell:
    """A cell holding a formula and no saved value: the import reports it instead of reading it as empty."""

    formula: str

    def shown(self) -> str:
        text = "=" + self.formula if self.formula else "=…"
        return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"

    def __str__(self) -> str:
        return self.shown()


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    """A quick byte scan: most sheets (every export of this app) hold no formula at all."""
    tail = b""
    with archive.open(part) as src:
        while chunk := src.read(_CHUNK):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def unsaved_formulas(archive: zipfile.ZipFile, part: str) -> dict[int, dict[int, FormulaCell]]:
    """{row: {column: FormulaCell}} (1-based) of the cells in sheet `part` with a formula but no saved value."""
    if not _has_formula(archive, part):
        return {}
    found: dict[int, dict[int, FormulaCell]] = {}
    row, column = 0, 0
    with archive.open(part) as src:
        for event, element in iterparse(src, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                elif name == "c":
                    ref = element.get("r")
                    column = column_index_from_string(coordinate_from_string(ref)[0]) if ref else column + 1
                continue
            if name == "c":
                children = {_local(child.tag): child for child in element}
                value = children.get("v")
                saved = (value is not None and (value.text or "") != "") or "is" in children
                if "f" in children and not saved:
                    found.setdefault(row, {})[column] = FormulaCell((children["f"].text or "").strip())
                element.clear()
            elif name == "row":
                element.clear()
    return found
