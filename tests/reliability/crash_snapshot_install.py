"""A process for the snapshot crash test: installs a snapshot file into a store, then checkpoints the WAL as a
first sync does after an install, and SIGKILLs itself at its Nth SQL statement on their own connections.

    python crash_snapshot_install.py STORE SNAPSHOT_FILE KILL_AT [PROVINCE]

With PROVINCE, the file is a digest snapshot of that home province.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path

from specialist_app.store import catalog_snapshot
from specialist_app.store.db import open_store


def main(store_path: Path, snapshot: Path, kill_at: int, province: str | None = None) -> None:
    store = open_store(store_path)
    connect = catalog_snapshot._connect
    executed = 0

    def armed(path: Path) -> sqlite3.Connection:
        conn = connect(path)

        def trace(_statement: str) -> None:
            nonlocal executed
            executed += 1
            if executed == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        conn.set_trace_callback(trace)
        return conn

    catalog_snapshot._connect = armed
    catalog_snapshot.install(store, snapshot, province=province)
    catalog_snapshot.checkpoint(store)  # a kill between the COMMIT and this: the WAL holds the whole install
    print(f"installed after {executed} statements")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
