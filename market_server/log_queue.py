"""Log records leave the serving threads through a bounded queue: a stalled sink drops records, never blocks serving."""

from __future__ import annotations

import logging
import queue
import threading
from logging.handlers import QueueHandler

# How long the writer sleeps between looks at the queue (the most a line waits before it is written).
_BATCH_S = 0.05


class DroppingQueueHandler(QueueHandler):
    """Formats a record in the caller's thread (request id and all) and queues it; a full queue drops and counts."""

    def __init__(self, capacity: int) -> None:
        # SimpleQueue: a put is one C call without a lock and condition to wake the writer each line (a bounded
        # queue.Queue's put cost ~10 % of a nothing-new pull's CPU). Its size is checked before the put, so under
        # a stall it holds at most `capacity` plus one record per thread logging at that moment.
        self.records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        super().__init__(self.records)
        self.capacity = max(1, capacity)
        self._lock = threading.Lock()
        self._dropped = 0

    def enqueue(self, record: logging.LogRecord) -> None:
        if self.records.qsize() < self.capacity:
            self.records.put_nowait(record)
            return
        with self._lock:
            self._dropped += 1

    def take_dropped(self) -> int:
        """The records dropped since the last call, and start counting again."""
        with self._lock:
            dropped, self._dropped = self._dropped, 0
        return dropped


class LogWriter:
    """The one thread that writes queued records to the sink; after a stall it reports how many were dropped."""

    def __init__(self, source: DroppingQueueHandler, sink: logging.Handler) -> None:
        self.source = source
        self.sink = sink
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="market-server-log-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Write what is queued (for at most `timeout_s`: a sink still stalled is left behind) and stop."""
        self._stop.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        """Every _BATCH_S, whatever is queued: a serving thread's put then wakes no thread (waking this one per line
        cost each request a GIL hand-over), and an idle server's writer wakes a few times a second."""
        records = self.source.records
        while True:
            stopping = self._stop.wait(_BATCH_S)
            while True:
                try:
                    record = records.get_nowait()
                except queue.Empty:
                    break
                # The sink accepted the previous write, so it flows again: say what was lost before going on.
                self._report_drops()
                self.sink.handle(record)
            self._report_drops()
            if stopping:
                return

    def _report_drops(self) -> None:
        dropped = self.source.take_dropped()
        if dropped:
            report = logging.makeLogRecord({
                "name": "market_server.logs", "levelno": logging.WARNING, "levelname": "WARNING",
                "msg": "log records dropped: the log sink was not keeping up", "fields": {"dropped": dropped},
            })
            self.sink.handle(self.source.prepare(report))
