"""The sync run: push, then files on a thread while the catalog snapshot, pages and a last push go; one sync_run row."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pydantic import ValidationError

from specialist_app.services import sync_ops
from specialist_app.services.push_outbox import BATCH_SIZE, OutboxEntry
from specialist_app.store import catalog_snapshot
from specialist_app.store.db import Store
from specialist_app.store.sync_log import RunEnd
from specialist_app.sync_engine import blobs, digest_pull, endpoints, push, snapshot
from specialist_app.sync_engine.errors import (
    SYNC_RUN_ERRORS,
    LoginRequired,
    NetworkUnavailable,
    ServerError,
    SyncCancelled,
    store_failure,
)
from specialist_app.sync_engine.pretokenize import Pending, Pretokenizer
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.snapshot_early import EarlySnapshot
from specialist_app.sync_engine.transport import Transport
from specialist_app.sync_engine.uploads import BackgroundUploads
from sync.protocol import CATALOG_BUCKET, UserInfo

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int | None], None]  # (phase, done, total or None when unknown)
PULL_LIMIT = 2000
FIRST_PULL_LIMIT = 200
INDEX_BATCH = 2000  # documents per transaction when indexing deferred long texts
_REQUEST_REFUSED = frozenset({400, 413, 422})
_OUTCOME = {NetworkUnavailable: "offline", LoginRequired: "auth", SyncCancelled: "cancelled"}


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


class SyncEngine:
    """Runs syncs of one store against one server (no Qt: the GUI calls `run` on a worker thread)."""

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        push_batch: int = BATCH_SIZE,
        pull_limit: int = PULL_LIMIT,
        view: str = "user",
        use_snapshot: bool = True,
        catalog: str = "auto",
        province: str | None = None,
    ) -> None:
        self.store = store
        self.transport = transport
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.view = view  # "public": the catalog as every specialist sees it (administrators publishing it)
        # With view "public": that home province's catalog and digest feed (a digest snapshot being published).
        self.province = province if view == "public" else None
        # How a first sync brings the catalog (catalog_mode.CATALOG_MODES); use_snapshot=False is "pages".
        self.catalog = catalog if use_snapshot and view == "user" else "pages"
        self._skip: tuple[str, ...] = ()  # buckets the pull in progress leaves for later
        self._digests = False  # this run takes the catalog outside the home province as digests

    def run(self, progress: ProgressFn | None = None, cancel: threading.Event | None = None) -> SyncReport:
        progress = progress or _no_progress
        cancel = cancel or threading.Event()
        report = SyncReport()
        run_id = sync_ops.start_run(self.store)
        self.transport.on_retry = lambda attempt, attempts: progress("retry", attempt, attempts)
        try:
            with self.transport.cancelled_by(cancel):  # a cancel ends the request in flight at once
                self._run(report, progress, cancel)
        except SYNC_RUN_ERRORS as caught:
            exc = store_failure(caught)  # a full disk becomes DiskFull; any other store error is re-raised
            report.outcome = _OUTCOME.get(type(exc), "failed")
            report.error_code = exc.code
            report.error_params = dict(exc.params)
            report.error_text = {"zh": exc.message("zh_CN"), "en": exc.message("en")}
            report.errors.append(exc.code)
            log.info("sync ended: %s", exc.code)
        finally:
            self.transport.on_retry = None
            self._finish_log(run_id, report)
        return report

    def _run(self, report: SyncReport, progress: ProgressFn, cancel: threading.Event) -> None:
        self._push(report, progress, cancel)
        # Files go up on their own thread while the records come down (the link carries both ways at once); a file
        # never holds back records: its failures stay with the file.
        uploads = BackgroundUploads(self.store, self.transport, progress, cancel)
        try:
            pulled_all = False
            # With a home province the store takes that province's digest snapshot, not the national one.
            home = self._home_province() if self.view == "user" else None
            self._digests = home is not None
            if self.catalog != "pages":
                if catalog_snapshot.no_catalog_cursor(self.store):
                    # A first sync: the specialist's own institutions (inst: and own buckets) are pulled while the
                    # catalog's snapshot downloads; it is installed over them.
                    early = EarlySnapshot(self.store, self.transport, progress, cancel, mode=self.catalog,
                                          province=home)
                    try:
                        self._pull(report, progress, cancel, skip=(CATALOG_BUCKET,))
                    except BaseException:
                        early.stop()
                        raise
                    # A server older than `skip` paged the catalog too, to its end: nothing is left to pull.
                    pulled_all = not catalog_snapshot.no_catalog_cursor(self.store)
                    report.snapshot_cursor = early.finish()
                else:
                    report.snapshot_cursor = snapshot.bootstrap(self.store, self.transport, progress, cancel,
                                                                mode=self.catalog, province=home)
            catalog_snapshot.reindex_kept(self.store)  # left undone by a run killed right after an install: cheap
            if not pulled_all:
                self._pull(report, progress, cancel)
            if self._digests or self.province is not None:
                report.digests = digest_pull.pull_digests(self.store, self.transport, progress, cancel,
                                                          province=self.province)
            if report.pulled + report.digests >= sync_ops.COMPACT_AFTER:
                _check(cancel)
                sync_ops.compact_index(self.store)  # a first sync: its index in one segment, the file smaller
            self._push(report, progress, cancel)
        except BaseException:
            uploads.stop()
            with contextlib.suppress(Exception):  # the records' failure is the one to report
                uploads.result()
            raise
        uploads.records_done()
        self._count_uploads(report, uploads.result())
        if report.rejected or report.blobs_failed:
            report.outcome = "partial"
        # The account is recorded too, so the app offers only what the server accepts, offline as well.
        sync_ops.mark_synced(self.store, self._user())

    def _home_province(self) -> str | None:
        """The user's home province as the server's last token answer said, else as the store's last sync recorded
        it, else (a first sync whose push sent nothing) as the server says now: one request."""
        user = self._user()
        if user is not None:
            return user.home_province
        known, province = sync_ops.recorded_home_province(self.store)
        if known or getattr(self.transport, "auth", None) is None:  # a test transport without sign-in: none
            return province
        try:
            return UserInfo.model_validate(self.transport.get_json(endpoints.ME)).home_province
        except (ServerError, ValidationError):  # an older server, a test transport: no digests
            return None

    def _user(self) -> UserInfo | None:
        """Who the server said the user is in its last token answer (every sign-in and refresh names them)."""
        user = getattr(getattr(self.transport, "auth", None), "user", None)  # test transports may have none
        return user if isinstance(user, UserInfo) else None

    def _push(self, report: SyncReport, progress: ProgressFn, cancel: threading.Event) -> None:
        """Send the outbox batch by batch, each one's answer applied while the server works on the next.

        The next batch is read and frozen (marked sent) while the current request is in flight, and sent only once
        the current answer has arrived, so the server still applies a device's batches one after another, in order.
        """
        total = sync_ops.pending_push(self.store)
        device = sync_ops.device_id(self.store)
        _check(cancel)
        batch = self._freeze_push_batch(0)
        if not batch:
            return
        done = 0
        sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push")  # its thread starts on a submit
        try:
            if len(batch) < self.push_batch:  # the only batch: nothing to overlap with, no thread
                in_flight: Future[dict[str, Any]] = Future()
                in_flight.set_result(self._send_batch(device, batch))
            else:
                in_flight = sender.submit(self._send_batch, device, batch)
            while True:
                # Unanswered entries stay queued for the next run, never resent in a loop: read on past this batch.
                following = [] if cancel.is_set() else self._freeze_push_batch(batch[-1].seq)
                answer = in_flight.result()
                if following:
                    in_flight = sender.submit(self._send_batch, device, following)
                tally = sync_ops.record_push_answer(self.store, batch, answer)
                report.pushed += tally.applied
                report.conflicts += tally.conflicts
                report.rejected += tally.rejected
                done += len(batch)
                progress("push", done, max(total, done))
                if not following:
                    _check(cancel)
                    return
                batch = following
        finally:
            sender.shutdown(wait=True, cancel_futures=True)

    def _freeze_push_batch(self, after: int) -> list[OutboxEntry]:
        """The next outbox entries after seq `after`, marked sent (never coalesced again) in the same transaction."""
        max_bytes = push.batch_bytes(self.transport.throughput)  # sized by the measured upload speed
        return sync_ops.freeze_push_batch(self.store, self.push_batch, after, max_bytes)

    @staticmethod
    def _count_uploads(report: SyncReport, tally: blobs.UploadTally) -> None:
        """A refused file is a rejection, a failed one stays pending (its state and reason stored) and the run is
        partial, never "offline"."""
        report.blobs_uploaded += tally.uploaded
        report.blobs_failed += tally.failed
        report.rejected += tally.refused
        report.errors.extend(tally.errors)

    def _send_batch(self, device: str, batch: list[OutboxEntry]) -> dict[str, Any]:
        """Push `batch`; if the server refuses the request as a whole, split it so only the bad entry is rejected.

        A request-level 400/413/422 means some entry could not even be read by the server. Halving finds it in
        log2(n) requests; that single entry is answered locally as rejected, so one bad write never wedges the queue.
        """
        try:
            answer = self.transport.post_json(endpoints.PUSH, push.build_request(device, batch))
        except ServerError as exc:
            if exc.status not in _REQUEST_REFUSED:
                raise
            if len(batch) == 1:
                return {"results": [push.refused_result(batch[0], exc.detail)]}
            middle = len(batch) // 2
            first = self._send_batch(device, batch[:middle])
            second = self._send_batch(device, batch[middle:])
            return {"results": [*first.get("results", []), *second.get("results", [])]}
        if not isinstance(answer, dict):
            raise ServerError("push answer is not an object")
        return answer

    def _pull(self, report: SyncReport, progress: ProgressFn, cancel: threading.Event,
              skip: tuple[str, ...] = ()) -> None:
        """Pull page by page; the next page is fetched (and decoded) on a thread while this one is applied.

        The next request is sent with the cursors this page will leave in the store; if applying it leaves
        others (a bucket went away), that answer is dropped unapplied and the page is asked for again.
        The texts of each big page after the first are tokenized in a second process meanwhile
        (`pretokenize`), and the page is indexed whole; those of a big first page are indexed after the last
        page (`_complete_index`), so its titles are searchable as soon as it lands.
        """
        device = self._device()
        done = 0
        self._skip = skip
        progress("pull", 0, None)  # at once: the first page may take seconds on a slow link
        cursors = sync_ops.cursors(self.store)
        fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull")  # its thread starts on a submit
        tokenizer = Pretokenizer()  # a second process, started by the first big page it is given
        finished = False
        try:
            # The first page has nothing to overlap with: it is fetched here and tokenized by this thread, so a
            # one-page pull starts no thread and no process.
            ahead: Future[tuple[dict[str, Any], Pending | None]] = Future()
            ahead.set_result((self._fetch_page(device, cursors, first=True), None))
            total: int | None = None
            while True:
                _check(cancel)
                page, pending = ahead.result()
                _check(cancel)
                if total is None and isinstance(page.get("total"), int):
                    total = int(page["total"])  # an older server sends none: the count runs on unbounded
                expected = {**cursors, **{str(b): max(int(c), cursors.get(str(b), 0))
                                          for b, c in page["cursors"].items()}}
                if page.get("has_more"):
                    ahead = fetcher.submit(self._fetch_ahead, tokenizer, device, expected)
                known = tokenizer.collect(pending, cancel)
                result, cursors = sync_ops.apply_pull_page(self.store, page, known)
                done += len(page["changes"])
                report.pulled += result.applied
                progress("pull", done, max(total, done) if total is not None else None)
                if not page.get("has_more") and not result.removed_buckets:
                    break
                if not page.get("has_more") or cursors != expected:
                    ahead = fetcher.submit(self._fetch_ahead, tokenizer, device, cursors)
            finished = True
        finally:
            fetcher.shutdown(wait=True, cancel_futures=True)
            tokenizer.close(kill=not finished)  # a cancelled or failed pull waits for no tokenizing
            self._skip = ()
        self._complete_index(progress, cancel)

    def _fetch_ahead(
        self, tokenizer: Pretokenizer, device: str, cursors: dict[str, int]
    ) -> tuple[dict[str, Any], Pending | None]:
        """The next page, with its texts already on their way to the second process."""
        page = self._fetch_page(device, cursors)
        return page, tokenizer.submit(page)

    def _fetch_page(self, device: str, cursors: dict[str, int], *, first: bool = False) -> dict[str, Any]:
        # A small first page: the user sees rows arrive within seconds even at 256 kbit/s.
        limit = min(self.pull_limit, FIRST_PULL_LIMIT) if first else self.pull_limit
        request: dict[str, Any] = {"device_id": device, "cursors": cursors, "limit": limit}
        if first:
            request["count_total"] = True  # the answer's "total" gives done / total and time left
        if self.view != "user":
            request["view"] = self.view
        if self.province is not None:
            request["province"] = self.province
        if self._skip:
            request["skip"] = list(self._skip)
        if self._digests:
            request["digests"] = True  # the catalog bucket holds the home province; the rest: pull_digests
        page = self.transport.post_json(endpoints.PULL, request)
        if not isinstance(page, dict) or not isinstance(page.get("changes"), list):
            raise ServerError("pull answer is not a page")
        if not isinstance(page.get("cursors"), dict):
            page["cursors"] = {}
        for bucket in self._skip:  # not paged: no cursor stored for it (an older server's paging moves it: kept)
            if int(page["cursors"].get(bucket, 0)) <= cursors.get(bucket, 0):
                page["cursors"].pop(bucket, None)
        return page

    def _complete_index(self, progress: ProgressFn, cancel: threading.Event) -> None:
        """Index the long texts pulled pages left out, a batch per transaction (what is left waits for next run)."""
        total = sync_ops.deferred_index_count(self.store)
        done = 0
        while done < total:
            progress("index", done, total)
            _check(cancel)
            n = sync_ops.index_deferred(self.store, INDEX_BATCH)
            if n == 0:
                break
            done += n
        if total:
            progress("index", total, total)

    def _device(self) -> str:
        return sync_ops.device_id(self.store)

    def _finish_log(self, run_id: int | None, report: SyncReport) -> None:
        if run_id is None:
            return
        sync_ops.finish_run(self.store, run_id, RunEnd(
            report.outcome, report.pushed, report.pulled, report.conflicts, report.rejected, report.error_code,
            report.message("zh_CN"), report.message("en")))


def _check(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise SyncCancelled()
