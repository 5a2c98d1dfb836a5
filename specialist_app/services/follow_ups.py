"""Operations on one follow-up from a list (the dashboard, an institution's history): mark it done, move its due
date. Each is one transaction of its own, written to the outbox like any edit, and refused here when the server
would refuse it (sync.permissions on the account the last sync recorded)."""

from __future__ import annotations

from datetime import date
from typing import Any

from specialist_app.services import account, records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES
from sync.permissions import Refusal


class FollowUpRefused(Exception):
    """The server would refuse this user's change of the follow-up (nothing was written)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def mark_done(store: Store, follow_up_id: str, username: str | None = None) -> None:
    """The follow-up is done. Raises RecordNotFound (deleted by a sync meanwhile), FollowUpRefused."""
    _change(store, follow_up_id, {"done": True}, username)


def move_due(store: Store, follow_up_id: str, due: date, username: str | None = None) -> None:
    """The follow-up is due on `due` instead (still not done). Raises RecordNotFound, RecordInvalid,
    FollowUpRefused."""
    _change(store, follow_up_id, {"due_date": due.isoformat()}, username)


def _change(store: Store, follow_up_id: str, values: dict[str, Any], username: str | None) -> None:
    """`username` None: a local profile without a server, where every change is the user's to make."""
    with UnitOfWork(store) as uow:
        row = records.get(uow, "follow_up", follow_up_id)
        if row is not None and username is not None:
            refusal = account.write_refusal(uow, account.load(uow, username), ENTITIES["follow_up"], row)
            if refusal is not None:
                raise FollowUpRefused(refusal)
        records.update(uow, "follow_up", follow_up_id, values)
        uow.commit()
