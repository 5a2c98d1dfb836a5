"""The `market-server` command: serve, migrate, users, assignments, reviews, catalog import, demo data."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from sqlalchemy import Engine

from market_server import accounts, catalog_import
from market_server.db import make_engine, migrate
from market_server.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        result: int = args.run(settings, args)
        return result
    except accounts.AccountError as err:
        print(f"market-server: {err}", file=sys.stderr)
        return 1
    finally:
        # Close the command's pooled connections (PostgreSQL would otherwise keep them until garbage collection).
        while _engines:
            _engines.pop().dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="market-server", description="Technology market central server")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes sharing the port (about one per core; docs/deploy.md section 8)")
    serve.set_defaults(run=_serve)

    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(run=_migrate)
    sub.add_parser("gc", help="delete expired unfinished uploads and attachment files no record uses").set_defaults(
        run=_gc)

    user = sub.add_parser("user", help="manage accounts").add_subparsers(required=True, metavar="ACTION")
    add = user.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--role", choices=accounts.ROLES, required=True)
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=_user_add)
    disable = user.add_parser("disable", help="lock a user out at once")
    disable.add_argument("name")
    disable.set_defaults(run=_user_disable)
    province = user.add_parser("province", help="the province whose catalog a user holds in full (digests beyond)")
    province.add_argument("name")
    province.add_argument("province", help="2-digit region prefix (22), * for the whole nation, - for the market's")
    province.set_defaults(run=_user_province)

    devices = sub.add_parser("device", help="a user's signed-in devices").add_subparsers(
        required=True, metavar="ACTION"
    )
    listing = devices.add_parser("list", help="list a user's devices")
    listing.add_argument("name")
    listing.set_defaults(run=_device_list)
    revoke = devices.add_parser("revoke", help="sign one device out at once (a lost laptop)")
    revoke.add_argument("name")
    revoke.add_argument("device_id")
    revoke.set_defaults(run=_device_revoke)

    for name, run in (("assign", _assign), ("unassign", _unassign)):
        cmd = sub.add_parser(name, help=f"{name} institutions (id or exact name) to a user")
        cmd.add_argument("name")
        cmd.add_argument("institutions", nargs="+", metavar="INSTITUTION")
        cmd.set_defaults(run=run)

    seed = sub.add_parser("seed-demo", help="load demo data, demo users and their assignments")
    seed.add_argument("--scale", choices=("small", "province", "national"), default="small")
    seed.add_argument("--seed", type=int, default=2026)
    seed.add_argument("--demo-passwords", action="store_true",
                      help="use the documented demo passwords (training, tests) instead of new random ones")
    seed.add_argument("--show-passwords", action="store_true", help="with --demo-passwords: print them too")
    seed.add_argument("--force", action="store_true", help="seed even a database holding non-demo users")
    seed.set_defaults(run=_seed_demo)

    review = sub.add_parser("review", help="review institutions proposed by specialists").add_subparsers(
        required=True, metavar="ACTION"
    )
    review.add_parser("list", help="list institutions waiting for review").set_defaults(run=_review_list)
    for action, help_text in (("approve", "approve: the institution joins the catalog"),
                              ("reject", "reject: the institution stays out of the catalog")):
        cmd = review.add_parser(action, help=help_text)
        cmd.add_argument("institutions", nargs="+", metavar="INSTITUTION", help="id or exact name")
        if action == "reject":
            cmd.add_argument("--reason", help="why (reaches the proposer's app as the review note)")
        cmd.set_defaults(run=_review_decide, status="active" if action == "approve" else "rejected")

    dupes = review.add_parser(
        "duplicates", help="pushed records that look like ones the market holds: list them, or decide one",
        description="Without an option: list the open flags. A decision never deletes or moves a record: "
                    "--keep-both clears the flag; --mark-duplicate marks the pushed record as a duplicate of the "
                    "other (it stays, syncs as before, and catalog lists leave it out).")
    decision = dupes.add_mutually_exclusive_group()
    decision.add_argument("--keep-both", type=int, metavar="FLAG", help="both records stay as they are")
    decision.add_argument("--mark-duplicate", type=int, metavar="FLAG",
                          help="the pushed record repeats the other: the catalog hides it")
    dupes.set_defaults(run=_review_duplicates)

    catalog_import.add_parser(sub)
    return parser


_engines: list[Engine] = []


def _engine(settings: Settings) -> Engine:
    engine = make_engine(settings)
    _engines.append(engine)
    return engine


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from market_server.serve import run

    if args.workers < 1:
        raise SystemExit("market-server serve: --workers must be at least 1")
    run(settings, args.host, args.port, args.workers)
    return 0


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    migrate(_engine(settings))
    print("database is up to date")
    return 0


def _gc(settings: Settings, _args: argparse.Namespace) -> int:
    from market_server.blob_gc import collect
    from market_server.blobs import BlobStore

    report = collect(_engine(settings), BlobStore(settings.blob_dir), settings)
    print(report.line())
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat: ") != first:
        raise accounts.AccountError("the passwords differ")
    return first


def _user_add(settings: Settings, args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    with _engine(settings).begin() as conn:
        user = accounts.add_user(conn, args.name, args.role, password, args.display_name)
    print(f"user {user.username} ({user.role}) created")
    return 0


def _user_disable(settings: Settings, args: argparse.Namespace) -> int:
    with _engine(settings).begin() as conn:
        accounts.disable_user(conn, args.name)
    print(f"user {args.name} disabled; their tokens no longer work")
    return 0


def _user_province(settings: Settings, args: argparse.Namespace) -> int:
    chosen = None if args.province == "-" else args.province
    with _engine(settings).begin() as conn:
        accounts.set_home_province(conn, args.name, chosen)
    print(f"user {args.name}: home province {chosen or 'of the market (MARKET_HOME_PROVINCE)'}")
    return 0


def _device_list(settings: Settings, args: argparse.Namespace) -> int:
    with _engine(settings).begin() as conn:
        found = accounts.list_devices(conn, args.name)
    if not found:
        print(f"{args.name} has not signed in on any device")
    for d in found:
        state = "revoked" if d.revoked else "active"
        print(f"{d.device_id}  {d.name or '-'}  {state}  signed in {d.created_at}  last seen {d.last_seen_at or '-'}")
    return 0


def _device_revoke(settings: Settings, args: argparse.Namespace) -> int:
    with _engine(settings).begin() as conn:
        accounts.revoke_device(conn, args.name, args.device_id)
    print(f"device {args.device_id} of {args.name} revoked; it must sign in again")
    return 0


def _assign(settings: Settings, args: argparse.Namespace) -> int:
    with _engine(settings).begin() as conn:
        added = accounts.assign(conn, args.name, args.institutions)
    print(f"{args.name}: {len(added)} institution(s) assigned" + "".join(f"\n  {i}" for i in added))
    return 0


def _unassign(settings: Settings, args: argparse.Namespace) -> int:
    with _engine(settings).begin() as conn:
        removed = accounts.unassign(conn, args.name, args.institutions)
    print(f"{args.name}: {len(removed)} institution(s) unassigned" + "".join(f"\n  {i}" for i in removed))
    return 0


def _review_list(settings: Settings, _args: argparse.Namespace) -> int:
    from market_server import review

    with _engine(settings).begin() as conn:
        proposals = review.pending(conn)
    if not proposals:
        print("no institutions are waiting for review")
    for p in proposals:
        print(f"{p.id}  {p.name}  type={p.org_type or '-'}  region={p.region_code or '-'}"
              f"  proposed by {p.proposed_by or '-'} at {p.created_at or '-'}")
    return 0


def _review_decide(settings: Settings, args: argparse.Namespace) -> int:
    from market_server import review

    with _engine(settings).begin() as conn:
        decided = [review.set_status(conn, key, args.status, note=getattr(args, "reason", None))
                   for key in args.institutions]
    word = "approved" if args.status == "active" else "rejected"
    print(f"{len(decided)} institution(s) {word}" + "".join(f"\n  {i}" for i in decided))
    return 0


def _review_duplicates(settings: Settings, args: argparse.Namespace) -> int:
    from market_server import audit, duplicates
    from market_server.review import REVIEWER

    with _engine(settings).begin() as conn:
        if args.keep_both is None and args.mark_duplicate is None:
            flags = duplicates.open_flags(conn)
            if not flags:
                print("no likely duplicates are waiting for a decision")
            for f in flags:
                print(f"#{f.id}  {f.entity}  {f.row_name} ({f.row_id})\n"
                      f"      looks like {f.other_name} ({f.other_id})  [{f.reason} {f.score:.2f}]"
                      f"  pushed by {f.flagged_by or '-'} at {f.flagged_at}")
            return 0
        try:
            if args.keep_both is not None:
                flag = duplicates.decide(conn, args.keep_both, "keep", by=REVIEWER)
                word, action = "kept both", "duplicate.keep"
            else:
                flag = duplicates.decide(conn, args.mark_duplicate, "duplicate", by=REVIEWER)
                word, action = "marked as a duplicate", "duplicate.confirm"
        except duplicates.FlagError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        audit.record(conn, REVIEWER, action, flag.row_id, {  # as the console's decision is (console/duplicates_page)
            "flag": flag.id, "entity": flag.entity, "name": flag.row_name, "other": flag.other_id,
            "other_name": flag.other_name})
    print(f"#{flag.id} {word}: {flag.row_name} / {flag.other_name}")
    return 0


def _seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from market_server.demo import DemoRefused, seed_demo

    engine = _engine(settings)
    migrate(engine)
    try:
        report = seed_demo(engine, args.scale, args.seed, demo_passwords=args.demo_passwords, force=args.force)
    except DemoRefused as refused:
        print(f"refused: this database holds users who are not demo users ({len(refused.others)}: "
              f"{', '.join(refused.others[:5])}{' …' if len(refused.others) > 5 else ''}); demo accounts have "
              "known names and an administrator among them. Use --force only if that is really wanted.",
              file=sys.stderr)
        return 1
    print(f"loaded {report.rows} rows (scale {args.scale}, seed {args.seed})")
    show = args.show_passwords or not args.demo_passwords  # random passwords are known only from here
    for user in report.users:
        secret = ""
        if user.username not in report.created:
            secret = "  (existed: password unchanged)"
        elif show:
            secret = f"  password: {user.password}"
        print(f"  {user.username:<16} {user.role:<10} {len(user.institution_ids):>4} institution(s){secret}")
    if args.demo_passwords and not args.show_passwords:
        print("(the documented demo passwords; printed with --show-passwords)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
