"""`specialist-app login | logout | sync | conflicts | resolve`: signing in and syncing with the market server."""

from __future__ import annotations

import argparse
import getpass
import json
import platform
import sys
import threading
from typing import TYPE_CHECKING, Any

from specialist_app import credentials, paths
from specialist_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    device_id_of,
    error,
    exit_code,
    print_json,
    server_refusal,
)
from specialist_app.cli.interrupt import cancel_on_interrupt
from specialist_app.cli.progress import ProgressPrinter
from specialist_app.cli.texts import text
from specialist_app.services import sync_ops
from specialist_app.services.conflicts import ConflictNotFound, list_conflicts, list_rejections, resolve
from specialist_app.services.refusals import rejection_text
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine.catalog_mode import CATALOG_MODES
from specialist_app.sync_engine.engine import PULL_LIMIT, SyncEngine
from specialist_app.sync_engine.errors import LoginRequired, SyncError
from specialist_app.sync_engine.server_url import InsecureServer
from specialist_app.sync_engine.transport import Transport
from sync.messages import fill, render

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers


_TEXTS: dict[str, tuple[str, str]] = {
    "logged_in": ("已登录 {server}，用户 {user}", "Signed in to {server} as {user}"),
    "logged_out": ("已退出登录（本机数据已保留）", "Signed out (local data kept)"),
    "logged_out_forgot": ("已退出登录并删除本机数据", "Signed out and local data erased"),
    "synced": (
        "同步完成：上传 {pushed}，下载 {pulled}，冲突 {conflicts}，被拒绝 {rejected}",
        "Sync done: {pushed} sent, {pulled} received, {conflicts} conflicts, {rejected} rejected",
    ),
    "snapshot": ("已安装大市场目录快照（版本 {cursor}），其后的更新已下载", "Installed the market's catalog snapshot"
                 " (version {cursor}) and received the changes since"),
    "files_left": ("{count} 个附件未能上传，已保留在本机，下次同步时重试（原因见 specialist-app status）",
                   "{count} attachment file(s) could not be uploaded; kept on this computer and tried again at the"
                   " next sync (specialist-app status says why)"),
    "no_conflicts": ("没有未解决的冲突", "No open conflicts"),
    "resolved": (
        "冲突 {id} 已解决（保留{keep}），下次同步时提交",
        "Conflict {id} resolved ({keep} kept); sent at next sync",
    ),
    "mine": ("我的版本", "mine"),
    "theirs": ("服务器版本", "theirs"),
    "password": ("密码：", "Password: "),
}


def _t(key: str, lang: str, **params: Any) -> str:
    return fill(_TEXTS, key, lang, **params)


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("login", parents=[common], help="sign in to the market server")
    p.add_argument("--server", required=True, help="server address, e.g. https://market.example.cn")
    p.add_argument("--user", required=True, help="user name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--ca-bundle", help="extra CA certificates (PEM) to trust; verification always stays on")
    p.set_defaults(run=run_login)

    p = subparsers.add_parser("logout", parents=[common], help="sign out (local data is kept)")
    p.add_argument("--forget-data", action="store_true", help="also erase this profile's local data")
    p.set_defaults(run=run_logout)

    p = subparsers.add_parser("sync", parents=[common], help="send local changes and receive the server's")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--ca-bundle", help="extra CA certificates (PEM) to trust")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--max-attempts", type=int, default=5, help="tries per request before giving up (default 5)")
    p.add_argument("--page-size", type=int, default=PULL_LIMIT, help=argparse.SUPPRESS)
    p.add_argument("--no-snapshot", action="store_true",
                   help="on a first sync, pull the catalog page by page even if the server offers a snapshot"
                   " (same as --catalog pages)")
    p.add_argument("--catalog", choices=CATALOG_MODES, default="auto",
                   help="how a first sync brings the catalog: auto (the snapshot unless the link is slow enough"
                   " that pages end sooner), snapshot, pages (default auto)")
    p.set_defaults(run=run_sync)

    p = subparsers.add_parser("conflicts", parents=[common], help="list open conflicts and rejected changes")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_conflicts)

    p = subparsers.add_parser("resolve", parents=[common], help="resolve a conflict")
    p.add_argument("id", help="conflict id (see `conflicts`)")
    p.add_argument("--keep", choices=("mine", "theirs"), required=True)
    p.set_defaults(run=run_resolve)


def _store(args: argparse.Namespace) -> Store:
    base = paths.data_dir(args.data_dir)
    return open_store(paths.store_path(base, paths.current_profile(base)))


def _device_id(store: Store) -> str:
    return sync_ops.device_id(store)


def run_login(args: argparse.Namespace) -> int:
    lang: str = args.lang
    server = str(args.server).strip().rstrip("/")
    refusal = server_refusal(server, lang)  # before the password is asked for
    if refusal is not None:
        error(refusal)
        return EXIT_FAILED
    read = sys.stdin.readline if args.password_stdin else lambda: getpass.getpass(_t("password", lang))
    password = read().rstrip("\r\n")
    base = paths.data_dir(args.data_dir)
    device = device_id_of(paths.store_path(base, paths.profile_key(server, args.user)))
    transport = Transport(server, ca_bundle=args.ca_bundle, max_attempts=2)
    try:
        credentials.login(base, server, args.user, password, device_id=device, device_name=platform.node(),
                          transport=transport)
    except SyncError as err:
        return _fail(err, lang)
    finally:
        transport.close()
    print(_t("logged_in", lang, server=server, user=args.user))
    return EXIT_OK


def run_logout(args: argparse.Namespace) -> int:
    lang: str = args.lang
    base = paths.data_dir(args.data_dir)
    account = credentials.current_account(base)
    if account is not None:
        server_refusal(account.server_url, lang)
    transport = Transport(account.server_url, max_attempts=1) if account else None
    try:
        credentials.logout(base, forget_data=args.forget_data, transport=transport)
    finally:
        if transport is not None:
            transport.close()
    print(_t("logged_out_forgot" if args.forget_data else "logged_out", lang))
    return EXIT_OK


def run_sync(args: argparse.Namespace) -> int:
    lang: str = args.lang
    base = paths.data_dir(args.data_dir)
    account = credentials.current_account(base)
    if account is None:
        return _fail(LoginRequired(), lang, json_out=args.json, message=text("not_logged_in", lang))
    if (refusal := server_refusal(account.server_url, lang)) is not None:
        return _fail(InsecureServer(account.server_url), lang, json_out=args.json, message=refusal)
    store = open_store(paths.store_path(base, account.profile))
    try:
        auth = credentials.Credentials(account, _device_id(store))
        transport = Transport(account.server_url, auth=auth, ca_bundle=args.ca_bundle,
                              max_attempts=max(1, args.max_attempts))
        try:
            engine = SyncEngine(store, transport, pull_limit=max(1, args.page_size),
                                catalog="pages" if args.no_snapshot else args.catalog)
            with cancel_on_interrupt(threading.Event()) as cancel:
                report = engine.run(None if args.json or args.quiet else ProgressPrinter(lang), cancel)
        finally:
            transport.close()
    finally:
        store.close()
    if args.json:
        print_json(report.as_dict(lang))
    elif report.ok:
        if report.snapshot_cursor is not None:
            print(_t("snapshot", lang, cursor=report.snapshot_cursor))
        print(_t("synced", lang, pushed=report.pushed, pulled=report.pulled, conflicts=report.conflicts,
                 rejected=report.rejected))
        if report.blobs_failed:
            print(_t("files_left", lang, count=report.blobs_failed))
    else:
        error(report.message(lang) or "")
    return exit_code(report.error_code)


def run_conflicts(args: argparse.Namespace) -> int:
    lang: str = args.lang
    store = _store(args)
    try:
        with ReadUnitOfWork(store) as uow:
            conflicts = list_conflicts(uow.conn)
            rejections = list_rejections(uow.conn)
    finally:
        store.close()
    if args.json:
        print_json({"conflicts": conflicts, "rejections": rejections})
        return EXIT_OK
    if not conflicts:
        print(_t("no_conflicts", lang))
    for c in conflicts:
        values = {k: json.dumps(c[k], ensure_ascii=False) for k in ("base", "theirs", "mine")}
        print(f"{c['id']}  {c['entity']} {c['row_id']}  {c['field']}: base={values['base']}"
              f" theirs={values['theirs']} ({c['theirs_by'] or '?'}) mine={values['mine']}")
    for r in rejections:
        print(f"#{r['seq']}  {r['entity']} {r['row_id']}  {rejection_text(r, lang)}")
    return EXIT_OK


def run_resolve(args: argparse.Namespace) -> int:
    lang: str = args.lang
    store = _store(args)
    try:
        resolve(store, args.id, args.keep)
    except ConflictNotFound as err:
        error(render(err.code, lang, **err.params))
        return EXIT_FAILED
    finally:
        store.close()
    print(_t("resolved", lang, id=args.id, keep=_t(args.keep, lang)))
    return EXIT_OK


def _fail(err: SyncError, lang: str, *, json_out: bool = False, message: str | None = None) -> int:
    message = message or err.message(lang)
    if json_out:
        print_json({"ok": False, "error_code": err.code, "message": message})
    else:
        error(message)
    return exit_code(err.code)
