"""The import report: per-entity counts and every bad row with its row number, column and reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.entities import ENTITIES
from sync.messages import Label
from sync.tabular.messages import render


@dataclass(frozen=True)
class RowError:
    """One problem of one row: where (sheet, row number as in the file, column header) and why."""

    sheet: str
    row: int
    column: str
    code: str  # a message code (sync.messages or transfer.messages)
    params: dict[str, Any] = field(default_factory=dict)
    row_label: str = "row"  # "row" in a spreadsheet, "item" in a JSON export
    position: int = 1 << 16  # the column's index in the file (missing columns sort last)

    def message(self, lang: str = "zh_CN") -> str:
        return render(self.code, lang, **{"label": self.column, **self.params})

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message(lang),
        }


@dataclass
class EntityCount:
    rows: int = 0
    imported: int = 0
    bad: int = 0


@dataclass
class ImportReport:
    """What an import did. `written` is False when nothing reached the store."""

    path: str
    skip_invalid: bool
    sheets: list[str] = field(default_factory=list)
    counts: dict[str, EntityCount] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def imported(self) -> int:
        return sum(c.imported for c in self.counts.values())

    @property
    def bad_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors})

    def exit_code(self) -> int:
        """0: all imported, or --skip-invalid imported what it could; 1: bad rows and nothing imported."""
        if not self.errors:
            return 0
        return 0 if self.skip_invalid and self.imported > 0 else 1

    def sorted_errors(self) -> list[RowError]:
        order = {name: i for i, name in enumerate(self.sheets)}
        return sorted(self.errors, key=lambda e: (order.get(e.sheet, len(order)), e.row, e.position))

    def lines(self, lang: str = "zh_CN") -> list[str]:
        out: list[str] = []
        for name, count in self.counts.items():
            e = ENTITIES[name]
            out.append(render("report_entity", lang, entity=Label(e.zh, e.en), rows=count.rows,
                              imported=count.imported, bad=count.bad))
        many_sheets = len(self.sheets) > 1
        for err in self.sorted_errors():
            line = render(f"report_{err.row_label}", lang, row=err.row, column=err.column, message=err.message(lang))
            if many_sheets:
                line = render("report_sheet", lang, sheet=err.sheet) + " " + line
            out.append(line)
        if self.errors and not (self.skip_invalid and self.written):
            out.append(render("report_nothing_written", lang, bad=self.bad_rows))
        elif self.errors:
            out.append(render("report_skipped", lang, imported=self.imported, bad=self.bad_rows))
        else:
            out.append(render("report_done", lang, imported=self.imported))
        return out

    def as_dict(self, lang: str = "zh_CN") -> dict[str, Any]:
        return {
            "file": self.path,
            "written": self.written,
            "imported": self.imported,
            "bad_rows": self.bad_rows,
            "entities": {
                name: {"rows": c.rows, "imported": c.imported, "bad": c.bad} for name, c in self.counts.items()
            },
            "errors": [e.as_dict(lang) for e in self.sorted_errors()],
        }
