"""`specialist-app catalog-snapshot publish`: build the public catalog's snapshot and upload it (administrators)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from specialist_app import credentials, paths
from specialist_app.cli.common import EXIT_LOGIN, EXIT_OK, device_id_of, error, exit_code, print_json, signed_in
from specialist_app.cli.texts import text
from specialist_app.sync_engine.errors import SyncError
from specialist_app.sync_engine.snapshot_publish import publish
from specialist_app.sync_engine.transport import Transport
from sync.digests import ALL_PROVINCES, valid_province

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("catalog-snapshot", parents=[common],
                              help="catalog snapshots that let a new installation start in seconds (administrators)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("publish", parents=[common],
                           help="pull the catalog as specialists see it, index it and upload it as the new snapshot")
    a.add_argument("--work-dir", type=Path, default=None,
                   help="where to build it (default: the data directory); needs ~3x the catalog's size free")
    a.add_argument("--province", type=_province, default=None, metavar="NN",
                   help="a digest snapshot for specialists of this home province (2 digits, 22 for Jilin): its"
                   " catalog in full and the rest of the nation as digests (default: the whole public catalog)")
    a.add_argument("--ca-bundle", help="extra CA certificates (PEM) to trust")
    a.add_argument("--json", action="store_true", help="print JSON")
    a.set_defaults(run=run_publish)


def _province(value: str) -> str:
    if value == ALL_PROVINCES or not valid_province(value):
        raise argparse.ArgumentTypeError("a 2-digit province code, e.g. 22")
    return value


def run_publish(args: argparse.Namespace) -> int:
    lang: str = args.lang
    found = signed_in(args)
    if found is None:
        return EXIT_LOGIN
    base, account = found
    device = device_id_of(paths.store_path(base, account.profile))
    transport = Transport(account.server_url, auth=credentials.Credentials(account, device), ca_bundle=args.ca_bundle)
    try:
        info = publish(transport, device, args.work_dir or base, province=args.province)
    except SyncError as err:
        error(err.message(lang))
        return exit_code(err.code)
    finally:
        transport.close()
    if args.json:
        print_json(info)
    else:
        print(text("snapshot_published", lang, cursor=info.get("cursor"), mb=int(info.get("size") or 0) / 1e6,
                 sha=str(info.get("sha256"))[:12], format=info.get("format")))
    return EXIT_OK
