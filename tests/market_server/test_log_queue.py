"""A stalled log sink never stalls serving: records are dropped and counted, and the count is logged afterwards."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from market_server.log_queue import DroppingQueueHandler, LogWriter
from market_server.logs import JsonFormatter

# Far beyond what a ~64 KiB pipe holds (an access line is ~150 bytes: ~450 lines fill it).
# bench/log_stall_bench.py runs the same with 10,000 requests and prints the figures (~45 s: too long here).
REQUESTS = 2500


class _StalledSink(logging.Handler):
    """A sink whose writes wait until `flowing` is set, as stderr does on a full pipe nobody reads."""

    def __init__(self) -> None:
        super().__init__()
        self.flowing = threading.Event()
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.flowing.wait()
        self.lines.append(json.loads(record.getMessage()))


def test_a_stalled_sink_drops_and_counts_instead_of_blocking_then_reports_the_count() -> None:
    queued = DroppingQueueHandler(capacity=10)
    queued.setFormatter(JsonFormatter())
    sink = _StalledSink()
    writer = LogWriter(queued, sink)
    writer.start()
    log = logging.Logger("stall-test")
    log.addHandler(queued)
    started = time.monotonic()
    for n in range(1000):
        log.warning("line %d", n)
    assert time.monotonic() - started < 5  # none of the 1,000 calls waited for the sink
    sink.flowing.set()
    writer.stop()
    written = [line["msg"] for line in sink.lines if "dropped" not in line]
    reports = [line for line in sink.lines if "dropped" in line]
    assert reports and all(report["level"] == "warning" for report in reports)
    assert sum(int(str(report["dropped"])) for report in reports) + len(written) == 1000  # written or counted
    assert written[0] == "line 0" and len(written) >= 10  # at least the queue's 10 were kept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_keeps_answering_while_nobody_reads_its_stderr_then_reports_what_it_dropped(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "MARKET_DATA_DIR": str(tmp_path), "MARKET_LOG_QUEUE_RECORDS": "100"}
    env.pop("MARKET_DATABASE_URL", None)
    subprocess.run([str(bin_dir / "market-server"), "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen([str(bin_dir / "market-server"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert server.stderr is not None
    url = f"http://127.0.0.1:{port}/health"
    asked = 0
    try:
        with requests.Session() as http:
            deadline = time.monotonic() + 30
            while True:  # readiness: the server answers
                try:
                    answer = http.get(url, timeout=1)
                    asked += 1
                    if answer.ok:
                        break
                except requests.ConnectionError:
                    assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                    time.sleep(0.05)
            for _ in range(REQUESTS):  # nobody reads stderr meanwhile: the pipe is full after a few hundred
                assert http.get(url, timeout=10).status_code == 200
                asked += 1
        lines: list[dict[str, object]] = []
        reader = threading.Thread(target=lambda: lines.extend(json.loads(raw) for raw in server.stderr or ()))
        reader.start()  # the sink drains from here on
        deadline = time.monotonic() + 30
        while not any("dropped" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.05)  # waiting for the writer thread's report, not a fixed delay
    finally:
        server.terminate()
        server.wait(20)
    reader.join(10)
    server.stderr.close()
    dropped = sum(int(str(line["dropped"])) for line in lines if "dropped" in line)
    served = [line for line in lines if line.get("logger") == "market_server.access"]
    assert dropped > 0
    assert dropped + len(served) == asked  # every answered request was either logged or counted
