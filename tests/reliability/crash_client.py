"""A client process for crash tests: syncs or edits a store and kills itself (SIGKILL) at its Nth SQL statement.

    python crash_client.py sync  STORE SERVER_URL USER KILL_AT
    python crash_client.py edit  STORE KILL_AT SEED COUNT FIRST_N DEVICE INSTITUTION...

`edit` prints one JSON line per committed edit (after its commit), so the parent knows exactly what the user
saved before the crash. Counting statements on the store's engine puts the kill inside transactions too.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store, open_store

sys.path.insert(0, str(Path(__file__).parent))
from harness import EDITABLE, TokenAuth

from specialist_app.store import meta
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.transport import Transport


def arm(store: Store, kill_at: int) -> None:
    """SIGKILL this process right before its `kill_at`-th statement on the store (0: never)."""
    executed = 0

    @event.listens_for(store.engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        nonlocal executed
        executed += 1
        if executed == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def run_sync(path: Path, url: str, user: str, kill_at: int) -> int:
    store = open_store(path)
    with UnitOfWork(store) as uow:
        device = meta.device_id(uow.conn)
    auth = TokenAuth(url, user, f"pw-{user}-123456", device)
    arm(store, kill_at)
    transport = Transport(url, auth=auth, max_attempts=2, sleep=lambda _s: None)
    report = SyncEngine(store, transport, pull_limit=5, push_batch=4).run()
    print(json.dumps(report.as_dict("en"), ensure_ascii=False), flush=True)
    return 0 if report.ok else 1


def run_edits(path: Path, kill_at: int, seed: int, count: int, first_n: int, device: str,
              institutions: list[str]) -> int:
    store = open_store(path)
    arm(store, kill_at)
    rng = random.Random(seed)
    for n in range(first_n, first_n + count):
        with UnitOfWork(store) as uow:
            live = sorted(str(r[0]) for r in uow.conn.exec_driver_sql("SELECT id FROM contact WHERE deleted = 0"))
            roll = rng.random()
            if roll < 0.4 or not live:
                values = {name: f"{device}-{n}.{name}" for name in EDITABLE}
                row_id = records.create(uow, "contact", {"institution_id": rng.choice(institutions), **values})
                line = {"n": n, "op": "create", "row_id": row_id, "values": values, "base": {}}
            elif roll < 0.9:
                row_id = rng.choice(live)
                current = records.get(uow, "contact", row_id)
                assert current is not None
                names = rng.sample(EDITABLE, rng.randint(1, 2))
                changes = {name: f"{device}-{n}.{name}" for name in names}
                records.update(uow, "contact", row_id, changes)
                line = {"n": n, "op": "update", "row_id": row_id, "values": changes,
                        "base": {name: current[name] for name in names}}
            else:
                row_id = rng.choice(live)
                records.delete(uow, "contact", row_id)
                line = {"n": n, "op": "delete", "row_id": row_id, "values": {}, "base": {}}
            uow.commit()
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


def main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    if mode == "sync":
        return run_sync(path, argv[2], argv[3], int(argv[4]))
    return run_edits(path, int(argv[2]), int(argv[3]), int(argv[4]), int(argv[5]), argv[6], argv[7:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
