"""The sync's reads and writes as named operations, each one unit of work: a pull page, a push batch frozen and
answered, the run's log row, deferred indexing, upload states. The engine (sync_engine/) does the network around
them and never commits itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from specialist_app.services import account, pull_apply, push_outbox
from specialist_app.services.pull_apply import PageResult
from specialist_app.services.push_outbox import OutboxEntry, PushTally
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import blob_uploads, conflicts, digests, meta, search_index, sync_log
from specialist_app.store.blob_uploads import BlobRow
from specialist_app.store.db import Store
from specialist_app.store.search_docs import KnownTexts
from specialist_app.store.sync_log import RunEnd
from sync.fields import utc_now

if TYPE_CHECKING:  # wire models (pydantic) load with the first sync, not at the app's start
    from sync.protocol import UserInfo


def device_id(store: Store) -> str:
    with ReadUnitOfWork(store) as read:
        return meta.device_id(read.conn)


def set_device(store: Store, device: str) -> None:
    """Name the device a new store pulls as (a catalog snapshot's work store borrows its administrator's)."""
    with UnitOfWork(store) as uow:
        meta.set_meta(uow.conn, "device_id", device)
        uow.commit()


def cursors(store: Store) -> dict[str, int]:
    with ReadUnitOfWork(store) as read:
        return meta.read_cursors(read.conn)


def apply_pull_page(
    store: Store, page: Mapping[str, Any], known: Mapping[str, KnownTexts] | None = None
) -> tuple[PageResult, dict[str, int]]:
    """One pull page and its cursors in one transaction (long texts of a big page left for `index_deferred`);
    what it did, and the cursors it left."""
    with UnitOfWork(store) as uow:
        result = pull_apply.apply_page(uow.conn, page, defer_long_text=True, known=known)
        after = meta.read_cursors(uow.conn)
        uow.commit()
    return result, after


def recorded_home_province(store: Store) -> tuple[bool, str | None]:
    """(whether the store's last sync recorded the account's home province, that province or None for none)."""
    with ReadUnitOfWork(store) as read:
        found = account.recorded(read)
    if not found or "home_province" not in found:
        return False, None
    province = found["home_province"]
    return True, (str(province) if province else None)


def digest_cursor(store: Store) -> int:
    with ReadUnitOfWork(store) as read:
        return digests.cursor(read.conn)


def apply_digest_page(store: Store, page: Mapping[str, Any]) -> int:
    """One page of the digest feed and its cursor in one transaction; how many digests changed."""
    with UnitOfWork(store) as uow:
        changed = digests.apply(uow.conn, page.get("digests") or [], int(page.get("cursor") or 0))
        uow.commit()
    return changed


def deferred_index_count(store: Store) -> int:
    with ReadUnitOfWork(store) as read:
        return search_index.deferred_count(read.conn)


def index_deferred(store: Store, batch: int) -> int:
    """Index up to `batch` long texts the pull left out, in one transaction; how many were done."""
    with UnitOfWork(store) as uow:
        done = search_index.complete_deferred(uow.conn, batch)
        uow.commit()
    return done


# A run that brought at least this many rows and digests was a first sync (or as big as one): its index is merged
# into one segment and the pages freed go back to the file system (`compact_index`).
COMPACT_AFTER = 20_000


def compact_index(store: Store) -> None:
    """After a bulk load: the search index merged into one segment (what the load's deletes left behind dropped),
    in one transaction, then the file's free pages released (docs/performance.md: -140 MB at 1,000,000)."""
    with UnitOfWork(store) as uow:
        search_index.optimize(uow.conn)
        uow.commit()
    store.release_free_pages()


def pending_push(store: Store) -> int:
    with ReadUnitOfWork(store) as read:
        return push_outbox.count_pending(read.conn)


def freeze_push_batch(store: Store, limit: int, after: int, max_bytes: int) -> list[OutboxEntry]:
    """The next outbox entries after seq `after`, marked sent (never coalesced again) in the same transaction."""
    with UnitOfWork(store) as uow:
        batch = push_outbox.next_batch(uow.conn, limit, after, max_bytes=max_bytes)
        if batch:
            push_outbox.mark_sent(uow.conn, batch, utc_now())
            uow.commit()
    return batch


def record_push_answer(store: Store, batch: Sequence[OutboxEntry], answer: Mapping[str, Any]) -> PushTally:
    """A push answer applied: answered entries leave the outbox; conflicts and rejections are stored."""
    with UnitOfWork(store) as uow:
        tally = push_outbox.apply_results(uow.conn, batch, answer)
        uow.commit()
    return tally


def start_run(store: Store) -> int | None:
    with UnitOfWork(store) as uow:
        run_id = sync_log.start_run(uow.conn, utc_now())
        uow.commit()
    return run_id


def finish_run(store: Store, run_id: int, end: RunEnd) -> None:
    with UnitOfWork(store) as uow:
        sync_log.finish_run(uow.conn, run_id, utc_now(), end)
        uow.commit()


def mark_synced(store: Store, user: UserInfo | None = None) -> None:
    """A run reached its end: the time shown as the last sync, and who the server says the user is."""
    with UnitOfWork(store) as uow:
        meta.set_meta(uow.conn, "last_sync_at", utc_now())
        if user is not None:
            account.record(uow.conn, user)
        uow.commit()


def waiting_blobs(store: Store) -> list[BlobRow]:
    with ReadUnitOfWork(store) as read:
        return blob_uploads.waiting(read.conn)


def mark_blob(store: Store, sha256: str, state: str, reason: str | None = None) -> None:
    with UnitOfWork(store) as uow:
        blob_uploads.mark(uow.conn, sha256, state, reason, utc_now())
        uow.commit()


def refuse_blob(
    store: Store, sha256: str, rows: Sequence[tuple[str, str]], code: str, problem: Mapping[str, Any], message: str
) -> None:
    """The server refused a file's bytes: remember it (no retry each sync) and list a rejection per attachment row
    (`rows`: (row id, file name)), under negative seqs so a byte refusal never replaces a refused change."""
    now = utc_now()
    with UnitOfWork(store) as uow:
        blob_uploads.mark(uow.conn, sha256, "refused", code, now)
        seq = conflicts.lowest_rejection_seq(uow.conn)
        for row_id, filename in rows:
            seq -= 1
            conflicts.add_rejection(uow.conn, seq, "attachment", row_id, "upload",
                                    {"filename": filename, "sha256": sha256}, code, [problem],
                                    f"{filename}: {message}" if filename else message, now)
        uow.commit()
