"""Fills a local store with the small demo data set (screenshots, GUI tests; `make demo` uses the server instead)."""

from __future__ import annotations

from pathlib import Path

from specialist_app.services.demo_data import add_demo_records
from specialist_app.store.db import open_store


def load_demo(store_file: Path, scale: str = "small", username: str = "demo") -> dict[str, int]:
    """Create the demo records as local (pending) changes, and assign the demo user's institutions."""
    store = open_store(store_file)
    try:
        return add_demo_records(store, scale, username)
    finally:
        store.close()
