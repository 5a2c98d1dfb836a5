"""Read every live record of the importable entities from the store, in canonical form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES
from specialist_app.transfer.writers import write_json, write_xlsx
from sync.entities import ENTITIES
from sync.tabular.columns import IMPORT_ENTITIES, MASKED, has_maskable
from sync.tabular.messages import TransferError

Records = dict[str, list[dict[str, Any]]]


def read_records(store: Store) -> Records:
    """entity name -> its live records ({"id": .., field: canonical value}), oldest first (UUIDv7 order); records
    of entities with confidential fields also carry "masked" (the field names this store holds only masked, or
    None)."""
    out: Records = {}
    with ReadUnitOfWork(store) as read:  # one snapshot of the store, never waiting for a sync's write
        conn = read.conn
        for name in IMPORT_ENTITIES:
            table = ENTITY_TABLES[name]
            names = ["id", *ENTITIES[name].field_names()]
            if has_maskable(ENTITIES[name]):
                names.append(MASKED)  # fields held only masked, so they re-import masked (not empty, not invalid)
            query = select(*(table.c[n] for n in names)).where(table.c.deleted.is_(False)).order_by(table.c.id)
            out[name] = [dict(zip(names, row, strict=True)) for row in conn.execute(query)]
            for record in out[name] if MASKED in names else ():
                record[MASKED] = sorted(record[MASKED]) if record[MASKED] else None
    return out


def export_file(store: Store, path: Path, *, lang: str = "zh_CN") -> dict[str, int]:
    """Write every record to `path` (.xlsx: one sheet per entity in `lang`; .json: canonical); returns counts."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise TransferError("export_format", path=str(path))
    data = read_records(store)
    try:
        if suffix == ".xlsx":
            write_xlsx(data, path, lang)
        else:
            write_json(data, path)
    except OSError as err:
        raise TransferError("file_write", path=str(path), detail=err.strerror or str(err)) from None
    return {name: len(rows) for name, rows in data.items()}
