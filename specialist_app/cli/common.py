"""What every subcommand shares: opening the current profile's store, printing in the user's language."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from specialist_app import paths
from specialist_app.store.db import Store, open_store
from sync.entities import ENTITIES

LANGS = ("zh_CN", "en")
if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def open_current_store(data_dir: str | None) -> Store:
    """The store of the current profile under the data directory (created on first use)."""
    base = paths.data_dir(data_dir)
    return open_store(paths.store_path(base, paths.current_profile(base)))


def entity_label(name: str, lang: str) -> str:
    e = ENTITIES.get(name)
    if e is None:
        return name
    return e.zh if lang.startswith("zh") else e.en


def counts_text(counts: dict[str, int], lang: str) -> str:
    sep = "、" if lang.startswith("zh") else ", "
    return sep.join(f"{entity_label(name, lang)} {n}" for name, n in counts.items())


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def error(message: str) -> None:
    print(message, file=sys.stderr)
