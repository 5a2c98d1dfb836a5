"""`specialist-app attachment add | get`: attach a file to a record, fetch an attachment's bytes from the server."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specialist_app import credentials, paths
from specialist_app.cli.common import (
    EXIT_FAILED,
    EXIT_LOGIN,
    EXIT_OK,
    entity_label,
    error,
    exit_code,
    open_current_store,
    print_json,
    signed_in,
)
from specialist_app.services import sync_ops
from specialist_app.services.attachments import AttachmentRefused, add_attachment, attachment_of_blob, checked_type
from specialist_app.services.records import RecordInvalid
from specialist_app.store.db import open_store
from specialist_app.sync_engine.blobs import fetch_blob
from specialist_app.sync_engine.errors import SyncError
from specialist_app.sync_engine.transport import Transport
from sync.codes import ATTACHMENT_OWNER
from sync.file_types import local_name
from sync.messages import fill

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers


_TEXTS: dict[str, tuple[str, str]] = {
    "added": (
        "已添加附件 {filename}（{size} 字节）到{owner} {owner_id}，附件 {id}，sha256 {sha256}；下次同步时上传",
        "Attached {filename} ({size} bytes) to {owner} {owner_id}: attachment {id}, sha256 {sha256};"
        " uploaded at the next sync",
    ),
}


def _t(key: str, lang: str, **params: Any) -> str:
    return fill(_TEXTS, key, lang, **params)


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("attachment", parents=[common], help="attach files to records, fetch attached files")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    a = actions.add_parser("add", parents=[common], help="copy a file into the store and attach it to a record")
    a.add_argument("owner_entity", metavar="OWNER_ENTITY", choices=ATTACHMENT_OWNER.values(),
                   help="kind of record: " + ", ".join(ATTACHMENT_OWNER.values()))
    a.add_argument("owner_id", metavar="OWNER_ID", help="id of the record")
    a.add_argument("file", metavar="FILE", type=Path, help="the photo or document")
    a.add_argument("--caption", help="a short caption")
    a.add_argument("--json", action="store_true", help="print JSON")
    a.set_defaults(run=run_add)

    g = actions.add_parser("get", parents=[common], help="the local file of an attachment, downloaded if missing")
    g.add_argument("sha256", metavar="SHA256")
    g.add_argument("--output", type=Path, help="also copy the file here (a folder: named with the checked type's"
                   " extension)")
    g.add_argument("--max-attempts", type=int, default=5, help="tries per request before giving up (default 5)")
    g.add_argument("--json", action="store_true", help="print JSON")
    g.set_defaults(run=run_get)


def run_add(args: argparse.Namespace) -> int:
    lang: str = args.lang
    store = open_current_store(args.data_dir)
    try:
        row_id, info = add_attachment(store, args.owner_entity, args.owner_id, args.file, caption=args.caption)
    except (AttachmentRefused, RecordInvalid) as err:
        error(err.message(lang))
        return EXIT_FAILED
    finally:
        store.close()
    if args.json:
        print_json({"id": row_id, **info.record(), "owner_entity": args.owner_entity, "owner_id": args.owner_id})
    else:
        print(_t("added", lang, **info.record(), owner=entity_label(args.owner_entity, lang), owner_id=args.owner_id,
                 id=row_id))
    return EXIT_OK


def run_get(args: argparse.Namespace) -> int:
    lang: str = args.lang
    found = signed_in(args)
    if found is None:
        return EXIT_LOGIN
    base, account = found
    store = open_store(paths.store_path(base, account.profile))
    try:
        device = sync_ops.device_id(store)
        transport = Transport(account.server_url, auth=credentials.Credentials(account, device),
                              max_attempts=max(1, args.max_attempts))
        try:
            path = fetch_blob(store, transport, str(args.sha256).lower())
        except SyncError as err:
            error(err.message(lang))
            return exit_code(err.code)
        finally:
            transport.close()
        row = attachment_of_blob(store, path.name)
    finally:
        store.close()
    filename, declared = row or (path.name, "")
    try:  # the bytes must be what the attachment says they are before anyone opens a copy
        kind = checked_type(path, filename, declared)
    except AttachmentRefused as err:
        error(err.message(lang))
        return EXIT_FAILED
    output = args.output
    if output is not None:
        if output.is_dir():  # named from the checked type, never the sender's extension
            output = output / local_name(filename, kind.mime)
        shutil.copyfile(path, output)
    if args.json:
        print_json({"sha256": args.sha256, "path": str(path), "size": path.stat().st_size, "mime_type": kind.mime,
                    "viewable": kind.viewable, "output": str(output) if output else None})
    else:
        print(path)
    return EXIT_OK
