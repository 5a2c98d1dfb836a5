"""A file's sheets as rows of loose field values keyed by field name, with every row problem located."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.entities import ENTITIES, Entity
from sync.fields import Field, Invalid, Kind, normalize
from sync.ids import uuid7
from sync.messages import Label, Problem, render
from sync.tabular.cells import excel_serial_date, field_names_from_labels, is_empty, split_list
from sync.tabular.columns import (
    ID,
    IMPORT_ENTITIES,
    INSTRUCTION_SHEETS,
    MASKED,
    SheetPlan,
    detect_entity,
    entity_by_name,
    entity_choices,
    field_lookup,
    fold,
    plan_sheet,
)
from sync.tabular.formulas import FormulaCell
from sync.tabular.messages import TransferError
from sync.tabular.readers import Sheet, read_file
from sync.tabular.refs import RefNames
from sync.tabular.report import RowError
from sync.validation import validate, without_masked


@dataclass
class PreparedRow:
    """A row whose references resolved: its row number in the file, its id and its values for validation."""

    number: int
    id: str
    values: dict[str, Any]
    masked: list[str] = field(default_factory=list)  # confidential fields held only masked (left empty)


def forced_entity(entity: str | None, lang: str) -> Entity | None:
    """The entity `--entity` names, None when not given; TransferError bad_entity when unknown."""
    if entity is None:
        return None
    found = entity_by_name(entity)
    if found is None:
        raise TransferError("bad_entity", value=entity, choices=entity_choices(lang))
    return found


def plan_file(
    path: Path, forced: Entity | None, lang: str, allowed: Collection[str] = IMPORT_ENTITIES
) -> list[tuple[Sheet, SheetPlan]]:
    """The sheets of `path` that hold rows, each with its plan, parents first; raises TransferError.

    A sheet of an entity not in `allowed` is a file error (the server import takes only catalog records).
    """
    sheets = [s for s in read_file(path) if fold(s.name) not in INSTRUCTION_SHEETS]
    planned = [(sheet, _plan(sheet, forced, lang, allowed)) for sheet in sheets if sheet.rows]
    planned.sort(key=lambda sp: IMPORT_ENTITIES.index(sp[1].entity.name))  # parents first
    return planned


def _plan(sheet: Sheet, forced: Entity | None, lang: str, allowed: Collection[str]) -> SheetPlan:
    if not any(sheet.headers):
        raise TransferError("sheet_no_header", sheet=sheet.name)
    target = forced or detect_entity(sheet.name, sheet.headers, lang)
    if target.name not in allowed:
        sep = render("enum_sep", lang)
        choices = sep.join(f"{name}（{ENTITIES[name].zh}）" for name in IMPORT_ENTITIES if name in allowed)
        raise TransferError("entity_not_importable", sheet=sheet.name, entity=Label(target.zh, target.en),
                            choices=choices)
    return plan_sheet(target, sheet.name, sheet.headers, lang)


def row_error(sheet: Sheet, plan: SheetPlan, number: int, problem: Problem, lang: str) -> RowError:
    """A validation problem of row `number` as a report line's data: its column as headed in the file."""
    known = plan.entity.has(problem.field) or problem.field in (ID, MASKED)
    column = plan.header_for(problem.field, lang) if known else problem.field
    params = {k: v for k, v in problem.params.items() if k != "row"}
    return RowError(sheet.name, number, column, problem.code, params, sheet.row_label,
                    plan.position_of(problem.field))


def prepare_rows(
    sheet: Sheet, plan: SheetPlan, refs: RefNames, seen_ids: dict[str, int], lang: str
) -> tuple[list[PreparedRow], list[RowError]]:
    """Turn each row into loose values keyed by field name, resolving references; collect every problem.

    Rows with an unreadable cell are checked in full here so all their problems are listed; the others
    still need `sync.validation.validate` (the caller's write path does it).
    """
    entity = plan.entity
    lookup = field_lookup(entity)
    columns = [c for c in plan.columns if c.target in (ID, MASKED) or not entity.field(c.target).server_managed]
    good: list[PreparedRow] = []
    errors: list[RowError] = []

    def error(number: int, target: str, code: str, params: dict[str, Any]) -> None:
        errors.append(row_error(sheet, plan, number, Problem(target, code, params), lang))

    for number, cells in sheet.rows:
        raw: dict[str, Any] = {f.name: None for f in entity.editable_fields()}
        row_id: str | None = None
        masked: list[str] = []
        failed: set[str] = set()  # fields already reported; validation would only add "required"
        for col in columns:
            cell = cells[col.index] if col.index < len(cells) else None
            if col.target == MASKED:
                masked, bad = _masked(entity, cell, lookup)
                for name in bad:
                    error(number, MASKED, "bad_confidential_field", {"name": name})
                failed.update([MASKED] if bad else [])
                continue
            if col.target == ID:
                row_id, problem = _row_id(entity, cell, refs, seen_ids)
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
        masked = [name for name in masked if raw.get(name) is None]  # a value given is not masked
        if failed:  # also list this row's other problems
            _, problems = validate(entity, raw)
            for p in without_masked(problems, masked):
                if p.field not in failed:
                    error(number, p.field, p.code, p.params)
            continue
        if row_id is None:
            row_id = uuid7()
        seen_ids.setdefault(row_id, number)
        good.append(PreparedRow(number, row_id, raw, masked))
    return good, errors


def _masked(entity: Entity, cell: Any, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    """(masked field names, items that name no confidential field) of a masked-fields cell."""
    if isinstance(cell, FormulaCell) or is_empty(cell):
        return [], [cell.shown()] if isinstance(cell, FormulaCell) else []
    names = field_names_from_labels(entity, cell, lookup) or []
    bad = [n for n in names if not entity.has(n) or not entity.field(n).can_be_confidential]
    return [n for n in names if n not in bad], bad


def file_ids(planned: list[tuple[Sheet, SheetPlan]]) -> dict[str, set[str]]:
    """Per entity, the well-formed ids in the file's ID columns (bad rows included): references to them are rows of
    the file, never rows outside it."""
    out: dict[str, set[str]] = {}
    id_field = Field("id", Kind.REF, "记录编号", "ID")
    for sheet, plan in planned:
        index = plan.position_of(ID)
        found = out.setdefault(plan.entity.name, set())
        for _number, cells in sheet.rows:
            cell = cells[index] if index < len(cells) else None
            if isinstance(cell, str | int) and not is_empty(cell):
                try:
                    found.add(str(normalize(id_field, str(cell).strip())))
                except Invalid:
                    continue
    return out


def _row_id(
    entity: Entity, cell: Any, refs: RefNames, seen_ids: dict[str, int]
) -> tuple[str | None, tuple[str, dict[str, Any]] | None]:
    if isinstance(cell, FormulaCell):
        return None, ("formula_no_value", {"label": Label("记录编号", "ID"), "formula": cell.shown()})
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
    entity: Entity, f: Field, cell: Any, from_excel: bool, refs: RefNames, lookup: dict[str, str]
) -> Any:
    """The cell as input for validation: references resolved to ids, labels of field names to names."""
    if isinstance(cell, FormulaCell):
        raise Invalid("formula_no_value", label=f.label, formula=cell.shown())
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
