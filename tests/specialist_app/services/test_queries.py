"""Dashboard and list queries on a real store file, with an injected `today`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from specialist_app.services import queries as Q
from specialist_app.services import records as R
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.tables import assigned_institution

UowFactory = Callable[[], UnitOfWork]
TODAY = date(2025, 3, 18)


def _world(uow: UnitOfWork) -> dict[str, str]:
    ids: dict[str, str] = {}
    ids["jlu"] = R.create(uow, "institution", {"name": "吉林大学", "org_type": "高等院校", "region_code": "220102"})
    ids["corp"] = R.create(uow, "institution", {"name": "长春光机所", "org_type": "科研机构", "region_code": "220104"})
    far = {"name": "哈尔滨工业大学", "org_type": "高等院校", "region_code": "230103"}
    ids["far"] = R.create(uow, "institution", far)
    ids["gone"] = R.create(uow, "institution", {"name": "已删除机构", "org_type": "企业"})
    uow.conn.execute(assigned_institution.insert(), [{"institution_id": ids["corp"]}])
    ids["old"] = R.create(uow, "visit", {"institution_id": ids["jlu"], "status": "done",
                                         "visited_at": "2025-02-10 10:00", "purpose": "首访"})
    ids["new"] = R.create(uow, "visit", {"institution_id": ids["jlu"], "status": "done",
                                         "visited_at": "2025-03-05 10:00", "purpose": "回访"})
    ids["soon"] = R.create(uow, "visit", {"institution_id": ids["corp"], "status": "planned",
                                          "planned_at": "2025-03-18 08:00"})  # 00:00 UTC: still local today
    R.create(uow, "visit", {"institution_id": ids["corp"], "status": "planned", "planned_at": "2025-04-20 09:00"})
    R.create(uow, "visit", {"institution_id": ids["corp"], "status": "cancelled", "planned_at": "2025-03-20 09:00"})
    R.create(uow, "visit", {"institution_id": ids["corp"], "status": "planned", "planned_at": "2025-03-17 09:00"})
    ids["late"] = R.create(uow, "follow_up", {"visit_id": ids["old"], "action": "寄合同", "due_date": "2025-03-01"})
    R.create(uow, "follow_up", {"visit_id": ids["old"], "action": "已办", "due_date": "2025-03-01", "done": True})
    R.create(uow, "follow_up", {"visit_id": ids["new"], "action": "未到期", "due_date": "2025-03-18"})
    R.create(uow, "demand", {"title": "需求一", "institution_id": ids["jlu"], "status": "open",
                             "demand_type": "tackling"})
    R.create(uow, "demand", {"title": "需求二", "institution_id": ids["jlu"], "status": "matching",
                             "demand_type": "adoption"})
    R.create(uow, "demand", {"title": "需求三", "institution_id": ids["jlu"], "status": "solved",
                             "demand_type": "joint_rd"})
    R.create(uow, "achievement", {"title": "成果", "institution_id": ids["jlu"], "keywords": "激光、材料"})
    R.create(uow, "contact", {"institution_id": ids["jlu"], "name": "王老师"})
    R.delete(uow, "institution", ids["gone"])
    return ids


def test_my_institutions(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ids = _world(uow)
        rows = Q.my_institutions(uow, today=TODAY)
        assert rows[0]["name"] == "长春光机所" and rows[0]["assigned"] is True
        assert {r["id"] for r in rows} == {ids["jlu"], ids["corp"], ids["far"]}
        jlu = next(r for r in rows if r["id"] == ids["jlu"])
        assert (jlu["visits"], jlu["open_demands"], jlu["overdue_follow_ups"]) == (2, 2, 1)
        R.create(uow, "demand", {"title": "新需求", "institution_id": ids["jlu"], "demand_type": "talent"})
        old = R.create(uow, "demand", {"title": "旧需求", "institution_id": ids["jlu"], "demand_type": "talent"})
        uow.conn.exec_driver_sql("UPDATE demand SET status = NULL WHERE id = ?", (old,))  # from before the default
        jlu = next(r for r in Q.my_institutions(uow, today=TODAY) if r["id"] == ids["jlu"])
        assert jlu["open_demands"] == 4  # a new demand, and an old one without a status, count as open
        assert jlu["last_visited_at"] == "2025-03-05T02:00:00Z" and jlu["assigned"] is False
        assert [r["id"] for r in Q.my_institutions(uow, text="吉林", today=TODAY)] == [ids["jlu"]]
        assert [r["id"] for r in Q.my_institutions(uow, region="23", today=TODAY)] == [ids["far"]]
        assert {r["id"] for r in Q.my_institutions(uow, org_type="university")} == {ids["jlu"], ids["far"]}
        assert Q.my_institutions(uow, text="%") == []


def test_institution_history(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ids = _world(uow)
        history = Q.institution_history(uow, ids["jlu"])
        assert history is not None
        assert history["institution"]["name"] == "吉林大学"
        assert [c["name"] for c in history["contacts"]] == ["王老师"]
        assert [v["id"] for v in history["visits"]] == [ids["new"], ids["old"]]
        assert [f["action"] for f in history["visits"][1]["follow_ups"]] == ["寄合同", "已办"]
        assert history["visits"][1]["follow_ups"][1]["done"] is True
        assert history["achievements"][0]["keywords"] == ["激光", "材料"]
        assert len(history["demands"]) == 3
        assert Q.institution_history(uow, ids["gone"]) is None


def test_upcoming_and_overdue(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ids = _world(uow)
        upcoming = Q.upcoming_visits(uow, today=TODAY)
        assert [v["id"] for v in upcoming] == [ids["soon"]]
        assert upcoming[0]["institution_name"] == "长春光机所"
        assert len(Q.upcoming_visits(uow, days=40, today=TODAY)) == 2
        overdue = Q.overdue_follow_ups(uow, today=TODAY)
        assert [f["id"] for f in overdue] == [ids["late"]]
        assert overdue[0]["institution_name"] == "吉林大学" and overdue[0]["done"] is None
        assert Q.overdue_follow_ups(uow, today=date(2025, 3, 1)) == []
        R.update(uow, "follow_up", ids["late"], {"done": True})
        assert Q.overdue_follow_ups(uow, today=TODAY) == []


def test_month_counts(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        _world(uow)
        # Ids made "now" count in the current month; visited_at months are local dates.
        now = datetime.now(UTC)
        counts = Q.month_counts(uow, months=3, today=date(2025, 3, 18))
        assert [c["month"] for c in counts] == ["2025-01", "2025-02", "2025-03"]
        assert [c["visits"] for c in counts] == [0, 1, 1]
        this_month = Q.month_counts(uow, months=1, today=(now + Q.MARKET_TZ_OFFSET).date())
        assert this_month[0]["achievements"] == 1 and this_month[0]["demands"] == 3
        year = Q.month_counts(uow, today=date(2024, 1, 31))
        assert len(year) == 12 and year[0]["month"] == "2023-02" and sum(c["achievements"] for c in year) == 0


def test_month_counts_are_the_users_own_collection_not_the_catalog(uow_factory: UowFactory) -> None:
    """The dashboard's months: a province catalog brings thousands of achievements a month that others collected;
    the chart counts what this user collected (stamped by the server, or made here and not yet sent)."""
    with uow_factory() as uow:
        ids = _world(uow)
        today = (datetime.now(UTC) + Q.MARKET_TZ_OFFSET).date()
        mine_sent = R.create(uow, "achievement", {"title": "我的已送达成果", "institution_id": ids["jlu"]})
        others = [R.create(uow, "achievement", {"title": f"目录成果{i}", "institution_id": ids["far"]})
                  for i in range(5)]
        # As the server's answers leave them: acknowledged (no outbox entry), the collector stamped.
        uow.conn.exec_driver_sql("UPDATE achievement SET collected_by = 'me' WHERE id = ?", (mine_sent,))
        for row_id in (mine_sent, *others):
            uow.conn.exec_driver_sql("DELETE FROM outbox WHERE row_id = ?", (row_id,))
        uow.conn.exec_driver_sql("UPDATE achievement SET collected_by = 'colleague' WHERE id IN (?, ?, ?, ?, ?)",
                                 tuple(others))
        [month] = Q.month_counts(uow, months=1, today=today, collector="me")
        assert month["achievements"] == 2  # the one sent and stamped, and _world's one not yet sent
        assert month["demands"] == 3  # _world's three, made here and not yet sent
        [other_user] = Q.month_counts(uow, months=1, today=today, collector="colleague")
        assert other_user["achievements"] == 6  # the colleague's five, and the unsent one made on this laptop


def _made_at(uow: UnitOfWork, entity: str, row_id: str, moment: datetime) -> str:
    """Give an unsent row the id it would have had if made at `moment` (ids are UUIDv7: their time is their month)."""
    made = Q.uuid7_floor(moment) + "-7000-8000-000000000001"
    uow.conn.exec_driver_sql(f"UPDATE {entity} SET id = ? WHERE id = ?", (made, row_id))
    uow.conn.exec_driver_sql("UPDATE outbox SET row_id = ? WHERE row_id = ?", (made, row_id))
    return made


def test_month_counts_put_each_unsent_record_in_the_month_it_was_made(uow_factory: UowFactory) -> None:
    """Made here and not yet sent: counted in its own month, by market time (UTC+8), at both ends of a month."""
    market = Q.MARKET_TZ_OFFSET
    with uow_factory() as uow:
        ids = _world(uow)
        made = {moment: R.create(uow, "achievement", {"title": f"成果{i}", "institution_id": ids["jlu"]})
                for i, moment in enumerate([
                    datetime(2025, 1, 1, tzinfo=UTC) - market,  # 1 Jan 00:00 in the market: January
                    datetime(2025, 3, 1, tzinfo=UTC) - market - timedelta(milliseconds=1),  # last ms of February
                    datetime(2025, 3, 1, tzinfo=UTC) - market,  # March
                    datetime(2025, 3, 2, tzinfo=UTC),  # March, but sent below: not counted without a collector
                    datetime(2024, 12, 31, 15, 59, tzinfo=UTC),  # 31 Dec 23:59 in the market: before the months
                ])}
        for moment, row_id in made.items():
            made[moment] = _made_at(uow, "achievement", row_id, moment)
        uow.conn.exec_driver_sql("DELETE FROM outbox WHERE row_id = ?", (made[datetime(2025, 3, 2, tzinfo=UTC)],))
        demand = R.create(uow, "demand", {"title": "二月需求", "institution_id": ids["jlu"], "status": "open",
                                          "demand_type": "tackling"})
        _made_at(uow, "demand", demand, datetime(2025, 2, 14, tzinfo=UTC))
        counts = Q.month_counts(uow, months=3, today=date(2025, 3, 18))
        assert [(c["month"], c["achievements"], c["demands"]) for c in counts] == [
            ("2025-01", 1, 0), ("2025-02", 1, 1), ("2025-03", 1, 0)]


def test_dashboard_queries_use_indexes(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        for sql in (
            "SELECT id FROM visit WHERE status = 'planned' AND planned_at >= '2025' AND planned_at < '2026'",
            "SELECT id FROM follow_up WHERE due_date < '2025-03-18'",
            "SELECT count(*) FROM visit WHERE visited_at >= '2025' AND visited_at < '2026'",
        ):
            plan = " ".join(str(r[-1]) for r in uow.conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        # The month counts read a user's own rows by (collected_by, id), never a month of the catalog.
        for entity in ("achievement", "demand"):
            sql = (f"SELECT count(*) FROM {entity} WHERE collected_by = 'me' AND id >= 'a' AND id < 'b'"
                   " AND deleted = 0")
            plan = " ".join(str(r[-1]) for r in uow.conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert f"ix_{entity}_collected_by (collected_by=? AND id>? AND id<?)" in plan, plan


def test_recent_visits_across_institutions(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ids = _world(uow)
        recent = Q.recent_visits(uow)
        # Done and cancelled, newest first (a cancelled visit by its planned date); planned ones are not "recent".
        assert [v["status"] for v in recent] == ["cancelled", "done", "done"]
        assert [v["id"] for v in recent][1:] == [ids["new"], ids["old"]]
        assert recent[0]["institution_name"] == "长春光机所" and recent[1]["institution_name"] == "吉林大学"
        assert [v["id"] for v in Q.recent_visits(uow, limit=1)] == [recent[0]["id"]]
        R.delete(uow, "visit", ids["new"])
        assert ids["new"] not in {v["id"] for v in Q.recent_visits(uow)}


def test_child_rows_attachments_and_collected(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ids = _world(uow)
        follow_ups = Q.child_rows(uow, "follow_up", ids["old"])
        assert [f["action"] for f in follow_ups] == ["寄合同", "已办"] and follow_ups[1]["done"] is True
        assert Q.child_rows(uow, "follow_up", ids["soon"]) == []
        found = R.create(uow, "achievement", {"title": "走访所得", "institution_id": ids["jlu"],
                                              "source_visit_id": ids["new"], "transfer_modes": ["license"]})
        need = R.create(uow, "demand", {"title": "走访需求", "institution_id": ids["jlu"],
                                        "source_visit_id": ids["new"], "demand_type": "tackling"})
        ip = R.create(uow, "ip_item", {"achievement_id": found, "kind": "invention", "number": "ZL1"})
        R.create(uow, "ip_item", {"achievement_id": found, "kind": "utility", "number": "ZL2"})
        R.delete(uow, "ip_item", ip)
        assert [i["number"] for i in Q.child_rows(uow, "ip_item", found)] == ["ZL2"]
        blob = {"filename": "现场.jpg", "mime_type": "image/jpeg", "size": 10, "sha256": "a" * 64}
        photo = R.create(uow, "attachment", {**blob, "owner_entity": "visit", "owner_id": ids["new"]})
        R.create(uow, "attachment", {**blob, "owner_entity": "achievement", "owner_id": found})
        assert [a["id"] for a in Q.attachments_of(uow, "visit", ids["new"])] == [photo]
        assert Q.attachments_of(uow, "visit", ids["old"]) == []
        collected = Q.collected_on_visit(uow, ids["new"])
        assert [(c["entity"], c["id"]) for c in collected] == [("achievement", found), ("demand", need)]
        assert collected[0]["transfer_modes"] == ["license"]
        import pytest  # appended test: the module's imports are not this test's to change

        with pytest.raises(ValueError):
            Q.child_rows(uow, "institution", ids["jlu"])
