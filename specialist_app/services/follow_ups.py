"""Operations on one follow-up from a list (the dashboard, an institution's history): mark it done, move its due
date. Each is one transaction of its own, written to the outbox like any edit."""

from __future__ import annotations

from datetime import date

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store


def mark_done(store: Store, follow_up_id: str) -> None:
    """The follow-up is done. Raises RecordNotFound when it is gone (deleted by a sync meanwhile)."""
    with UnitOfWork(store) as uow:
        records.update(uow, "follow_up", follow_up_id, {"done": True})
        uow.commit()


def move_due(store: Store, follow_up_id: str, due: date) -> None:
    """The follow-up is due on `due` instead (still not done). Raises RecordNotFound, RecordInvalid."""
    with UnitOfWork(store) as uow:
        records.update(uow, "follow_up", follow_up_id, {"due_date": due.isoformat()})
        uow.commit()
