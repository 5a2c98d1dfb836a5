"""A digest opened: what the store holds of it (the digest, and the full record once fetched), and keeping the
full record read from the server (docs/sync-protocol.md, "Digests")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specialist_app.services.uow import Reads, UnitOfWork
from specialist_app.store import digests
from specialist_app.store.db import Store
from specialist_app.store.digests import DigestRow
from sync.fields import utc_now


def load(uow: Reads, row_id: str) -> DigestRow | None:
    """The digest of `row_id` with its full record if it was fetched before; None when it is no digest."""
    return digests.get(uow.conn, row_id)


def keep_full(store: Store, row_id: str, record: Mapping[str, Any]) -> bool:
    """Keep a record read in full with its digest (offline later, it opens in full); False if the digest is gone."""
    with UnitOfWork(store) as uow:
        kept = digests.save_full(uow.conn, row_id, record, utc_now())
        uow.commit()
    return kept


def full_fields(row: DigestRow) -> dict[str, Any]:
    """What the record shows: the full record's fields once fetched, else the digest's own."""
    fields = (row.full or {}).get("row", {}).get("fields") if row.full else None
    return dict(fields) if isinstance(fields, dict) else dict(row.fields)
