"""The texts of a big pulled page, tokenized in a second process while the sync applies the page before it."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from specialist_app.store import search_docs, search_text
from specialist_app.store.search_docs import KnownTexts
from specialist_app.store.search_index import SEARCH_ENTITIES
from specialist_app.sync_engine.errors import SyncCancelled

log = logging.getLogger(__name__)

# Below this many searchable rows a page is tokenized in the applying thread: starting the second process
# (~0.5 s) only pays off on a first pull of the catalog.
MIN_TEXTS = 1000
CANCEL_POLL_S = 0.05


def page_texts(page: Mapping[str, Any]) -> dict[str, tuple[str, str, str]]:
    """Row id -> the row's own (title, body, field) texts, for the searchable rows a pull page carries."""
    texts: dict[str, tuple[str, str, str]] = {}
    for change in page.get("changes") or ():
        entity = change.get("entity")
        if entity in SEARCH_ENTITIES and not change.get("deleted"):
            texts[str(change.get("id"))] = search_docs.own_texts(entity, change.get("fields") or {})
    return texts


class Pretokenizer:
    """One worker process, started at the first big page; any failure of it only means tokenizing here."""

    def __init__(self, min_texts: int | None = None) -> None:
        self.min_texts = MIN_TEXTS if min_texts is None else min_texts
        self._pool: ProcessPoolExecutor | None = None
        self._lifeline: Connection | None = None  # the worker exits when this end closes (or this process dies)
        self._failed = False

    def submit(self, page: Mapping[str, Any]) -> Pending | None:
        """Start tokenizing the page's texts; None when the page is small or the worker failed before."""
        if self._failed:
            return None
        texts = page_texts(page)
        if len(texts) < self.min_texts:
            return None
        try:
            if self._pool is None:
                # "spawn" everywhere: forking a process that runs Qt or other threads is not safe.
                context = multiprocessing.get_context("spawn")
                watched, self._lifeline = context.Pipe(duplex=False)
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=watch_parent,
                                                 initargs=(watched,))
                future = self._pool.submit(search_text.tokenize_groups, list(texts.values()))
                watched.close()  # the worker, spawned by that first submit, holds its own copy
                return Pending(texts, future)
            return Pending(texts, self._pool.submit(search_text.tokenize_groups, list(texts.values())))
        except Exception:  # a pool that cannot start must not stop the sync
            log.warning("no second process for tokenizing; tokenizing in the sync thread", exc_info=True)
            self._failed = True
            return None

    def collect(self, pending: Pending | None, cancel: threading.Event | None = None) -> dict[str, KnownTexts] | None:
        """Each row's texts and tokens by row id, or None (then the page is tokenized where it is applied).

        Raises SyncCancelled as soon as `cancel` is set while it waits.
        """
        if pending is None:
            return None
        while cancel is not None and not wait([pending.future], timeout=CANCEL_POLL_S).done:
            if cancel.is_set():
                raise SyncCancelled()
        try:
            tokens = pending.future.result()
        except Exception:  # e.g. the worker was killed: fall back, never lose the page
            log.warning("tokenizing in the second process failed; tokenizing in the sync thread", exc_info=True)
            self._failed = True
            return None
        return dict(zip(pending.texts, zip(pending.texts.values(), tokens, strict=True), strict=True))

    def close(self, *, kill: bool = False) -> None:
        """Stop the worker: after its current page, or at once with `kill` (a cancelled sync waits for nothing)."""
        if kill:
            self._cut_lifeline()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._cut_lifeline()

    def _cut_lifeline(self) -> None:
        if self._lifeline is not None:
            self._lifeline.close()
            self._lifeline = None


def watch_parent(lifeline: Connection) -> None:
    """In the worker: exit as soon as the sync that started it ends or dies, even by kill -9.

    The worker's own queues hold both ends of their pipes, so the parent's death never reaches it through them;
    `lifeline`'s other end lives only in the parent, and the operating system closes it when the parent dies,
    on Linux, Windows and macOS alike. The worker then ends without waiting for anything (its multiprocessing
    resource tracker goes with it).
    """

    def wait_for_eof() -> None:
        with contextlib.suppress(EOFError, OSError):
            while True:
                lifeline.recv_bytes()
        os._exit(0)

    threading.Thread(target=wait_for_eof, name="parent-watch", daemon=True).start()


@dataclass(frozen=True)
class Pending:
    """Texts sent to the worker and the future of their tokens."""

    texts: dict[str, tuple[str, str, str]]
    future: Future[list[tuple[str, ...]]]
