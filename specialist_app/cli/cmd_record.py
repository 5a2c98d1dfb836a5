"""`specialist-app record add|edit|delete|show`: one record at a time, offline, through the record services."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from specialist_app.cli.common import entity_label, error, open_current_store, print_json
from specialist_app.cli.texts import text
from specialist_app.services import editing, records
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES, Entity
from sync.messages import in_language

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    record = subparsers.add_parser("record", parents=[common], help="add, edit, delete or show one record")
    actions = record.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, help_text in (("add", "create a record"), ("edit", "change fields of a record"),
                              ("delete", "delete a record (and its children)"), ("show", "print a record")):
        p = actions.add_parser(action, parents=[common], help=help_text)
        p.add_argument("entity", choices=sorted(ENTITIES), help="record type")
        if action != "add":
            p.add_argument("id", help="record id")
        if action in ("add", "edit"):
            p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                           help="a field (name, Chinese or English label) and its value; repeat for more")
            p.add_argument("--values-json", help="field values as one JSON object (canonical values)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    lang: str = args.lang
    entity = ENTITIES[args.entity]
    try:
        values = _values(entity, args) if args.action in ("add", "edit") else {}
    except _UsageError as err:
        error(str(err))
        return EXIT_USAGE
    store = open_current_store(args.data_dir)
    try:
        if args.action == "show":
            with ReadUnitOfWork(store) as read:
                row = records.get(read, entity.name, args.id)
            if row is None:
                raise records.RecordNotFound(entity.name, args.id)
            print_json(row) if args.json else _print_row(entity, row, lang)
            return EXIT_OK
        row_id = _write(store, entity, args, values)
    except records.RecordInvalid as err:
        for problem in err.problems:
            error(problem.message(lang))
        return EXIT_REFUSED
    except records.RecordNotFound:
        error(text("record_missing", lang, entity=entity_label(entity.name, lang), id=args.id))
        return EXIT_REFUSED
    finally:
        store.close()
    if args.json:
        print_json({"entity": entity.name, "id": row_id, "action": args.action})
    else:
        done = {"add": "record_created", "edit": "record_updated", "delete": "record_deleted"}[args.action]
        print(text(done, lang, entity=entity_label(entity.name, lang), id=row_id))
    return EXIT_OK


def _write(store: Store, entity: Entity, args: argparse.Namespace, values: dict[str, Any]) -> str:
    if args.action == "add":
        return editing.add_record(store, entity.name, values)
    if args.action == "edit":
        editing.edit_record(store, entity.name, args.id, values)
    else:
        editing.delete_record(store, entity.name, args.id)
    return str(args.id)


def _values(entity: Entity, args: argparse.Namespace) -> dict[str, Any]:
    """Field values from --values-json and --set (labels in either language accepted as field names)."""
    values: dict[str, Any] = {}
    if args.values_json:
        try:
            loaded = json.loads(args.values_json)
        except json.JSONDecodeError as err:
            raise _UsageError(text("bad_values_json", args.lang, detail=err.msg)) from None
        if not isinstance(loaded, dict):
            raise _UsageError(text("bad_values_json", args.lang, detail=type(loaded).__name__))
        values.update(loaded)
    names = _field_names(entity)
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise _UsageError(text("bad_assignment", args.lang, text=item))
        values[names.get(key.strip().casefold(), key.strip())] = value
    return values


def _field_names(entity: Entity) -> dict[str, str]:
    names: dict[str, str] = {}
    for f in entity.fields:
        for key in (f.name, f.zh, f.en):
            names.setdefault(key.casefold(), f.name)
    return names


def _print_row(entity: Entity, row: dict[str, Any], lang: str) -> None:
    print(f"id: {row['id']}")
    for f in entity.fields:
        value = row.get(f.name)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        if f.codes is not None:
            items = [f.codes.label(str(item), lang) for item in items]
        label = in_language(f, lang)
        print(f"{label}: {'、'.join(map(str, items))}")
