"""A refused change is fixed when a later change of the same record, carrying the refused fields, is accepted."""

from __future__ import annotations

from specialist_app.services import push_outbox, records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import conflicts
from specialist_app.store.db import Store
from specialist_app.store.outbox import OutboxEntry


def _refused(uow: UnitOfWork, seq: int, row_id: str, fields: dict[str, object]) -> None:
    conflicts.add_rejection(uow.conn, seq, "institution", row_id, "update", fields, "validation",
                            [{"field": next(iter(fields)), "code": "bad_credit_code", "params": {}}], None,
                            "2026-12-01T00:00:00Z")


def _accepted(uow: UnitOfWork, seq: int, row_id: str, fields: dict[str, object]) -> None:
    entry = OutboxEntry(seq, "institution", row_id, "update", fields, {}, None, None, True)
    push_outbox.apply_results(uow.conn, [entry], {"results": [{"seq": seq, "outcome": "applied", "version": 7}]})


def test_an_accepted_change_of_the_refused_fields_fixes_the_refusal(store: Store) -> None:
    with UnitOfWork(store) as uow:
        inst = records.create(uow, "institution", {"name": "吉林大学", "org_type": "university"})
        _refused(uow, 3, inst, {"credit_code": "123"})
        _accepted(uow, 9, inst, {"address": "长春市"})  # another field: the refused value is still not there
        assert conflicts.count_rejections(uow.conn) == 1
        _accepted(uow, 10, inst, {"credit_code": "12220000412755045X", "address": "长春市"})
        assert conflicts.count_rejections(uow.conn) == 0
        dismissed = uow.conn.exec_driver_sql("SELECT dismissed_at FROM rejection WHERE seq = 3").scalar()
        assert dismissed is not None
