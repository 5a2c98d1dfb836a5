"""The client side of bench/slow_link_bench.py: one sync run in its own process (so the bench can kill -9 it).

    .venv/bin/python bench/slow_link_client.py STORE_DIR URL USER PASSWORD

Prints one JSON line per progress report ({"t", "phase", "done", "total"}), one per INFO line the sync engine
logs ({"t", "log"}), and a last line {"report", "wall_s",
"peak_rss_mb", "cpu_s", "children_cpu_s"} (the run's end: the store closed, its last checkpoint done; the
children are the pull's tokenizing processes).
Its top level imports only the standard library (the pull's tokenizing process is spawned and re-imports it).
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _main(store_dir: Path, url: str, user: str, password: str) -> None:
    import keyring

    from specialist_app import credentials
    from specialist_app.demo_keyring import MemoryKeyring
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store import meta
    from specialist_app.store.db import open_store
    from specialist_app.sync_engine.engine import SyncEngine
    from specialist_app.sync_engine.transport import Transport

    keyring.set_keyring(MemoryKeyring())
    store = open_store(store_dir / "store.sqlite3")
    with UnitOfWork(store) as uow:
        device = meta.device_id(uow.conn)
    start = time.perf_counter()
    print(json.dumps({"t": 0.0, "phase": "start", "done": 0, "total": None}), flush=True)  # the bench's clock
    auth = credentials.login(store_dir, url, user, password, device_id=device)
    transport = Transport(url, auth=auth)

    written = threading.Lock()  # a first sync reports from two threads (the snapshot's download and the pull)

    def write(line: dict[str, object]) -> None:
        with written:  # print() writes the text and its newline apart: two threads' lines would interleave
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

    def progress(phase: str, done: int, total: int | None) -> None:
        write({"t": time.perf_counter() - start, "phase": phase, "done": done, "total": total})

    class _Lines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            write({"t": time.perf_counter() - start, "log": record.getMessage()})

    engine_log = logging.getLogger("specialist_app.sync_engine")
    engine_log.setLevel(logging.INFO)
    engine_log.addHandler(_Lines())

    report = SyncEngine(store, transport).run(progress)
    wall_s = time.perf_counter() - start
    transport.close()
    store.close()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"report": report.as_dict("en"), "wall_s": wall_s, "peak_rss_mb": _peak_rss_mb(),
                      "cpu_s": own.ru_utime + own.ru_stime,
                      "children_cpu_s": children.ru_utime + children.ru_stime}), flush=True)


def _peak_rss_mb() -> float | None:
    """This process's own peak RSS (VmHWM; ru_maxrss would also hold the parent's peak from before the exec)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return kb / 1024 if kb is not None else None


if __name__ == "__main__":
    _main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
