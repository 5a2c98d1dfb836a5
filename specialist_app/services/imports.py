"""Import a spreadsheet (or JSON export) into the store through the record service, all or nothing by default."""

from __future__ import annotations

from pathlib import Path

from specialist_app.services import records
from specialist_app.services.import_refs import RefIndex
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from sync.tabular.columns import SheetPlan
from sync.tabular.readers import Sheet
from sync.tabular.report import EntityCount, ImportReport
from sync.tabular.rows import PreparedRow, file_ids, forced_entity, plan_file, prepare_rows, row_error


def import_file(
    store: Store, path: Path, *, entity: str | None = None, skip_invalid: bool = False, lang: str = "zh_CN"
) -> ImportReport:
    """Read `path` and create its records. Raises TransferError for a file that cannot be used at all."""
    planned = plan_file(path, forced_entity(entity, lang), lang)
    report = ImportReport(str(path), skip_invalid, sheets=[s.name for s, _ in planned])
    with UnitOfWork(store) as uow:
        refs = RefIndex(uow.conn)
        refs.set_file_ids(file_ids(planned))
        seen_ids: dict[str, int] = {}
        for sheet, plan in planned:
            good, errors = prepare_rows(sheet, plan, refs, seen_ids, lang)
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


def _write(
    uow: UnitOfWork,
    sheet: Sheet,
    plan: SheetPlan,
    rows: list[PreparedRow],
    report: ImportReport,
    *,
    lang: str,
) -> list[PreparedRow]:
    """Create `rows` through the record service (which validates them); returns those written.
    Rows it refuses become errors, and the others are written without them."""
    entity = plan.entity
    while rows:
        try:
            records.create_many(uow, entity.name, [r.values for r in rows], ids=[r.id for r in rows],
                                masked=[r.masked for r in rows], outside_refs=True)
            return rows
        except records.RecordInvalid as err:
            refused: set[int] = set()
            for p in err.problems:
                index = int(p.params.get("row", -1))
                if not 0 <= index < len(rows):
                    raise
                refused.add(index)
                report.errors.append(row_error(sheet, plan, rows[index].number, p, lang))
            rows = [r for i, r in enumerate(rows) if i not in refused]
    return rows
