"""`specialist-app import / export / template`: spreadsheets in and out of the current profile's store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from specialist_app.cli.common import counts_text, open_current_store, print_json
from specialist_app.cli.texts import text
from specialist_app.services.imports import import_file
from specialist_app.transfer.exporter import export_file
from specialist_app.transfer.templates import write_template
from sync.tabular.columns import IMPORT_ENTITIES, entity_by_name, entity_choices
from sync.tabular.messages import TransferError

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers


def add_parsers(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("import", parents=[common], help="import records from .xlsx, .csv or a .json export")
    p.add_argument("file", type=Path)
    p.add_argument("--entity", help="record type of every sheet: " + ", ".join(IMPORT_ENTITIES))
    p.add_argument("--skip-invalid", action="store_true", help="import the good rows, report the bad ones")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=run_import)

    p = subparsers.add_parser("export", parents=[common], help="export every record to .xlsx or .json")
    p.add_argument("file", type=Path)
    p.set_defaults(run=run_export)

    p = subparsers.add_parser("template", parents=[common], help="write a blank import template (.xlsx or .csv)")
    p.add_argument("entity", help=", ".join(IMPORT_ENTITIES))
    p.add_argument("file", type=Path)
    p.set_defaults(run=run_template)


def run_import(args: argparse.Namespace) -> int:
    lang: str = args.lang
    store = open_current_store(args.data_dir)
    try:
        report = import_file(store, args.file, entity=args.entity, skip_invalid=args.skip_invalid, lang=lang)
    finally:
        store.close()
    if args.json:
        print_json(report.as_dict(lang))
    else:
        for line in report.lines(lang):
            print(line)
    return report.exit_code()


def run_export(args: argparse.Namespace) -> int:
    lang: str = args.lang
    store = open_current_store(args.data_dir)
    try:
        counts = export_file(store, args.file, lang=lang)
    finally:
        store.close()
    print(text("exported", lang, path=args.file, counts=counts_text(counts, lang)))
    return 0


def run_template(args: argparse.Namespace) -> int:
    lang: str = args.lang
    entity = entity_by_name(args.entity)
    if entity is None:
        raise TransferError("bad_entity", value=args.entity, choices=entity_choices(lang))
    write_template(entity.name, args.file, lang)
    print(text("template_written", lang, path=args.file))
    return 0
