"""A pull page applied to the store with its bucket cursors (the caller's one transaction), rebasing local edits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from specialist_app.services import unassign
from specialist_app.store import conflicts as conflict_rows
from specialist_app.store import meta, search_index
from specialist_app.store.pending import ALL_FIELDS, open_conflicts, pending_fields
from specialist_app.store.rows import delete_rows, field_names, load_rows, upsert_rows
from specialist_app.store.search_docs import KnownTexts
from sync.entities import DEPENDENCY_ORDER, ENTITIES
from sync.merge import DELETED, rebase
from sync.protocol_constants import INSTITUTION_BUCKET_PREFIX, OWN_BUCKET

DEFER_FROM_ROWS = 1000  # rows of one entity in a page from which long texts are indexed after the pull


@dataclass
class PageResult:
    """What applying one page did."""

    applied: int = 0  # rows written or deleted
    rebased: int = 0  # rows kept with local pending edits on top of the server's values
    kept_deleted: int = 0  # tombstones not applied because the row has pending edits
    removed_buckets: list[str] = field(default_factory=list)


def apply_page(
    conn: Connection,
    page: Mapping[str, Any],
    *,
    defer_long_text: bool = False,
    known: Mapping[str, KnownTexts] | None = None,
) -> PageResult:
    """Apply one PullResponse page (a decoded JSON dict) and its cursors; the caller commits once.

    With `defer_long_text`, long texts are left out of the search index until
    `search_index.complete_deferred` runs (the engine does so right after the pull). `known` holds, by row id,
    the page's texts tokenized beforehand (`pretokenize`); rows not in it are tokenized here.
    """
    result = PageResult()
    # Create the index before writing rows: building it afterwards would index this page twice.
    search_index.ensure_index(conn)
    # A big page (a first pull) merges index segments as it commits; a small one leaves that to `tidy`.
    search_index.merge_inline(conn, len(page.get("changes") or ()) >= DEFER_FROM_ROWS)
    pending = pending_fields(conn)
    by_entity: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for change in page.get("changes") or ():
        if change.get("entity") in ENTITIES:
            by_entity[change["entity"]].append(change)
    for entity in DEPENDENCY_ORDER:
        if by_entity.get(entity):
            _apply_entity(
                conn, entity, by_entity[entity], pending.get(entity, {}), result, defer_long_text, known
            )
    meta.save_cursors(conn, page.get("cursors") or {})
    buckets = page.get("buckets")
    if isinstance(buckets, list):
        result.removed_buckets = _apply_buckets(conn, [str(b) for b in buckets])
    return result


def _apply_entity(
    conn: Connection,
    entity: str,
    changes: Sequence[Mapping[str, Any]],
    pending: Mapping[str, set[str]],
    result: PageResult,
    defer_long_text: bool,
    known: Mapping[str, KnownTexts] | None,
) -> None:
    # The last change of a row in a page wins (versions rise within a page).
    latest: dict[str, Mapping[str, Any]] = {}
    for change in changes:
        latest[str(change["id"])] = change
    names = field_names(entity)
    masked_ids = [i for i, c in latest.items() if c.get("masked") and not c.get("deleted")]
    pending_ids = [i for i in latest if i in pending]
    existing = load_rows(conn, entity, list(dict.fromkeys([*masked_ids, *pending_ids])))

    conflicts = open_conflicts(conn, entity) if pending else {}
    upserts: list[dict[str, Any]] = []
    tombstones: list[str] = []
    for row_id, change in latest.items():
        if change.get("deleted"):
            if row_id in pending:
                result.kept_deleted += 1  # the push will surface delete-versus-edit as a conflict
            else:
                tombstones.append(row_id)
            continue
        incoming = _incoming_row(row_id, change, names, existing.get(row_id))
        mine = existing.get(row_id)
        if row_id in conflicts:
            # Keep each open conflict's "theirs" current, so resolving in favour of the server takes its latest value
            # (a local delete against their edits: the server row's values, all of them; a server delete stays one).
            conflict_rows.refresh_theirs(conn, [
                ({n: incoming[n] for n in names} if name == DELETED else incoming[name], cid)
                for cid, name in conflicts[row_id] if name in incoming or name == DELETED])
        if row_id in pending and mine is not None:
            _rebase_row(incoming, mine, pending[row_id])
            result.rebased += 1
        upserts.append(incoming)

    upsert_rows(conn, entity, upserts)
    if tombstones:
        delete_rows(conn, entity, tombstones)
        search_index.remove_rows(conn, entity, tombstones)
    _index(conn, entity, upserts, defer_long_text, known)
    result.applied += len(upserts) + len(tombstones)


def _incoming_row(
    row_id: str, change: Mapping[str, Any], names: Sequence[str], current: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The row as the server sends it; a masked (catalog) copy keeps the full values the store already holds."""
    fields = change.get("fields") or {}
    row: dict[str, Any] = {name: fields.get(name) for name in names}
    masked = [str(m) for m in change.get("masked") or ()]
    if masked and current is not None:
        known_full = set(names) - set(current.get("masked") or ())
        for name in list(masked):
            if name in known_full and name in row:
                row[name] = current.get(name)
                masked.remove(name)
    row.update(
        id=row_id,
        server_version=change.get("version"),
        base_version=None,
        updated_at=change.get("updated_at"),
        deleted=False,
        masked=masked or None,
    )
    return row


def _rebase_row(incoming: dict[str, Any], mine: Mapping[str, Any], pending: set[str]) -> None:
    """Keep the local pending fields (or the whole local row for a pending delete) over the server's values."""
    if ALL_FIELDS in pending:
        keep = {name: mine.get(name) for name in incoming if name not in ("server_version", "updated_at")}
        incoming.update(keep)
    else:
        merged = rebase({k: v for k, v in incoming.items()}, mine, pending)
        incoming.update(merged)
        incoming["deleted"] = bool(mine.get("deleted"))
    # Unsent edits still started from their own base version; the row now mirrors the newer server version.
    incoming["base_version"] = mine.get("base_version")
    incoming["updated_at"] = max(str(mine.get("updated_at") or ""), str(incoming.get("updated_at") or "")) or None


def _index(
    conn: Connection,
    entity: str,
    rows: Sequence[Mapping[str, Any]],
    defer_long_text: bool,
    known: Mapping[str, KnownTexts] | None,
) -> None:
    if entity not in search_index.SEARCH_ENTITIES or not rows:
        return
    if ENTITIES[entity].is_scope_root:
        # Institutions carry facts into their achievements' and demands' documents: the careful path.
        search_index.reindex_rows(conn, entity, [str(r["id"]) for r in rows])
        return
    # Deferring costs a second FTS write per document later; it only pays off for big pages (a first pull).
    defer = defer_long_text and len(rows) >= DEFER_FROM_ROWS and not known
    search_index.index_rows(conn, entity, rows, defer_long=defer, known=known)


def _apply_buckets(conn: Connection, buckets: Sequence[str]) -> list[str]:
    """Replace assigned_institution from the bucket list; remove what an unassigned institution leaves behind."""
    listed = set(buckets)
    assigned = sorted(b[len(INSTITUTION_BUCKET_PREFIX) :] for b in listed if b.startswith(INSTITUTION_BUCKET_PREFIX))
    before = meta.assigned_institutions(conn)
    known = set(meta.read_cursors(conn))
    gone_buckets = sorted(
        b for b in (known | {INSTITUTION_BUCKET_PREFIX + i for i in before})
        if b.startswith(INSTITUTION_BUCKET_PREFIX) and b not in listed
    )
    for bucket in gone_buckets:
        unassign.remove_institution(conn, bucket[len(INSTITUTION_BUCKET_PREFIX) :], assigned)
        meta.drop_cursor(conn, bucket)
    if gone_buckets:
        # Our own records of that institution now travel in the "own" bucket, whose cursor is already past them.
        meta.drop_cursor(conn, OWN_BUCKET)
    meta.replace_assigned(conn, assigned)
    # Buckets that vanished for other reasons (none today) just lose their cursor.
    for bucket in known - listed:
        if not bucket.startswith(INSTITUTION_BUCKET_PREFIX):
            meta.drop_cursor(conn, bucket)
    return gone_buckets
