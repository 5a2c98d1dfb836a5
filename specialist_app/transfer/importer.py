"""Import a spreadsheet (or JSON export) into the store through the record service, all or nothing by default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.transfer.cells import excel_serial_date, field_names_from_labels, is_empty, split_list
from specialist_app.transfer.columns import (
    ID,
    IMPORT_ENTITIES,
    INSTRUCTION_SHEETS,
    SheetPlan,
    detect_entity,
    entity_by_name,
    entity_choices,
    field_lookup,
    fold,
    plan_sheet,
)
from specialist_app.transfer.messages import TransferError
from specialist_app.transfer.readers import Sheet, read_file
from specialist_app.transfer.refs import RefIndex
from specialist_app.transfer.report import EntityCount, ImportReport, RowError
from sync.entities import Entity
from sync.fields import Field, Invalid, Kind, normalize
from sync.ids import uuid7
from sync.validation import validate


@dataclass
class _Row:
    """A row whose references resolved: where it came from, its id and its values for the record service."""

    number: int
    id: str
    values: dict[str, Any]


def import_file(
    store: Store, path: Path, *, entity: str | None = None, skip_invalid: bool = False, lang: str = "zh_CN"
) -> ImportReport:
    """Read `path` and create its records. Raises TransferError for a file that cannot be used at all."""
    forced = _forced_entity(entity, lang)
    sheets = [s for s in read_file(path) if fold(s.name) not in INSTRUCTION_SHEETS]
    planned = [(sheet, _plan(sheet, forced, lang)) for sheet in sheets if sheet.rows]
    planned.sort(key=lambda sp: IMPORT_ENTITIES.index(sp[1].entity.name))  # parents first
    report = ImportReport(str(path), skip_invalid, sheets=[s.name for s, _ in planned])
    with UnitOfWork(store) as uow:
        refs = RefIndex(uow.conn)
        seen_ids: dict[str, int] = {}
        for sheet, plan in planned:
            good, errors = _prepare(sheet, plan, refs, seen_ids, lang)
            report.errors.extend(errors)
            # Written even after an error (then rolled back) so later sheets can refer to the good rows.
            good = _write(uow, sheet, plan, good, report, lang=lang)
            name = plan.entity.name
            for row in good:
                refs.add(name, row.id, row.values.get(plan.entity.title_field))
            count = report.counts.setdefault(name, EntityCount())
            count.rows += len(sheet.rows)
            count.imported += len(good)
            count.bad += len({e.row for e in report.errors if e.sheet == sheet.name})
        if report.errors and not skip_invalid:
            for count in report.counts.values():
                count.imported = 0
            return report  # the unit of work rolls back what earlier sheets wrote
        if report.imported:
            uow.commit()
            report.written = True
    return report


def _forced_entity(entity: str | None, lang: str) -> Entity | None:
    if entity is None:
        return None
    found = entity_by_name(entity)
    if found is None:
        raise TransferError("bad_entity", value=entity, choices=entity_choices(lang))
    return found


def _plan(sheet: Sheet, forced: Entity | None, lang: str) -> SheetPlan:
    if not any(sheet.headers):
        raise TransferError("sheet_no_header", sheet=sheet.name)
    target = forced or detect_entity(sheet.name, sheet.headers, lang)
    return plan_sheet(target, sheet.name, sheet.headers, lang)


def _prepare(
    sheet: Sheet, plan: SheetPlan, refs: RefIndex, seen_ids: dict[str, int], lang: str
) -> tuple[list[_Row], list[RowError]]:
    """Turn each row into canonical values, resolving references; collect every problem of every row."""
    entity = plan.entity
    lookup = field_lookup(entity)
    columns = [c for c in plan.columns if c.target == ID or not entity.field(c.target).server_managed]
    good: list[_Row] = []
    errors: list[RowError] = []

    def error(number: int, target: str, code: str, params: dict[str, Any]) -> None:
        column = plan.header_for(target, lang)
        position = plan.position_of(target)
        errors.append(RowError(sheet.name, number, column, code, params, sheet.row_label, position))

    for number, cells in sheet.rows:
        raw: dict[str, Any] = {f.name: None for f in entity.editable_fields()}
        row_id: str | None = None
        failed: set[str] = set()  # fields already reported; validation would only add "required"
        for col in columns:
            cell = cells[col.index] if col.index < len(cells) else None
            if col.target == ID:
                row_id, problem = _row_id(entity, cell, refs, seen_ids, number)
                if problem is not None:
                    error(number, ID, *problem)
                    failed.add(ID)
                continue
            f = entity.field(col.target)
            try:
                raw[f.name] = _loose_value(entity, f, cell, sheet.from_excel, refs, lookup)
            except Invalid as err:
                error(number, f.name, err.code, {"label": f.label, **err.params})
                failed.add(f.name)
                raw.pop(f.name)
        if failed:  # also list this row's other problems; rows without any are validated by the service
            _, problems = validate(entity, raw)
            for p in problems:
                if p.field not in failed:
                    error(number, p.field, p.code, p.params)
            continue
        if row_id is None:
            row_id = uuid7()
        seen_ids.setdefault(row_id, number)
        good.append(_Row(number, row_id, raw))
    return good, errors


def _row_id(
    entity: Entity, cell: Any, refs: RefIndex, seen_ids: dict[str, int], number: int
) -> tuple[str | None, tuple[str, dict[str, Any]] | None]:
    if is_empty(cell):
        return None, None
    text = str(cell).strip()
    try:
        row_id = normalize(Field("id", Kind.REF, "记录编号", "ID"), text)
    except Invalid as err:
        return None, (err.code, {})
    if row_id in seen_ids:
        return None, ("duplicate_id", {"value": text, "first": seen_ids[row_id]})
    if refs.exists(entity.name, row_id):
        return None, ("id_exists", {"value": text})
    return row_id, None


def _loose_value(
    entity: Entity, f: Field, cell: Any, from_excel: bool, refs: RefIndex, lookup: dict[str, str]
) -> Any:
    """The cell as input for validation: references resolved to ids, labels of field names to names."""
    if is_empty(cell):
        return None
    if f.kind is Kind.REF and f.ref is not None:
        return refs.resolve(f.ref, str(cell))
    if f.kind is Kind.REFS and f.ref is not None:
        ref = f.ref
        return [refs.resolve(ref, item) for item in split_list(cell)]
    if f.kind is Kind.FIELDNAMES:
        return field_names_from_labels(entity, cell, lookup)
    if from_excel:
        return excel_serial_date(f, cell)
    return cell


def _write(
    uow: UnitOfWork,
    sheet: Sheet,
    plan: SheetPlan,
    rows: list[_Row],
    report: ImportReport,
    *,
    lang: str,
) -> list[_Row]:
    """Create `rows` through the record service (which validates them); returns those written.
    Rows it refuses become errors, and the others are written without them."""
    entity = plan.entity
    while rows:
        try:
            records.create_many(uow, entity.name, [r.values for r in rows], ids=[r.id for r in rows])
            return rows
        except records.RecordInvalid as err:
            refused: set[int] = set()
            for p in err.problems:
                index = int(p.params.get("row", -1))
                if not 0 <= index < len(rows):
                    raise
                refused.add(index)
                params = {k: v for k, v in p.params.items() if k != "row"}
                column = plan.header_for(p.field, lang) if plan.entity.has(p.field) else p.field
                report.errors.append(
                    RowError(
                        sheet.name, rows[index].number, column, p.code, params, sheet.row_label,
                        plan.position_of(p.field),
                    )
                )
            rows = [r for i, r in enumerate(rows) if i not in refused]
    return rows
