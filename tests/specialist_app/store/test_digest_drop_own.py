"""After a digest snapshot (built for a specialist without institutions) is installed, the digests the feed would not
have sent this store go: of rows it holds in full, and of rows its own institutions govern that it no longer holds
(deleted since the snapshot). Their documents go with them; the full rows' documents are the full rows' (an
institution's digest has all its indexed texts, so its document must not be kept as "unchanged"), and the index
holds exactly a rebuild's tokens."""

from __future__ import annotations

from specialist_app.services import search as S
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import digests, meta, search_index
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES
from tests.specialist_app.store.test_digest_docs import ACH, INST, OTHER, _apply, _digest, _same_as_a_rebuild

ELSEWHERE = "0192a3b4-0000-7000-8000-000000000021"
ELSEWHERE_ACH = "0192a3b4-0000-7000-8000-000000000022"


def _hits(store: Store, query: str, entity: str) -> list[tuple[str, str | None]]:
    with ReadUnitOfWork(store) as read:
        return [(h.id, h.digest_province) for h in S.search(read, query, entities=[entity]).hits]


def test_digests_held_in_full_or_governed_by_own_institutions_go(store: Store) -> None:
    S.prepare_index(store)
    _apply(store, _digest("institution", INST, 1, name="广州储能研究所", org_type="institute", region_code="440106"),
           _digest("achievement", ACH, 2, title="钠离子电池正极材料", institution_id=INST, trl=4),
           _digest("achievement", OTHER, 3, title="固态电解质薄膜", institution_id=INST, trl=3),
           _digest("institution", ELSEWHERE, 4, name="深圳光电研究院", org_type="institute", region_code="440305"),
           _digest("achievement", ELSEWHERE_ACH, 5, title="钠电池负极硬碳", institution_id=ELSEWHERE, trl=5))
    with UnitOfWork(store) as uow:  # as an install leaves them: the rows put back, then indexed (reindex_kept)
        uow.conn.execute(ENTITY_TABLES["institution"].insert().values(
            id=INST, name="广州储能研究所", org_type="institute", region_code="440106", status="active",
            server_version=10, updated_at="2026-12-01T00:00:01Z"))
        uow.conn.execute(ENTITY_TABLES["achievement"].insert().values(
            id=ACH, title="钠离子电池正极材料", institution_id=INST, trl=4, summary="层状氧化物正极",
            server_version=10, updated_at="2026-12-01T00:00:10Z"))
        search_index.reindex_rows(uow.conn, "institution", [INST])
        search_index.reindex_rows(uow.conn, "achievement", [ACH])
        uow.commit()  # OTHER was deleted since the snapshot: not held
    with UnitOfWork(store) as uow:
        meta.replace_assigned(uow.conn, [INST])
        assert digests.drop_own(uow.conn) == 3
        uow.commit()
    with ReadUnitOfWork(store) as read:
        left = sorted(str(i) for i in read.conn.exec_driver_sql("SELECT id FROM catalog_digest").scalars())
    assert left == sorted([ELSEWHERE, ELSEWHERE_ACH])
    assert _hits(store, "广州储能研究所", "institution") == [(INST, None)]  # the full row's document, with its text
    assert _hits(store, "层状氧化物", "achievement") == [(ACH, None)]
    assert _hits(store, "固态电解质", "achievement") == []
    assert (ELSEWHERE_ACH, "44") in _hits(store, "钠电池", "achievement")
    _same_as_a_rebuild(store)
