"""An export of a store synced from a real server re-imports into an empty data folder with the same rows (#13.16).

A synced store is partial: catalog rows name visits and pending institutions it never receives, and other people's
confidential fields arrive masked. The export keeps those references as ids and the masks as masks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from specialist_app.store.db import open_store
from specialist_app.transfer.exporter import read_records
from specialist_app.transfer.writers import export_targets
from sync.demo import demo_users
from sync.entities import ENTITIES
from sync.tabular.columns import MASKED
from tests.e2e.conftest import Client, Market

SEED = 2026


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory, market: Market) -> dict[str, Client]:
    """A specialist (a demo specialist's assignments) and an administrator, each with a synced store."""
    market.admin("seed-demo", "--scale", "small", "--seed", str(SEED))
    specialist = next(u for u in demo_users("small", seed=SEED) if u.role == "specialist")
    market.add_user("rt-spec")
    market.admin("assign", "rt-spec", *specialist.institution_ids)
    market.add_user("rt-admin", "admin")
    root = tmp_path_factory.mktemp("roundtrip")
    clients = {}
    for name in ("rt-spec", "rt-admin"):
        client = Client(root / name, root / f"{name}.keyring.json")
        client.login(market.url, name)
        assert client.sync()["exit"] == 0
        clients[name] = client
    return clients


def comparable(store_path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """entity -> id -> the values an export carries (the id, every client-set field, the masked fields)."""
    store = open_store(store_path)
    try:
        data = read_records(store)
    finally:
        store.close()
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name, rows in data.items():
        keys = [*export_targets(ENTITIES[name]), *([MASKED] if rows and MASKED in rows[0] else [])]
        out[name] = {r["id"]: {k: r[k] for k in keys} for r in rows}
    return out


@pytest.mark.parametrize("user", ["rt-spec", "rt-admin"])
@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_an_export_of_a_synced_store_reimports_with_the_same_rows(
    synced: dict[str, Client], tmp_path: Path, user: str, suffix: str
) -> None:
    source = synced[user]
    original = comparable(source.store_path)
    if user == "rt-spec":  # what made the import fail before: masked values, rows this store never received
        achievements = original["achievement"].values()
        assert any(r[MASKED] and r["price_mode"] == "fixed" and r["price"] is None for r in achievements)
        visits = set(original["visit"])
        assert any(r["source_visit_id"] and r["source_visit_id"] not in visits for r in achievements)
    export = tmp_path / f"export{suffix}"
    done = source.cli("export", str(export))
    assert done.returncode == 0, done.stderr

    fresh = Client(tmp_path / "fresh", tmp_path / "fresh.keyring.json")
    done = fresh.cli("import", str(export), "--json")
    report = json.loads(done.stdout)
    assert (done.returncode, report["errors"]) == (0, []), done.stderr
    assert comparable(fresh.store_path) == original
