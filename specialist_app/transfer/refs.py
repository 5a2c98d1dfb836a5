"""Reference names of the client's store, for the shared resolver in `sync.tabular.refs`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select

from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES
from sync.tabular.refs import RefNames


class RefIndex(RefNames):
    """Ids and names of every live record per entity in the store, plus rows imported earlier in the file."""

    def __init__(self, conn: Connection) -> None:
        def live_records(entity: str) -> Iterator[tuple[str, object, bool]]:
            table = ENTITY_TABLES[entity]
            title = table.c[ENTITIES[entity].title_field]
            for row_id, name in conn.execute(select(table.c.id, title).where(table.c.deleted.is_(False))):
                yield str(row_id), name, True

        super().__init__(live_records)
