"""The small demo data set written into a store as local (pending) changes, in one transaction."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store
from sync.demo.generator import generate
from sync.demo.users import demo_users
from sync.entities import DEPENDENCY_ORDER, entity


def add_demo_records(store: Store, scale: str = "small", username: str = "demo") -> dict[str, int]:
    """Create the demo records as local changes and assign the demo user's institutions; rows per entity."""
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name, record in generate(scale):
        managed = {f.name for f in entity(name).fields if f.server_managed}
        by_entity[name].append({k: v for k, v in record.items() if k not in managed})
    user = next(u for u in demo_users(scale) if u.username == username)
    with UnitOfWork(store) as uow:
        for name in DEPENDENCY_ORDER:
            rows = by_entity.get(name, [])
            if rows:
                records.create_many(uow, name, rows, ids=[row.get("id") for row in rows])
        if user.institution_ids:
            # The sync engine fills this table from the server's bucket list; without a server, the demo does.
            meta.replace_assigned(uow.conn, user.institution_ids)
        uow.commit()
    return {name: len(rows) for name, rows in by_entity.items()}
