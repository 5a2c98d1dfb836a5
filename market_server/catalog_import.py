"""`market-server import`: catalog spreadsheets (the client's templates) validated and bulk-loaded with versions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from market_server import accounts, versions
from market_server.db import make_engine
from market_server.seed import BulkLoader
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES
from sync.entities import ENTITIES, Writes
from sync.tabular.columns import CATALOG_IMPORT_ENTITIES
from sync.tabular.messages import TransferError
from sync.tabular.refs import RefNames
from sync.tabular.report import EntityCount, ImportReport
from sync.tabular.rows import PreparedRow, forced_entity, plan_file, prepare_rows, row_error
from sync.validation import validate

# Author of imported rows when no --as account is named; not a valid user name, so no account can own them.
IMPORT_AUTHOR = "catalog import"


def import_catalog(
    engine: Engine, path: Path, *, entity: str | None = None, skip_invalid: bool = False,
    author: str | None = None, lang: str = "zh_CN", dry_run: bool = False,
) -> ImportReport:
    """Read `path` and load its catalog records, all or nothing unless `skip_invalid`.

    `dry_run` checks every row and counts the good ones but writes nothing (the console's preview).

    Raises TransferError for a file that cannot be used at all (or an unknown --as account).
    """
    planned = plan_file(path, forced_entity(entity, lang), lang, allowed=CATALOG_IMPORT_ENTITIES)
    report = ImportReport(str(path), skip_invalid, sheets=[s.name for s, _ in planned])
    with engine.begin() as conn:
        # Take the writers' lock first (a zero-sized allocation): names resolved below cannot change under
        # the import, and SQLite never has to upgrade a read snapshot that another writer made stale.
        versions.allocate(conn, 0)
        user = _author(conn, author)
        refs = RefNames(lambda name: _records(conn, name))
        seen_ids: dict[str, int] = {}
        ready: list[tuple[str, dict[str, object]]] = []
        for sheet, plan in planned:
            name = plan.entity.name
            prepared, errors = prepare_rows(sheet, plan, refs, seen_ids, lang)
            good: list[PreparedRow] = []
            for row in prepared:
                values, problems = validate(plan.entity, row.values)
                errors.extend(row_error(sheet, plan, row.number, p, lang) for p in problems)
                if problems:
                    continue
                good.append(row)
                refs.add(name, row.id, values.get(plan.entity.title_field))
                ready.append((name, {"id": row.id, **values, **_server_values(name, author)}))
            report.errors.extend(errors)
            count = report.counts.setdefault(name, EntityCount())
            count.rows += len(sheet.rows)
            count.imported += len(good)
            count.bad += len({e.row for e in errors})
        if dry_run:
            return report
        if report.errors and not skip_invalid:
            for count in report.counts.values():
                count.imported = 0
            return report
        if ready:
            loader = BulkLoader(conn, user)
            for name, record in ready:
                loader.add(name, record)
            loader.finish()
            report.written = True
    return report


def _author(conn: Connection, author: str | None) -> str:
    if author is None:
        return IMPORT_AUTHOR
    found = accounts.find_user(conn, author)
    if found is None or found.disabled:
        raise TransferError("import_author_unknown", name=author)
    return found.username


def _server_values(entity_name: str, author: str | None) -> dict[str, object]:
    """Server-managed fields of an administrator's import: institutions are active at once."""
    entity = ENTITIES[entity_name]
    if entity.writes is Writes.PROPOSAL:
        return {"status": entity.listed_status, "proposed_by": None}
    if entity.stamps_collector:
        return {"collected_by": author}
    return {}


def _records(conn: Connection, entity_name: str) -> list[tuple[str, object, bool]]:
    """(id, title, live) of every stored row of an entity, for reference names and taken ids."""
    table = ENTITY_TABLES[entity_name]
    title = table.c[ENTITIES[entity_name].title_field]
    return [(str(i), t, not d) for i, t, d in conn.execute(select(table.c.id, title, table.c.deleted))]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `market-server import FILE`."""
    cmd = sub.add_parser("import", help="import catalog spreadsheets (the client's import templates)")
    cmd.add_argument("file", type=Path)
    cmd.add_argument("--entity", help="record type of every sheet: " + ", ".join(CATALOG_IMPORT_ENTITIES))
    cmd.add_argument("--skip-invalid", action="store_true", help="import the good rows, report the bad ones")
    cmd.add_argument("--as", dest="author", metavar="USER", help="account recorded as author and collector")
    cmd.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN", help="language of the report")
    cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    cmd.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """0: imported; 1: bad rows (nothing written unless --skip-invalid wrote some); 2: file or usage error."""
    lang: str = args.lang
    engine = make_engine(settings)
    try:
        report = import_catalog(engine, args.file, entity=args.entity, skip_invalid=args.skip_invalid,
                                author=args.author, lang=lang)
    except TransferError as err:
        print(f"market-server: {err.message(lang)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_dict(lang), ensure_ascii=False, indent=1))
    else:
        print("\n".join(report.lines(lang)))
    return report.exit_code()
