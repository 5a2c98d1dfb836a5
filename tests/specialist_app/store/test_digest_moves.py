"""A full copy of a catalog row whose institution left the home province goes when its newer digest arrives (with its
IP items and documents); a row with unsent edits, of an own institution, or not older than the digest stays."""

from __future__ import annotations

from specialist_app.services import search as S
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import meta, outbox, search_index
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES
from tests.specialist_app.store.test_digest_docs import _apply, _digest, _same_as_a_rebuild

MOVED = "0192a3b4-0000-7000-8000-000000000031"
MOVED_ACH = "0192a3b4-0000-7000-8000-000000000032"
EDITED_ACH = "0192a3b4-0000-7000-8000-000000000033"
IP = "0192a3b4-0000-7000-8000-000000000034"
MINE = "0192a3b4-0000-7000-8000-000000000035"
MINE_ACH = "0192a3b4-0000-7000-8000-000000000036"
AT = "2026-12-01T00:00:10Z"


def _held_in_full(store: Store) -> None:
    """Two Jilin institutions and their achievements as the catalog bucket brought them (server version 10)."""
    inst, ach, ip = ENTITY_TABLES["institution"], ENTITY_TABLES["achievement"], ENTITY_TABLES["ip_item"]
    with UnitOfWork(store) as uow:
        for row_id, name in ((MOVED, "长春储能研究所"), (MINE, "吉林农业研究院")):
            uow.conn.execute(inst.insert().values(id=row_id, name=name, org_type="institute", region_code="220102",
                                                  status="active", server_version=10, updated_at=AT))
        for row_id, title, owner in ((MOVED_ACH, "钠离子电池正极材料", MOVED), (EDITED_ACH, "固态电解质薄膜", MOVED),
                                     (MINE_ACH, "玉米秸秆还田技术", MINE)):
            uow.conn.execute(ach.insert().values(id=row_id, title=title, institution_id=owner, summary="层状氧化物正极",
                                                 server_version=10, updated_at=AT))
        uow.conn.execute(ip.insert().values(id=IP, achievement_id=MOVED_ACH, kind="invention", title="正极专利",
                                            server_version=10, updated_at=AT))
        for entity in ("institution", "achievement", "ip_item"):
            search_index.reindex_rows(uow.conn, entity, [MOVED, MOVED_ACH, EDITED_ACH, IP, MINE, MINE_ACH])
        meta.replace_assigned(uow.conn, [MINE])
        outbox.add(uow.conn, "achievement", EDITED_ACH, "update", {"trl": 5}, {"trl": 4}, 10, "2026-12-02T00:00:00Z")
        uow.commit()


def _ids(store: Store, entity: str) -> list[str]:
    with ReadUnitOfWork(store) as read:
        return sorted(str(i) for i in read.conn.exec_driver_sql(f"SELECT id FROM {entity}").scalars())


def _hits(store: Store, query: str) -> list[tuple[str, str | None]]:
    with ReadUnitOfWork(store) as read:
        return [(h.id, h.digest_province) for h in S.search(read, query, entities=["achievement"]).hits]


def test_full_copies_that_left_the_province_give_way_to_their_digests(store: Store) -> None:
    S.prepare_index(store)
    _held_in_full(store)
    _apply(store,  # the institution moved to Guangdong: the server sent its rows again, newer, as digests
           _digest("institution", MOVED, 20, name="长春储能研究所", org_type="institute", region_code="440106"),
           _digest("achievement", MOVED_ACH, 21, title="钠离子电池正极材料", institution_id=MOVED, trl=4),
           _digest("achievement", EDITED_ACH, 22, title="固态电解质薄膜", institution_id=MOVED, trl=4),
           _digest("achievement", MINE_ACH, 23, title="玉米秸秆还田技术", institution_id=MINE))
    assert _ids(store, "institution") == [MINE]
    assert _ids(store, "achievement") == sorted([EDITED_ACH, MINE_ACH])  # unsent edit, own institution: kept
    assert _ids(store, "ip_item") == []  # IP items elsewhere stay on the server
    assert _hits(store, "钠离子电池") == [(MOVED_ACH, "44")]  # now a digest, found as one
    assert _hits(store, "层状氧化物") == sorted([(EDITED_ACH, None), (MINE_ACH, None)])
    _same_as_a_rebuild(store)


def test_a_digest_no_newer_than_the_full_copy_leaves_it(store: Store) -> None:
    S.prepare_index(store)
    _held_in_full(store)
    _apply(store, _digest("achievement", MOVED_ACH, 10, title="钠离子电池正极材料", institution_id=MOVED))
    assert MOVED_ACH in _ids(store, "achievement") and _ids(store, "ip_item") == [IP]
    assert _hits(store, "层状氧化物")[0][1] is None
