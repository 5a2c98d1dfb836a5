"""`specialist-app digest show ID`: a catalog record outside the home province, held as a digest; its full text is
read from the server (and kept) when signed in and online."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from specialist_app import credentials, paths
from specialist_app.cli.common import EXIT_FAILED, EXIT_OFFLINE, EXIT_OK, entity_label, error, print_json
from specialist_app.services import digests, sync_ops
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store, open_store
from specialist_app.store.digests import DigestRow
from specialist_app.sync_engine.digest_pull import fetch_record
from specialist_app.sync_engine.errors import SyncError
from specialist_app.sync_engine.transport import Transport
from sync.messages import choose, fill
from sync.regions import PROVINCES

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers

_TEXTS: dict[str, tuple[str, str]] = {
    "no_digest": ("本机没有这条摘要：{id}", "No digest {id} in this store"),
    "header": ("{entity}（摘要，{province}）：{title}", "{entity} (digest, {province}): {title}"),
    "offline": ("这是外省记录的摘要；全文需联网后获取。", "This is a digest of a record outside your province;"
                " the full text comes when you are online."),
    "full": ("全文（{at} 从服务器获取）：", "Full text (fetched from the server at {at}):"),
}


def _t(key: str, lang: str, **params: Any) -> str:
    return fill(_TEXTS, key, lang, **params)


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("digest", parents=[common], help="records outside the home province, held as digests")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = actions.add_parser("show", parents=[common], help="a digest, with its full text fetched from the server")
    s.add_argument("id", metavar="ID")
    s.add_argument("--offline", action="store_true", help="do not ask the server; show what the store holds")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(run=run_show)


def run_show(args: argparse.Namespace) -> int:
    lang: str = args.lang
    base = paths.data_dir(args.data_dir)
    account = credentials.current_account(base)
    store = open_store(paths.store_path(base, paths.current_profile(base)))
    try:
        row = _load(store, args.id)
        if row is None:
            error(_t("no_digest", lang, id=args.id))
            return EXIT_FAILED
        if row.full is None and account is not None and not args.offline:
            transport = Transport(account.server_url, auth=credentials.Credentials(account, sync_ops.device_id(store)))
            try:
                fetch_record(store, transport, row.entity, row.id)
            except SyncError as err:  # offline, or the server refused: the digest is still shown
                error(err.message(lang))
            finally:
                transport.close()
            row = _load(store, args.id) or row
    finally:
        store.close()
    _print(row, lang, args.json)
    return EXIT_OK if row.full is not None else EXIT_OFFLINE


def _load(store: Store, row_id: str) -> DigestRow | None:
    with ReadUnitOfWork(store) as read:
        return digests.load(read, row_id)


def _print(row: DigestRow, lang: str, as_json: bool) -> None:
    province = PROVINCES.get(row.province or "", ("", ""))
    if as_json:
        print_json({"id": row.id, "entity": row.entity, "province": row.province, "digest": row.fields,
                    "institution_name": row.institution_name, "full": digests.full_fields(row) if row.full else None,
                    "children": (row.full or {}).get("children", []), "fetched_at": row.fetched_at})
        return
    print(_t("header", lang, entity=entity_label(row.entity, lang), title=row.title,
             province=choose(lang, *province) if province[0] else "—"))
    print(_t("full", lang, at=row.fetched_at) if row.full else _t("offline", lang))
    for name, value in digests.full_fields(row).items():
        if value not in (None, "", []):
            print(f"  {name}: {value}")
