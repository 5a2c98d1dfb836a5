"""Entry point of the `specialist-app` command: parse arguments, run a subcommand, turn known errors into exit 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

# The subcommands (and SQLAlchemy with them) are imported when the parser is built, not at module import: a
# sync's tokenizing process is started with "spawn", which re-imports this entry module in the new process.

EXIT_OK, EXIT_BAD_ROWS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    from specialist_app.cli import (
        cmd_attachment,
        cmd_digest,
        cmd_match,
        cmd_record,
        cmd_snapshot,
        cmd_status,
        cmd_sync,
        cmd_transfer,
    )
    from specialist_app.cli.common import LANGS

    # Options valid before or after the subcommand; SUPPRESS keeps a subcommand from resetting the top-level value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="data directory (default: per-user app data)")
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help="language of messages and headers")
    parser = argparse.ArgumentParser(prog="specialist-app", description="技术专员客户端 / Specialist client")
    parser.add_argument("--data-dir", default=None, help="data directory (default: per-user app data)")
    parser.add_argument("--lang", choices=LANGS, default="zh_CN", help="language of messages and headers")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd_transfer.add_parsers(subparsers, common)
    cmd_status.add_parser(subparsers, common)
    cmd_sync.register(subparsers, common)
    cmd_attachment.register(subparsers, common)
    cmd_record.register(subparsers, common)
    cmd_snapshot.register(subparsers, common)
    cmd_match.register(subparsers, common)
    cmd_digest.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from specialist_app.cli.common import error
    from specialist_app.store.db import StoreError
    from sync.tabular.messages import TransferError

    _safe_console()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse printed the usage error (or --help)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    lang: str = args.lang
    try:
        code: int = args.run(args)
    except (StoreError, TransferError) as err:
        error(err.message(lang))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`specialist-app export … | head`): not our failure, and nothing to report.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    return code


EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush does not raise on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _safe_console() -> None:
    """A console that cannot show a character prints a replacement instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


if __name__ == "__main__":
    sys.exit(main())
