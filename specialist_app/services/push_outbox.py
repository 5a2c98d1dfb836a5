"""The outbox as push reads it (batches in seq order, frozen once sent); each mutation's answer applied to the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from specialist_app.store import conflicts, outbox, rows
from specialist_app.store.outbox import OutboxEntry as OutboxEntry  # the engine's batches are these
from specialist_app.store.tables import ENTITY_TABLES
from sync.fields import utc_now
from sync.merge import DELETED
from sync.protocol_constants import MAX_PUSH_BODY_BYTES

BATCH_SIZE = 200


@dataclass
class PushTally:
    sent: int = 0
    applied: int = 0  # applied or merged
    conflicts: int = 0
    rejected: int = 0
    unanswered: int = 0  # left in the outbox (already marked sent) for the next run


def next_batch(conn: Connection, limit: int = BATCH_SIZE, after_seq: int = 0,
               max_bytes: int = MAX_PUSH_BODY_BYTES // 2) -> list[OutboxEntry]:
    """Unacknowledged outbox entries in seq order (acknowledged ones are deleted, so all of them are unacked).

    The batch also stops before its stored texts pass `max_bytes` (UTF-8 bytes, at least one entry), so the
    request stays under the server's push body cap with room for the envelope.
    """
    return outbox.next_batch(conn, limit, after_seq, max_bytes)


count_pending = outbox.count
mark_sent = outbox.mark_sent


def apply_results(conn: Connection, entries: Sequence[OutboxEntry], response: Mapping[str, Any]) -> PushTally:
    """Apply a PushResponse to the store (the caller commits): every answered entry leaves the outbox."""
    tally = PushTally(sent=len(entries))
    by_seq = {e.seq: e for e in entries}
    answered: dict[int, OutboxEntry] = {}
    versions: list[tuple[OutboxEntry, int]] = []  # (entry, its new server version), in seq order
    now = utc_now()
    accepted: list[tuple[str, str, int, str, list[str]]] = []  # a refused record changed again, now accepted
    for result in response.get("results") or ():
        entry = by_seq.get(int(result.get("seq", -1)))
        if entry is None or entry.seq in answered:
            continue
        outcome = result.get("outcome")
        if outcome in ("applied", "merged"):
            tally.applied += 1
            accepted.append((entry.entity, entry.row_id, entry.seq, entry.op, list(entry.fields)))
        elif outcome == "conflict":
            _store_conflict(conn, entry, result, now)
            tally.conflicts += 1
        elif outcome == "rejected":
            _store_rejection(conn, entry, result, now)
            tally.rejected += 1
        else:
            continue  # an outcome this client does not know: keep it queued
        answered[entry.seq] = entry
        version = result.get("version")
        if outcome != "rejected" and version is not None and entry.entity in ENTITY_TABLES:
            versions.append((entry, int(version)))
    outbox.drop(conn, answered)
    conflicts.settle_rejections(conn, accepted, now)
    _set_server_versions(conn, entries, versions)
    tally.unanswered = len(entries) - len(answered)
    return tally


def _set_server_versions(
    conn: Connection, entries: Sequence[OutboxEntry], versions: Sequence[tuple[OutboxEntry, int]]
) -> None:
    """Record the server's versions; a row whose last queued change was answered needs no base_version.

    Same outcome as handling the answers one at a time: an entry's row keeps its base_version while a later
    entry of the batch (answered or not) or any other queued entry still names it.
    """
    last = {(e.entity, e.row_id): e.seq for e in entries}
    by_entity: dict[str, list[tuple[OutboxEntry, int]]] = {}
    for entry, version in versions:
        by_entity.setdefault(entry.entity, []).append((entry, version))
    for entity, pairs in by_entity.items():
        rows.raise_server_versions(conn, entity, [(e.row_id, version) for e, version in pairs])
        rows.clear_base_versions(conn, entity, [e.row_id for e, _ in pairs if last[(entity, e.row_id)] == e.seq])


def conflict_ids(conflict_id: str, count: int) -> list[str]:
    """Local ids of a mutation's field conflicts: the server's id, suffixed when one mutation has several."""
    return [conflict_id] if count == 1 else [f"{conflict_id}#{i}" for i in range(count)]


def _store_conflict(conn: Connection, entry: OutboxEntry, result: Mapping[str, Any], now: str) -> None:
    infos = list(result.get("conflicts") or ())
    if not infos:  # the server said conflict but listed no field: keep the whole change visible
        infos = [{"field": name, "base": entry.base.get(name), "theirs": None, "mine": value}
                 for name, value in entry.fields.items()] or [{"field": DELETED, "mine": True}]
    base_id = str(result.get("conflict_id") or f"local-{entry.seq}")
    fallbacks = conflict_ids(base_id, len(infos))
    ids = [str(info.get("id") or fallback) for info, fallback in zip(infos, fallbacks, strict=True)]
    conflicts.add_conflicts(conn, [
        (cid, entry.entity, entry.row_id, str(info.get("field")), info.get("base"), info.get("theirs"),
         info.get("mine"), result.get("theirs_by"), result.get("theirs_at"), now)
        for cid, info in zip(ids, infos, strict=True)
    ])


def _store_rejection(conn: Connection, entry: OutboxEntry, result: Mapping[str, Any], now: str) -> None:
    conflicts.add_rejection(conn, entry.seq, entry.entity, entry.row_id, entry.op, entry.fields,
                            str(result.get("reason") or "rejected"), result.get("problems") or [],
                            result.get("message"), now)
