"""Duplicates at entry on a real store: the first refresh reads all, later ones what changed; deleted rows go."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from specialist_app.services import records as R
from specialist_app.services.duplicates import LocalDuplicates
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES
from sync.duplicates import probe_of

UowFactory = Callable[[], UnitOfWork]


def _find(store: Store, local: LocalDuplicates, entity: str, values: dict[str, object],
          patents: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    with ReadUnitOfWork(store) as uow:
        local.refresh(uow)
        return [(h.id, h.reason) for h in local.find(uow, probe_of(entity, values, patents=patents))]


def test_finds_what_is_stored_and_follows_edits(store: Store, uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        inst = R.create(uow, "institution", {"name": "长春光华科技有限公司", "org_type": "企业",
                                             "credit_code": "1222018464401566XC"})
        ach = R.create(uow, "achievement", {"title": "玉米秸秆还田机械化技术", "institution_id": inst,
                                            "reg_no": "222021000001"})
        R.create(uow, "ip_item", {"achievement_id": ach, "kind": "invention", "number": "ZL201910123456.7"})
        uow.commit()
    local = LocalDuplicates()
    assert _find(store, local, "institution", {"name": "長春光華科技股份有限公司"}) == [(inst, "name")]
    assert _find(store, local, "institution", {"name": "别名", "credit_code": "1222018464401566xc"}) == [
        (inst, "credit_code")]
    assert _find(store, local, "achievement", {"title": "玉米秸杆还田机械化技术", "institution_id": inst}) == [
        (ach, "name")]
    assert _find(store, local, "achievement", {"title": "全新"}, patents=("2019 1 0123456.7",)) == [(ach, "patent")]

    with uow_factory() as uow:
        R.update(uow, "achievement", ach, {"title": "大豆高产栽培技术"})
        uow.commit()
    assert _find(store, local, "achievement", {"title": "玉米秸秆还田机械化技术"}) == []
    assert _find(store, local, "achievement", {"title": "大豆高产栽培技朮"}) == [(ach, "name")]
    assert _find(store, local, "achievement", {"title": "全新"}, patents=("ZL201910123456.7",)) == [(ach, "patent")]

    with uow_factory() as uow:
        R.delete(uow, "ip_item", _ip_of(uow, ach))
        R.delete(uow, "achievement", ach)
        uow.commit()
    assert _find(store, local, "achievement", {"title": "大豆高产栽培技术"}) == []


def test_rows_removed_outright_are_dropped_when_found(store: Store, uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        exp = R.create(uow, "expert", {"name": "王华", "unit": "吉林大学"})
        uow.commit()
    local = LocalDuplicates()
    assert _find(store, local, "expert", {"name": "王 華", "unit": "吉林大学"}) == [(exp, "name")]
    with uow_factory() as uow:  # what unassigning an institution does to its rows: no tombstone, gone
        uow.conn.execute(delete(ENTITY_TABLES["expert"]).where(ENTITY_TABLES["expert"].c.id == exp))
        uow.commit()
    assert _find(store, local, "expert", {"name": "王华", "unit": "吉林大学"}) == []
    assert len(local.index) == 0


def _ip_of(uow: UnitOfWork, achievement_id: str) -> str:
    table = ENTITY_TABLES["ip_item"]
    return str(uow.conn.execute(select(table.c.id).where(table.c.achievement_id == achievement_id)).scalar_one())


def test_a_confirmed_duplicate_leaves_the_catalog_search(store: Store, uow_factory: UowFactory) -> None:
    from specialist_app.services.search import search
    from specialist_app.store import search_index

    with uow_factory() as uow:
        kept, twin = (R.create(uow, "achievement", {"title": title}) for title in ("光栅尺读数头", "光柵尺讀數頭"))
        uow.commit()

    def found() -> set[str]:
        with ReadUnitOfWork(store) as uow:
            return {h.id for h in search(uow, "读数头").hits}

    assert found() == {kept, twin}
    with uow_factory() as uow:  # what a pull of the administrator's decision writes
        table = ENTITY_TABLES["achievement"]
        uow.conn.execute(table.update().where(table.c.id == twin).values(
            duplicate_of=kept, duplicate_state="confirmed"))
        search_index.reindex_rows(uow.conn, "achievement", [twin])
        uow.commit()
    assert found() == {kept}
    with uow_factory() as uow:
        search_index.rebuild(uow.conn)
        uow.commit()
    assert found() == {kept}


def test_a_confirmed_duplicate_is_offered_nowhere_but_where_it_is_already_named(
    store: Store, uow_factory: UowFactory
) -> None:
    """Not in the institutions list or picker, nor as a hint's twin; a record naming it keeps it as its choice."""
    from specialist_app.services import queries

    with uow_factory() as uow:
        kept = R.create(uow, "institution", {"name": "长春光华科技有限公司", "org_type": "企业"})
        twin = R.create(uow, "institution", {"name": "长春光華科技有限責任公司", "org_type": "企业"})
        visit = R.create(uow, "visit", {"institution_id": twin, "status": "planned"})
        uow.commit()
    local = LocalDuplicates()
    assert {i for i, _ in _find(store, local, "institution", {"name": "长春光华科技股份有限公司"})} == {kept, twin}
    with uow_factory() as uow:  # what a pull of the administrator's decision writes
        table = ENTITY_TABLES["institution"]
        uow.conn.execute(table.update().where(table.c.id == twin).values(
            duplicate_of=kept, duplicate_state="confirmed", server_version=7))
        uow.commit()
    with ReadUnitOfWork(store) as uow:
        assert [r["id"] for r in queries.my_institutions(uow)] == [kept]
        assert queries.institution_of(uow, "visit", visit) == twin
        assert {r["id"] for r in queries.my_institutions(uow, keep=twin)} == {kept, twin}
        assert queries.institution_history(uow, twin) is not None  # its history stays
    assert _find(store, local, "institution", {"name": "长春光华科技股份有限公司"}) == [(kept, "name")]


def test_a_refresh_reads_only_what_changed(store: Store, uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ids = R.create_many(uow, "expert", [{"name": f"专家{n}"} for n in range(30)])
        uow.conn.execute(ENTITY_TABLES["expert"].update().values(updated_at="2025-01-01T00:00:00Z"))  # long ago
        uow.commit()
    local = LocalDuplicates()
    with ReadUnitOfWork(store) as uow:
        assert local.refresh(uow) == 30
    with ReadUnitOfWork(store) as uow:
        assert local.refresh(uow) == 0  # nothing new: nothing read
    with uow_factory() as uow:
        R.update(uow, "expert", ids[0], {"name": "王华"})
        R.create(uow, "expert", {"name": "李平"})
        uow.commit()
    with ReadUnitOfWork(store) as uow:
        assert local.refresh(uow) == 2
