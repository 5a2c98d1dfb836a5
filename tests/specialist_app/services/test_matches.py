"""Match records from suggestions, and the lists and counts that show them (by record, institution, stage, month)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from specialist_app.services import matches, records
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store.db import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def _seed(store: Store) -> dict[str, str]:
    with UnitOfWork(store) as uow:
        ent = records.create(uow, "institution", {"name": "吉林化纤集团有限责任公司", "org_type": "enterprise"})
        uni = records.create(uow, "institution", {"name": "北华大学", "org_type": "university"})
        demand = records.create(uow, "demand", {"title": "秸秆综合利用", "institution_id": ent,
                                                "demand_type": "adoption"})
        ach = records.create(uow, "achievement", {"title": "秸秆酶解制糖", "institution_id": uni})
        expert = records.create(uow, "expert", {"name": "王秸秆"})
        uow.commit()
    return {"ent": ent, "uni": uni, "demand": demand, "ach": ach, "expert": expert}


def test_a_suggestion_becomes_a_recommended_match_of_today(store: Store) -> None:
    ids = _seed(store)
    created = matches.create_from_suggestion(store, "achievement", ids["ach"], "demand", ids["demand"],
                                             today=date(2026, 12, 2))
    made = created.id
    assert not created.existed
    again = matches.create_from_suggestion(store, "demand", ids["demand"], "achievement", ids["ach"])
    assert (again.id, again.existed) == (made, True)  # a second click: the same match, nothing new
    with ReadUnitOfWork(store) as uow:
        row = records.get(uow, "match_record", made)
        outbox = uow.conn.exec_driver_sql("SELECT entity, op FROM outbox WHERE row_id = ?", (made,)).fetchall()
    assert row is not None
    assert (row["demand_id"], row["achievement_id"], row["expert_id"]) == (ids["demand"], ids["ach"], None)
    assert (row["source"], row["stage"], row["recommended_on"]) == ("algorithm", "recommended", "2026-12-02")
    assert [tuple(r) for r in outbox] == [("match_record", "create")]


def test_only_a_demand_with_an_achievement_or_an_expert_makes_a_match(store: Store) -> None:
    ids = _seed(store)
    with pytest.raises(ValueError):
        matches.create_from_suggestion(store, "achievement", ids["ach"], "expert", ids["expert"])


def test_matches_are_listed_by_record_institution_stage_and_month(store: Store) -> None:
    ids = _seed(store)
    first = matches.create_from_suggestion(store, "demand", ids["demand"], "achievement", ids["ach"],
                                           today=date(2026, 11, 28)).id
    second = matches.create_from_suggestion(store, "demand", ids["demand"], "expert", ids["expert"],
                                            today=date(2026, 12, 1)).id
    with UnitOfWork(store) as uow:
        records.update(uow, "match_record", first, {"stage": "negotiating", "negotiated_on": "2026-12-01"})
        uow.commit()
    with ReadUnitOfWork(store) as uow:
        assert [m.id for m in matches.matches_of(uow, "demand", ids["demand"])] == [second, first]
        assert [(m.partner, m.demand) for m in matches.matches_of(uow, "achievement", ids["ach"])] == [
            ("秸秆酶解制糖", "秸秆综合利用")]
        assert {m.id for m in matches.matches_of_institution(uow, ids["uni"])} == {first}
        assert {m.id for m in matches.matches_of_institution(uow, ids["ent"])} == {first, second}
        assert [m.id for m in matches.all_matches(uow, "negotiating")] == [first]
        assert matches.by_stage(uow) == {"recommended": 1, "negotiating": 1, "signed": 0, "registered": 0,
                                         "terminated": 0}
        assert matches.created_this_month(uow, today=date(2026, 12, 2)) == 1
