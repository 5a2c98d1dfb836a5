"""Reference names of the client's store, for the shared resolver in `sync.tabular.refs`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select

from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES
from sync.tabular.refs import RefNames


class RefIndex(RefNames):
    """Ids and names of every record per entity in the store, plus rows imported earlier in the file.

    Deleted rows keep their ids taken (never a reference target, never reused); an id the store never held and
    the file does not hold either is kept as it is (an export of a partial store names rows it never received).
    """

    def __init__(self, conn: Connection) -> None:
        def records(entity: str) -> Iterator[tuple[str, object, bool]]:
            table = ENTITY_TABLES[entity]
            title = table.c[ENTITIES[entity].title_field]
            for row_id, name, deleted in conn.execute(select(table.c.id, title, table.c.deleted)):
                yield str(row_id), name, not deleted

        super().__init__(records, keep_outside_ids=True)
