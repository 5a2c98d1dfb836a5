"""Cancel latency on the shaped link of bench/slow_link_bench.py, per phase (push, page pull, file upload,
catalog snapshot download and install).

    .venv/bin/python bench/slow_link_cancel_bench.py [--kbps 256] [--delay-ms 150] [--photo-mb 1] [--visits 300]
        [--snapshot-scale province] [--phases push,pull,upload,snapshot,install]

Per phase: a fresh server and client (a photo and visits with long notes to send, its own visits to pull back),
a sync run in this process through the proxy, and the cancel event set --after seconds after the phase's first
progress report. The snapshot phases: an administrator publishes a catalog snapshot of the --snapshot-scale demo,
and a new laptop's first sync (catalog "snapshot") is cancelled --after seconds into its download on the shaped
link, or --install-after seconds into the install (the download at full speed: the install is local work).
Prints the time from the cancel to the run's return (aim: at most 2 s) and the run's outcome.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slow_link_bench import PASSWORD, USER, _prepare_upload, _server, _shape, _sync  # noqa: E402
from sync_bench import _admin, _client, _serve  # noqa: E402

from tests.reliability.shaping_proxy import ShapingProxy  # noqa: E402

PHASES = ("push", "pull", "upload", "snapshot", "install")


def _cancel_in(phase: str, args: argparse.Namespace) -> tuple[float, str]:
    import keyring

    from specialist_app import credentials
    from specialist_app.demo_keyring import MemoryKeyring
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store import meta
    from specialist_app.store.db import open_store
    from specialist_app.sync_engine.engine import SyncEngine
    from specialist_app.sync_engine.transport import Transport

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        first_sync = phase in ("snapshot", "install")
        server_dir, [inst] = _server(tmp, args.snapshot_scale if first_sync else "small", 1)
        if first_sync:
            _admin(server_dir, "user", "add", "benchadmin", "--role", "admin", "--password-stdin",
                   stdin="benchadmin-password-1\n")
        proc, url = _serve(server_dir)
        try:
            client_dir = tmp / "client"
            client_dir.mkdir()
            if first_sync:
                publisher = tmp / "publisher"
                publisher.mkdir()
                _client(publisher, url, "publish", 0)
            else:
                _sync(client_dir, url)
                _prepare_upload(client_dir, inst, args.photo_mb, args.visits, seed=11)
            # The install is local work: its download comes at full speed (a shape with no limits).
            proxy = ShapingProxy(url, None if phase == "install" else _shape(args))
            keyring.set_keyring(MemoryKeyring())
            store = open_store(client_dir / "store.sqlite3")
            with UnitOfWork(store) as uow:
                device = meta.device_id(uow.conn)
            transport = Transport(proxy.url, auth=credentials.login(client_dir, proxy.url, USER, PASSWORD,
                                                                    device_id=device))
            cancel = threading.Event()
            cancelled_at: list[float] = []
            current: list[str] = [""]  # the phase of the last progress report
            during: list[str] = []

            def fire() -> None:
                during.append(current[0])
                cancelled_at.append(time.perf_counter())
                cancel.set()

            def progress(name: str, done: int, total: int | None) -> None:
                current[0] = name
                if name == phase and not cancelled_at and not timers:
                    # A request of the phase in flight by then; the install (reported as it begins) is cancelled
                    # in the middle of its copy into the store, after the decompression.
                    after = args.install_after if phase == "install" else args.after
                    timers.append(threading.Timer(after, fire))
                    timers[0].start()

            timers: list[threading.Timer] = []

            try:
                engine = SyncEngine(store, transport, catalog="snapshot" if first_sync else "auto")
                report = engine.run(progress, cancel)
                returned = time.perf_counter()
            finally:
                transport.close()
                store.close()
                proxy.close()
            for timer in timers:
                timer.cancel()
            latency = returned - cancelled_at[0] if cancelled_at else float("nan")
            return latency, f"{report.outcome}; last report before the cancel: {during[0] if during else '-'}"
        finally:
            proc.terminate()
            proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kbps", type=float, default=256.0)
    parser.add_argument("--delay-ms", type=float, default=150.0)
    parser.add_argument("--photo-mb", type=float, default=1.0)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--after", type=float, default=3.0, help="seconds into the phase the cancel comes")
    parser.add_argument("--install-after", type=float, default=1.0,
                        help="seconds into the snapshot install the cancel comes (the province's takes 1-5 s)")
    parser.add_argument("--snapshot-scale", default="province", help="demo catalog of the snapshot phases")
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated, of: " + ", ".join(PHASES))
    args = parser.parse_args()
    for phase in args.phases.split(","):
        latency, outcome = _cancel_in(phase, args)
        when = f"{args.install_after if phase == 'install' else args.after:g} s into"
        link = "full speed" if phase == "install" else f"{args.kbps:g} kbit/s, {args.delay_ms:g} ms with stalls"
        print(f"cancel {when} {phase} at {link}:"
              f" the run returned {latency:.2f} s after the cancel (outcome {outcome})", flush=True)


if __name__ == "__main__":
    main()
