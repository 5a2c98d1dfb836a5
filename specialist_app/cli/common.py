"""What every subcommand shares: opening the current profile's store, printing in the user's language."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specialist_app import credentials, paths
from specialist_app.cli.texts import text
from specialist_app.services import sync_ops
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine.errors import SyncError
from specialist_app.sync_engine.server_url import check_server_url, warning_text
from sync.entities import ENTITIES
from sync.messages import in_language, render

LANGS = ("zh_CN", "en")
# Exit codes of the commands that talk to the server (README: sync).
EXIT_OK, EXIT_FAILED, EXIT_LOGIN, EXIT_OFFLINE = 0, 1, 2, 3
EXIT_CANCELLED = 130  # Ctrl-C: what a shell reports for an interrupted command
if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def open_current_store(data_dir: str | None) -> Store:
    """The store of the current profile under the data directory (created on first use)."""
    base = paths.data_dir(data_dir)
    return open_store(paths.store_path(base, paths.current_profile(base)))


def device_id_of(store_path: Path) -> str:
    """The device id kept in a profile's store (the store is created on first use, and closed again)."""
    store = open_store(store_path)
    try:
        return sync_ops.device_id(store)
    finally:
        store.close()


def server_refusal(url: str, lang: str) -> str | None:
    """The message refusing `url` (plain http to a host not on this computer), else None; a lab host allowed over
    http prints its warning on stderr, every time."""
    try:
        if check_server_url(url) is not None:
            error(warning_text(url, lang))
    except SyncError as exc:
        return exc.message(lang)
    return None


def signed_in(args: argparse.Namespace) -> tuple[Path, credentials.Account] | None:
    """The data directory and the signed-in account; None (and a line saying so) when nobody is signed in. A lab
    host's warning is printed; a refused address fails at the first request."""
    base = paths.data_dir(args.data_dir)
    account = credentials.current_account(base)
    if account is None:
        error(text("not_logged_in", args.lang))
        return None
    server_refusal(account.server_url, args.lang)
    return base, account


def exit_code(error_code: str | None) -> int:
    """A server command's exit code for a sync error code (None: success)."""
    if error_code is None:
        return EXIT_OK
    codes = {"login_required": EXIT_LOGIN, "network_unavailable": EXIT_OFFLINE, "sync_cancelled": EXIT_CANCELLED}
    return codes.get(error_code, EXIT_FAILED)


def entity_label(name: str, lang: str) -> str:
    e = ENTITIES.get(name)
    if e is None:
        return name
    return in_language(e, lang)


def counts_text(counts: dict[str, int], lang: str) -> str:
    sep = render("enum_sep", lang)
    return sep.join(f"{entity_label(name, lang)} {n}" for name, n in counts.items())


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def error(message: str) -> None:
    print(message, file=sys.stderr)
