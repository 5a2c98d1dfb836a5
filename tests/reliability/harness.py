"""In-process devices (store + sync engine), a ledger of every user edit, and the no-loss / convergence checks."""

from __future__ import annotations

import json
import os
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text

from specialist_app.services import records
from specialist_app.services.conflicts import list_conflicts, list_rejections, resolve
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import endpoints
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport

EDITABLE = ("name", "position", "notes")  # contact fields the random editor changes (free text, unique values)
# bench/soak.py raises this: every count in tests/reliability is multiplied by it.
SCALE = max(1, int(os.environ.get("RELIABILITY_SCALE", "1")))
FIGURES_FILE = os.environ.get("RELIABILITY_FIGURES")
# bench/soak.py --hours runs the folder again and again with a new one: every seeded choice changes with it.
SEED = int(os.environ.get("RELIABILITY_SEED", "0"))


def seeded(base: int) -> int:
    """A test's fixed seed `base`, moved by $RELIABILITY_SEED (0: the seed itself, as in `make test`)."""
    return base + 1_000_003 * SEED


def record_figures(name: str, **figures: Any) -> None:
    """Append one test's figures (faults injected, rounds, crashes...) to $RELIABILITY_FIGURES, if set."""
    if FIGURES_FILE:
        with open(FIGURES_FILE, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": name, "scale": SCALE, "run_seed": SEED, **figures}, ensure_ascii=False)
                     + "\n")


class TokenAuth:
    """TokenSource for the engine: signs in once (directly, not through a faulty link), refreshes on 401."""

    def __init__(self, server_url: str, username: str, password: str, device_id: str) -> None:
        answer = requests.post(server_url + endpoints.LOGIN, json={
            "username": username, "password": password, "device_id": device_id, "device_name": "reliability",
        }, timeout=30)
        answer.raise_for_status()
        body = answer.json()
        self._access: str | None = body["access_token"]
        self._refresh = str(body["refresh_token"])
        self.device_id = device_id

    def access_token(self) -> str | None:
        return self._access

    def refresh(self, transport: Transport) -> str:
        answer = transport.post_json(endpoints.REFRESH, {"refresh_token": self._refresh,
                                                         "device_id": self.device_id}, auth=False)
        self._access = str(answer["access_token"])
        return self._access


@dataclass
class Edit:
    """One thing a user did: create/update/delete of a contact; `values` and their `base` as the user saw it."""

    n: int
    device: str
    op: str
    row_id: str
    values: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)


class Ledger:
    """Every edit every device made, numbered in the order made; values are unique strings."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.base_of: dict[str, Any] = {}  # an edited value -> the value it replaced

    def next_value(self, device: str, field_name: str) -> str:
        return f"{device}-{len(self.edits) + 1}.{field_name}"

    def add(self, edit: Edit) -> None:
        self.edits.append(edit)
        for name, value in edit.values.items():
            self.base_of[value] = edit.base.get(name)


class Device:
    """One installation: a store file, signed in as a user, syncing in-process against `url`."""

    def __init__(self, name: str, path: Path, server_url: str, username: str, password: str) -> None:
        self.name = name
        self.path = path
        self.store: Store = open_store(path)
        with UnitOfWork(self.store) as uow:
            self.device_id = meta.device_id(uow.conn)
        self.auth = TokenAuth(server_url, username, password, self.device_id)

    def close(self) -> None:
        self.store.close()

    def sync(self, url: str, *, max_attempts: int = 4, pull_limit: int = 7, push_batch: int = 5,
             read_timeout_s: float = 10.0, cancel_after: int | None = None) -> SyncReport:
        """One sync run; `cancel_after`: the user presses cancel after that many progress steps."""
        transport = Transport(url, auth=self.auth, max_attempts=max_attempts, sleep=lambda _s: None,
                              read_timeout_s=read_timeout_s, connect_timeout_s=5.0)
        cancel = threading.Event()
        steps = 0

        def progress(_phase: str, _done: int, _total: int | None) -> None:
            nonlocal steps
            steps += 1
            if cancel_after is not None and steps >= cancel_after:
                cancel.set()

        try:
            engine = SyncEngine(self.store, transport, pull_limit=pull_limit, push_batch=push_batch)
            return engine.run(progress, cancel)
        finally:
            transport.close()

    def conn_rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with UnitOfWork(self.store) as uow:
            return [tuple(r) for r in uow.conn.exec_driver_sql(sql, params)]

    def contacts(self, institutions: set[str]) -> dict[str, dict[str, Any]]:
        """Live contacts of these institutions: id -> canonical field values."""
        with UnitOfWork(self.store) as uow:
            ids = [str(r[0]) for r in uow.conn.exec_driver_sql("SELECT id FROM contact WHERE deleted = 0")]
            found = {i: records.get(uow, "contact", i) for i in ids}
        return {i: _fields(row) for i, row in found.items() if row and row["institution_id"] in institutions}

    def listed(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(conflicts including resolved, rejections including dismissed) kept on this device."""
        with UnitOfWork(self.store) as uow:
            return list_conflicts(uow.conn, include_resolved=True), list_rejections(uow.conn, include_dismissed=True)

    def outbox_size(self) -> int:
        return int(self.conn_rows("SELECT count(*) FROM outbox")[0][0])

    def resolve_all(self, keep: str = "theirs") -> int:
        with UnitOfWork(self.store) as uow:
            open_ids = [str(c["id"]) for c in list_conflicts(uow.conn)]
        for conflict_id in open_ids:
            resolve(self.store, conflict_id, keep)  # type: ignore[arg-type]
        return len(open_ids)

    def integrity(self) -> str:
        return str(self.conn_rows("PRAGMA integrity_check")[0][0])


def settle(devices: list[Device], url: str) -> None:
    """Resolve every open conflict keeping the server's side and sync, until no conflict is left open."""
    for _ in range(4):
        opened = sum(device.resolve_all("theirs") for device in devices)
        for _ in range(2):
            for device in devices:
                assert device.sync(url).ok
        if not opened:
            return
    raise AssertionError("conflicts keep coming back")


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}


def random_edit(rng: random.Random, device: Device, ledger: Ledger, institutions: list[str]) -> Edit | None:
    """One random offline edit through the record service (create 30%, update 55%, delete 15%)."""
    with UnitOfWork(device.store) as uow:
        live = sorted(str(r[0]) for r in uow.conn.exec_driver_sql("SELECT id FROM contact WHERE deleted = 0"))
        roll = rng.random()
        if roll < 0.3 or not live:
            values = {name: ledger.next_value(device.name, name) for name in EDITABLE}
            row_id = records.create(uow, "contact", {"institution_id": rng.choice(institutions), **values})
            edit = Edit(len(ledger.edits) + 1, device.name, "create", row_id, values)
        elif roll < 0.85:
            row_id = rng.choice(live)
            current = records.get(uow, "contact", row_id)
            assert current is not None
            names = rng.sample(EDITABLE, rng.randint(1, 2))
            changes = {name: ledger.next_value(device.name, name) for name in names}
            records.update(uow, "contact", row_id, changes)
            edit = Edit(len(ledger.edits) + 1, device.name, "update", row_id, changes,
                        {name: current[name] for name in names})
        else:
            row_id = rng.choice(live)
            records.delete(uow, "contact", row_id)
            edit = Edit(len(ledger.edits) + 1, device.name, "delete", row_id)
        uow.commit()
    ledger.add(edit)
    return edit


@dataclass
class Verdict:
    """What the no-loss check found."""

    checked: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)


def check_no_loss(ledger: Ledger, server: dict[str, dict[str, Any]], devices: list[Device]) -> Verdict:
    """Every edit is on the server, superseded by an edit that saw it, or listed as a conflict or rejection."""
    verdict = Verdict()
    listed: dict[str, set[tuple[str, str]]] = {}
    rejected: dict[str, set[str]] = {}
    for device in devices:
        conflicts, rejections = device.listed()
        listed[device.name] = {(str(c["row_id"]), str(c["field"])) for c in conflicts}
        rejected[device.name] = {str(r["row_id"]) for r in rejections}
    deleted_by = {(e.row_id, e.device) for e in ledger.edits if e.op == "delete"}
    for edit in ledger.edits:
        verdict.checked += 1
        row = server.get(edit.row_id)
        mine = listed.get(edit.device, set())
        if edit.row_id in rejected.get(edit.device, set()) or (edit.row_id, "__deleted__") in mine:
            continue
        if edit.op == "delete":
            if row is not None and not row["deleted"]:
                verdict.lost.append(f"#{edit.n} delete of {edit.row_id} by {edit.device}")
            continue
        if row is None:
            if (edit.row_id, edit.device) not in deleted_by:  # created and deleted before any sync: never sent
                verdict.lost.append(f"#{edit.n} {edit.op} of {edit.row_id} by {edit.device}: not on the server")
            continue
        if row["deleted"]:
            continue  # a delete that saw this edit (a blind one would be a conflict on the deleting device)
        for name, value in edit.values.items():
            if (edit.row_id, name) in mine or _reaches(ledger, row.get(name), value):
                continue
            verdict.lost.append(f"#{edit.n} {edit.row_id}.{name}={value!r} by {edit.device}: server has "
                                f"{row.get(name)!r}, built on {_chain(ledger, row.get(name))}")
    seen: dict[str, str] = {}
    for row_id, row in server.items():
        for name in EDITABLE:
            value = row.get(name)
            if isinstance(value, str) and name == "name" and value in seen and seen[value] != row_id:
                verdict.duplicated.append(f"{value!r} on {seen[value]} and {row_id}")
            if isinstance(value, str) and name == "name":
                seen[value] = row_id
    return verdict


def _reaches(ledger: Ledger, current: Any, wanted: Any) -> bool:
    """Whether `current` is `wanted` or was written by an edit made on top of it (following recorded bases)."""
    hops = 0
    while current is not None and hops <= len(ledger.edits):
        if current == wanted:
            return True
        current = ledger.base_of.get(current)
        hops += 1
    return False


def _chain(ledger: Ledger, value: Any) -> list[Any]:
    out: list[Any] = []
    while value is not None and len(out) <= len(ledger.edits):
        value = ledger.base_of.get(value)
        out.append(value)
    return out


class ServerDB:
    """Read access to the server's database (SQLite file or PostgreSQL schema), for checks only."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        args: dict[str, Any] = {}
        if schema:
            args["connect_args"] = {"options": f"-csearch_path={schema}"}
        self.engine = create_engine(url, **args)

    def close(self) -> None:
        self.engine.dispose()

    def contacts(self, institutions: set[str] | None = None) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM contact")).mappings().all()
        return {str(r["id"]): dict(r) for r in rows if institutions is None or r["institution_id"] in institutions}

    def live_contacts(self, institutions: set[str]) -> dict[str, dict[str, Any]]:
        """id -> the fields a client holds, for live rows."""
        names = ("institution_id", "name", "position", "phone", "email", "notes")
        return {i: {n: r[n] for n in names} for i, r in self.contacts(institutions).items() if not r["deleted"]}

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()


def differences(device: Device, server: dict[str, dict[str, Any]], institutions: set[str]) -> list[str]:
    """How a device's copy of the shared contacts differs from the server's (empty: identical)."""
    mine = device.contacts(institutions)
    out = [f"{device.name} lacks {i}" for i in server.keys() - mine.keys()]
    out += [f"{device.name} has extra {i}" for i in mine.keys() - server.keys()]
    for row_id in server.keys() & mine.keys():
        theirs = server[row_id]
        ours = {k: v for k, v in mine[row_id].items() if k in theirs}
        if ours != theirs:
            out.append(f"{device.name} {row_id}: {ours} != server {theirs}")
    return out


def iterate_seeds(count: int, base: int = 0) -> Iterator[int]:
    yield from range(base, base + count)
