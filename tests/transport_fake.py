"""The part of Transport's interface a fake transport needs besides its requests (cancel hooks, retry notice)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from specialist_app.sync_engine.errors import ServerError
from specialist_app.sync_engine.link import Throughput


class FakeTransportBase:
    """Mixed into test transports that answer from a script: no sockets, so a cancel has nothing to interrupt."""

    max_attempts = 1
    on_retry: Callable[[int, int], None] | None = None
    throughput = Throughput()  # nothing measured: batch and chunk sizes take their defaults

    @contextlib.contextmanager
    def cancelled_by(self, cancel: threading.Event) -> Iterator[None]:
        yield

    def raise_if_cancelled(self) -> None:
        pass

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None, auth: bool = True) -> Any:
        """A first sync asks for a catalog snapshot: these fakes publish none."""
        raise ServerError("no catalog snapshot published", status=404, error_code="snapshot_unavailable")
