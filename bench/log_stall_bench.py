"""A `market-server serve` whose stderr is a pipe nobody reads, asked N requests: answered, latency, dropped lines.

    python bench/log_stall_bench.py [--requests 10000] [--queue-records 10000]

Before the bounded log queue, such a server stopped answering after ~200 requests (docs/reliability.md).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

BIN = Path(sys.executable).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--queue-records", type=int, default=10_000, help="MARKET_LOG_QUEUE_RECORDS of the server")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "MARKET_DATA_DIR": tmp, "MARKET_LOG_QUEUE_RECORDS": str(args.queue_records)}
        env.pop("MARKET_DATABASE_URL", None)
        subprocess.run([str(BIN / "market-server"), "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([str(BIN / "market-server"), "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert server.stderr is not None
        url = f"http://127.0.0.1:{port}/health"
        latencies: list[float] = []
        try:
            with requests.Session() as http:
                _wait_ready(http, url)
                started = time.perf_counter()
                for _ in range(args.requests):  # stderr unread all along
                    t0 = time.perf_counter()
                    http.get(url, timeout=10).raise_for_status()
                    latencies.append(time.perf_counter() - t0)
                wall = time.perf_counter() - started
            lines: list[dict[str, object]] = []
            reader = threading.Thread(target=lambda: lines.extend(json.loads(raw) for raw in server.stderr or ()))
            reader.start()
            deadline = time.monotonic() + 30
            while not any("dropped" in line for line in lines) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            server.terminate()
            server.wait(20)
        reader.join(10)
        server.stderr.close()
    latencies.sort()
    print(json.dumps({
        "requests_answered": len(latencies), "wall_s": round(wall, 1), "per_s": round(len(latencies) / wall),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2),
        "log_lines_written": sum(1 for line in lines if line.get("logger") == "market_server.access"),
        "log_lines_dropped": sum(int(str(line["dropped"])) for line in lines if "dropped" in line),
    }, indent=1))
    return 0


def _wait_ready(http: requests.Session, url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if http.get(url, timeout=1).ok:
                return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
